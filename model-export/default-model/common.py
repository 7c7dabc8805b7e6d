"""Shared helpers for building the default Li-P-S-Cl training set.

Labeller: SevenNet-0 (11Jul2024 checkpoint) shipped inside the ``sevenn`` wheel.
Structures: crystallographic facts from /work/shared/data/README.md (bcc Li a=3.51 A,
Li2S antifluorite a~5.71 A, LiCl rock salt a~5.13 A, Li3P P63/mmc a~4.27 c~7.59 A,
argyrodite Li6PS5Cl 52-atom cell from Li6PS5Cl_conventional.data).
"""

from __future__ import annotations

import io
import lzma
import os
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from ase import Atoms
from ase.build import bulk
from ase.calculators.singlepoint import SinglePointCalculator
from ase.io import read, write
from ase.spacegroup import crystal

os.environ.setdefault("HF_HUB_OFFLINE", "1")
warnings.filterwarnings("ignore")

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "data"
RUNS_DIR = HERE / "runs"
SPECIES: tuple[str, ...] = ("Li", "P", "S", "Cl")
LABELLER_NAME = "SevenNet-0 (7net-0, 11Jul2024)"
# active-learning frames are interface MD frames: their family for the accuracy table; so are frames of the
# reacted interface from long runs (trajectory_check.py --save --config-type interface_reacted)
FAMILY_OF = {"al_interface": "interface", "al_held_out": "interface", "interface_reacted": "interface",
             # make_lowcoord.py: atoms with few or no neighbours (not one of issue 13's target families)
             "dimer": "lowcoord", "cluster": "lowcoord", "fragment": "lowcoord", "surface": "lowcoord"}


def family(atoms: Atoms) -> str:
    """The family a labelled frame counts in (atoms.info["config_type"], AL frames as interface)."""
    fam = str(atoms.info.get("config_type", "all"))
    return FAMILY_OF.get(fam, fam)


def shared_data_dir() -> Path:
    """Location of the shared structure data (INTERPHASE_SHARED/data or ../shared/data)."""
    env = os.environ.get("INTERPHASE_SHARED")
    if env:
        return Path(env) / "data"
    return HERE.parents[2] / "shared" / "data"


_CALC = None


def labeller():
    """Return a cached SevenNet-0 ASE calculator (weights ship in the sevenn wheel; no download)."""
    global _CALC
    if _CALC is None:
        import torch
        from sevenn.calculator import SevenNetCalculator

        torch.set_num_threads(int(os.environ.get("LABEL_THREADS", "1")))
        _CALC = SevenNetCalculator("7net-0", device="cpu")
    return _CALC


def isolated_atom_energies(box: float = 20.0) -> dict[str, float]:
    """The labeller's energy of each species alone in a periodic ``box``^3 cell (no neighbour
    within its 5 A cutoff), eV: the dissociation limit. Configs with ``energy_shifts_from:
    isolated`` use these as the per-type energy shifts, so an Allegro model (an atom's energy is
    its shift plus a sum over its edges) reproduces the limit exactly."""
    out = {}
    with labeller_dtype():
        for s in SPECIES:
            a = Atoms(s, positions=[[box / 2] * 3], cell=[box] * 3, pbc=True)
            a.calc = labeller()
            out[s] = float(a.get_potential_energy())
    return out


@contextmanager
def labeller_dtype():
    """nequip switches torch's default dtype to float64; SevenNet needs the float32 default."""
    import torch

    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float32)
    try:
        yield
    finally:
        torch.set_default_dtype(previous)


def label(atoms: Atoms, config_type: str) -> Atoms:
    """Evaluate the labeller on ``atoms`` and return a copy carrying energy/forces/stress."""
    a = atoms.copy()
    a.wrap()
    with labeller_dtype():
        a.calc = labeller()
        e = float(a.get_potential_energy())
        f = np.array(a.get_forces())
        s = np.array(a.get_stress(voigt=True))
    out = a.copy()
    out.calc = SinglePointCalculator(out, energy=e, forces=f, stress=s)
    out.info["config_type"] = config_type
    return out


def snapshot(atoms: Atoms, config_type: str) -> Atoms:
    """Frame from the labeller results already attached to ``atoms`` (no re-evaluation)."""
    e = float(atoms.get_potential_energy())
    f = np.array(atoms.get_forces())
    s = np.array(atoms.get_stress(voigt=True))
    out = Atoms(atoms.get_chemical_symbols(), positions=atoms.get_positions(),
                cell=atoms.cell, pbc=atoms.pbc)
    out.wrap()
    out.calc = SinglePointCalculator(out, energy=e, forces=f, stress=s)
    out.info["config_type"] = config_type
    return out


def nequip_ready() -> None:
    """Initialise nequip's global state once (as nequip-train does) before building its modules."""
    from nequip.utils.global_state import global_state_initialized, set_global_state

    if not global_state_initialized():
        set_global_state()


