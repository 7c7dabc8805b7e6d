"""Test and reference structures (ASE Atoms) used by the export check and the fixtures.

Crystallographic facts come from $INTERPHASE_SHARED/data/README.md:
Li6PS5Cl conventional cell (a = 10.279498 A, 52 atoms, from Li6PS5Cl_conventional.data),
bcc Li a = 3.51 A, Li2S antifluorite a ~ 5.71 A.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np
from ase import Atoms

ARGYRODITE_TYPES = ("Li", "P", "S", "Cl")
LI_BCC_A = 3.51
LI2S_A = 5.71


def shared_data_dir() -> Path:
    """The shared data folder: $INTERPHASE_SHARED/data, else ../shared/data next to the repo."""
    env = os.environ.get("INTERPHASE_SHARED")
    if env:
        return Path(env) / "data"
    repo = Path(__file__).resolve().parents[3]
    return repo.parent / "shared" / "data"


def argyrodite() -> Atoms:
    """The 52-atom ordered Li6PS5Cl conventional cell (types 1..4 = Li P S Cl)."""
    path = shared_data_dir() / "Li6PS5Cl_conventional.data"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: set INTERPHASE_SHARED to the folder holding data/Li6PS5Cl_conventional.data"
        )
    lines = path.read_text().splitlines()
    box = np.zeros(3)
    pos, types = [], []
    in_atoms = False
    for line in lines:
        fields = line.split("#")[0].split()
        if line.strip().startswith("Atoms"):
            in_atoms = True
            continue
        if len(fields) == 4 and fields[2].endswith("lo") and fields[3].endswith("hi"):
            box["xyz".index(fields[2][0])] = float(fields[1]) - float(fields[0])
        elif in_atoms and len(fields) == 5:
            types.append(int(fields[1]))
            pos.append([float(x) for x in fields[2:5]])
        elif in_atoms and fields and not fields[0].isdigit():
            in_atoms = False
    symbols = [ARGYRODITE_TYPES[t - 1] for t in types]
    return Atoms(symbols=symbols, positions=pos, cell=np.diag(box), pbc=True)


def li_bcc(n: Sequence[int], a_xy: float = LI_BCC_A, a_z: float = LI_BCC_A) -> Atoms:
    """bcc Li block of n[0] x n[1] x n[2] cubic cells (lattice a_xy in x, y and a_z in z)."""
    basis = np.array([[0.0, 0.0, 0.0], [0.5, 0.5, 0.5]])
    pos = []
    for i in range(n[0]):
        for j in range(n[1]):
            for k in range(n[2]):
                for b in basis:
                    pos.append(((i + b[0]) * a_xy, (j + b[1]) * a_xy, (k + b[2]) * a_z))
    cell = np.diag([n[0] * a_xy, n[1] * a_xy, n[2] * a_z])
    return Atoms(symbols=["Li"] * len(pos), positions=pos, cell=cell, pbc=True)


def li2s_conventional() -> Atoms:
    """Li2S antifluorite conventional cell (12 atoms): S at fcc 4a, Li at 8c."""
    fcc = np.array([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])
    s = fcc
    li = np.concatenate([fcc + 0.25, fcc + 0.75]) % 1.0
    frac = np.concatenate([s, li])
    symbols = ["S"] * 4 + ["Li"] * 8
    return Atoms(symbols=symbols, scaled_positions=frac, cell=np.eye(3) * LI2S_A, pbc=True)


def interface() -> Atoms:
    """Li | Li6PS5Cl interface: argyrodite cell + 2 bcc Li layers cells, periodic (two interfaces).

    The Li block is strained laterally to the argyrodite cell (3 x 3.4265 A vs bcc 3.51 A).
    """
    arg = argyrodite()
    a = arg.cell[0, 0]
    li = li_bcc((3, 3, 2), a_xy=a / 3.0)
    gap = 2.2
    li.positions[:, 2] += a + gap
    atoms = arg + li
    atoms.set_cell(np.diag([a, a, a + gap + 2 * LI_BCC_A + gap]))
    atoms.pbc = True
    return atoms


def triclinic_li2s() -> Atoms:
    """Sheared Li2S 2x1x1 supercell with a LAMMPS-style lower-triangular cell (rows a, b, c)."""
    atoms = li2s_conventional().repeat((2, 1, 1))
    shear = np.array([[1.0, 0.0, 0.0], [0.12, 1.0, 0.0], [0.07, -0.09, 1.0]])
    atoms.set_cell(atoms.cell.array @ shear, scale_atoms=True)
    return atoms


def cluster(radius: float = 4.6) -> Atoms:
    """Non-periodic fragment of argyrodite: atoms within `radius` of the P at (1/2,1/2,1/2)."""
    arg = argyrodite()
    centre = arg.cell.array.sum(axis=0) / 2.0
    keep = np.linalg.norm(arg.positions - centre, axis=1) <= radius
    atoms = arg[keep]
    atoms.positions -= atoms.positions.min(axis=0) - 8.0
    atoms.set_cell(np.diag(atoms.positions.max(axis=0) + 8.0))
    atoms.pbc = False
    return atoms


def rattled(atoms: Atoms, stdev: float, seed: int) -> Atoms:
    out = atoms.copy()
    rng = np.random.default_rng(seed)
    out.positions += rng.normal(0.0, stdev, size=out.positions.shape)
    return out


def strained(atoms: Atoms, strain: Sequence[float]) -> Atoms:
    """Apply diagonal strain (ex, ey, ez) to cell and positions."""
    out = atoms.copy()
    out.set_cell(out.cell.array @ np.diag(1.0 + np.asarray(strain)), scale_atoms=True)
    return out


def random_structure(
    species: Sequence[str], n_atoms: int, r_max: float, periodic: bool, triclinic: bool, seed: int
) -> Atoms:
    """Random packing of `species` (cycled) with ~15 neighbours per atom inside r_max, min distance 1.7 A."""
    rng = np.random.default_rng(seed)
    density = 15.0 / (4.0 / 3.0 * np.pi * r_max**3)
    length = (n_atoms / density) ** (1.0 / 3.0)
    cell = np.eye(3) * length
    if triclinic:
        cell = cell @ np.array([[1.0, 0.0, 0.0], [0.2, 1.0, 0.0], [0.1, -0.15, 1.0]])
    pos: list[np.ndarray] = []
    tries = 0
    while len(pos) < n_atoms and tries < 100000:
        tries += 1
        p = rng.random(3) @ cell
        if all(_min_image_dist(p, q, cell, periodic) > 1.7 for q in pos):
            pos.append(p)
    symbols = [species[i % len(species)] for i in range(len(pos))]
    atoms = Atoms(symbols=symbols, positions=pos, cell=cell, pbc=periodic)
    if not periodic:
        atoms.positions += 5.0
        atoms.set_cell(cell + np.eye(3) * 10.0)
    return atoms


def _min_image_dist(p: np.ndarray, q: np.ndarray, cell: np.ndarray, periodic: bool) -> float:
    d = p - q
    if periodic:
        frac = np.linalg.solve(cell.T, d)
        frac -= np.round(frac)
        d = frac @ cell
    return float(np.linalg.norm(d))


def check_structures(species: Sequence[str], r_max: float) -> dict[str, Atoms]:
    """The small structures every export is checked on (periodic cubic and triclinic, and a cluster)."""
    out = {
        "random-periodic": random_structure(species, 24, r_max, True, False, seed=1),
        "random-triclinic": random_structure(species, 20, r_max, True, True, seed=2),
        "random-cluster": random_structure(species, 16, r_max, False, False, seed=3),
    }
    if set(ARGYRODITE_TYPES) <= set(species):
        try:
            out["argyrodite-rattled"] = rattled(argyrodite(), 0.08, seed=4)
        except FileNotFoundError:
            pass
    return out