def nequip_graph(atoms: Atoms, r_max: float = 5.0) -> dict:
    """``atoms`` as a nequip AtomicDataDict with model types (SPECIES order) and its neighbour list."""
    from nequip.data import from_ase
    from nequip.data.transforms import ChemicalSpeciesToAtomTypeMapper, NeighborListTransform

    nequip_ready()
    species = list(SPECIES)
    data = ChemicalSpeciesToAtomTypeMapper(species, {s: s for s in species})(from_ase(atoms))
    return NeighborListTransform(r_max=r_max)(data)


# ---------------------------------------------------------------- structures
def li_bcc(a: float = 3.51, rep: Sequence[int] = (3, 3, 3)) -> Atoms:
    return bulk("Li", "bcc", a=a, cubic=True).repeat(tuple(rep))


def li2s(a: float = 5.71, rep: Sequence[int] = (2, 2, 2)) -> Atoms:
    # antifluorite: S at 4a, Li at 8c
    return crystal(["S", "Li"], [(0, 0, 0), (0.25, 0.25, 0.25)], spacegroup=225,
                   cellpar=[a, a, a, 90, 90, 90]).repeat(tuple(rep))


def licl(a: float = 5.13, rep: Sequence[int] = (2, 2, 2)) -> Atoms:
    return crystal(["Cl", "Li"], [(0, 0, 0), (0.5, 0.5, 0.5)], spacegroup=225,
                   cellpar=[a, a, a, 90, 90, 90]).repeat(tuple(rep))


def li3p(a: float = 4.27, c: float = 7.59, z: float = 0.583, rep: Sequence[int] = (2, 2, 2)) -> Atoms:
    # Na3As type, P63/mmc: P 2c, Li 2b, Li 4f (1/3, 2/3, z)
    return crystal(["P", "Li", "Li"], [(1 / 3, 2 / 3, 0.25), (0, 0, 0.25), (1 / 3, 2 / 3, z)],
                   spacegroup=194, cellpar=[a, a, c, 90, 90, 120]).repeat(tuple(rep))


def argyrodite() -> Atoms:
    path = shared_data_dir() / "Li6PS5Cl_conventional.data"
    atoms = read(path, format="lammps-data", atom_style="atomic",
                 Z_of_type={1: 3, 2: 15, 3: 16, 4: 17})
    atoms.pbc = True
    return atoms


def interface(n_li_layers: int = 4, gap: float = 2.2, rep_xy: int = 3) -> Atoms:
    """Periodic Li(001) | Li6PS5Cl | Li sandwich: bcc Li strained in-plane to the argyrodite cell."""
    arg = argyrodite()
    L = arg.cell[0, 0]
    a_li = L / rep_xy
    li = bulk("Li", "bcc", a=a_li, cubic=True).repeat((rep_xy, rep_xy, n_li_layers))
    # keep the bcc volume per atom of a=3.51 by stretching c (Poisson-like)
    cz = 3.51 ** 3 / a_li ** 2
    li.set_cell([L, L, cz * n_li_layers], scale_atoms=True)
    arg_z = arg.cell[2, 2]
    pos_arg = arg.get_positions()
    pos_li = li.get_positions() + np.array([0.0, 0.0, arg_z + gap])
    total_z = arg_z + gap + cz * n_li_layers + gap - cz / 2
    atoms = Atoms(symbols=list(arg.get_chemical_symbols()) + list(li.get_chemical_symbols()),
                  positions=np.vstack([pos_arg, pos_li]), cell=[L, L, total_z], pbc=True)
    return atoms


def random_mixture(counts: dict[str, int], density: float, rng: np.random.Generator,
                   dmin: float = 1.9) -> Atoms:
    """Random packing of the given composition at ``density`` atoms/A^3 (min distance dmin)."""
    symbols: list[str] = [s for s, n in counts.items() for _ in range(n)]
    rng.shuffle(symbols)
    n = len(symbols)
    L = (n / density) ** (1 / 3)
    pos: list[np.ndarray] = []
    while len(pos) < n:
        p = rng.random(3) * L
        ok = True
        for q in pos:
            d = p - q
            d -= L * np.round(d / L)
            if np.dot(d, d) < dmin * dmin:
                ok = False
                break
        if ok:
            pos.append(p)
    return Atoms(symbols=symbols, positions=np.array(pos), cell=[L, L, L], pbc=True)


def strain(atoms: Atoms, eps: np.ndarray) -> Atoms:
    a = atoms.copy()
    a.set_cell(a.cell @ (np.eye(3) + eps), scale_atoms=True)
    return a


# ---------------------------------------------------------------- io
def write_xz(path: Path, frames: Iterable[Atoms]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix("")  # .extxyz
    write(tmp, list(frames), format="extxyz")
    with open(tmp, "rb") as src, lzma.open(path, "wb", preset=9) as dst:
        dst.write(src.read())
    tmp.unlink()


def read_xz(path: Path) -> list[Atoms]:
    # decompress into memory first: ASE seeks back to each frame, and a seek in an lzma stream
    # decompresses from the start (quadratic: 140 s instead of 2 s for round3's 631 frames)
    with lzma.open(path, "rt") as fh:
        text = io.StringIO(fh.read())
    return list(read(text, index=":", format="extxyz"))
