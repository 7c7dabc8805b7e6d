"""Reference fixtures (contract C6): LAMMPS data files + nequip-calculator reference values."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
from ase import Atoms
from ase.data import atomic_masses, atomic_numbers

from . import structures
from .check import Evaluation, nequip_reference


def fixture_structures() -> dict[str, Atoms]:
    """Named structures (Li/P/S/Cl only): crystal, interface, triclinic, cluster, rattled, strained."""
    arg = structures.argyrodite()
    return {
        "argyrodite": arg,
        "interface": structures.rattled(structures.interface(), 0.03, seed=21),
        "triclinic": structures.rattled(structures.triclinic_li2s(), 0.05, seed=22),
        "cluster": structures.cluster(),
        "rattled": structures.rattled(arg, 0.12, seed=23),
        "strained": structures.rattled(structures.strained(arg, (0.03, -0.02, 0.015)), 0.04, seed=24),
    }


def lammps_cell(atoms: Atoms) -> tuple[float, float, float, float, float, float]:
    """(lx, ly, lz, xy, xz, yz) of a cell whose rows are already in LAMMPS lower-triangular form."""
    h = atoms.cell.array
    if abs(h[0, 1]) > 1e-12 or abs(h[0, 2]) > 1e-12 or abs(h[1, 2]) > 1e-12:
        raise ValueError("cell is not in LAMMPS form (a along x, b in the xy plane)")
    return h[0, 0], h[1, 1], h[2, 2], h[1, 0], h[2, 0], h[2, 1]


def write_lammps_data(path: Path, atoms: Atoms, species: Sequence[str], title: str) -> None:
    lx, ly, lz, xy, xz, yz = lammps_cell(atoms)
    types = {s: k + 1 for k, s in enumerate(species)}
    lines = [
        f"# {title} (interphase reference fixture, atom_style atomic)",
        "",
        f"{len(atoms)} atoms",
        f"{len(species)} atom types",
        "",
        f"0.0 {lx:.17g} xlo xhi",
        f"0.0 {ly:.17g} ylo yhi",
        f"0.0 {lz:.17g} zlo zhi",
    ]
    if max(abs(xy), abs(xz), abs(yz)) > 0.0:
        lines.append(f"{xy:.17g} {xz:.17g} {yz:.17g} xy xz yz")
    lines += ["", "Masses", ""]
    for s in species:
        lines.append(f"{types[s]} {atomic_masses[atomic_numbers[s]]:.10g} # {s}")
    lines += ["", "Atoms # atomic", ""]
    for k, (s, p) in enumerate(zip(atoms.get_chemical_symbols(), atoms.positions), start=1):
        lines.append(f"{k} {types[s]} {p[0]:.17g} {p[1]:.17g} {p[2]:.17g}")
    path.write_text("\n".join(lines) + "\n")


def write_ref(
    path: Path, atoms: Atoms, ref: Evaluation, model_rel: str, species: Sequence[str], source: str, comment: str = ""
) -> None:
    if ref.virial is not None:
        w = ref.virial
    else:  # non-periodic: W = sum_i r_i (x) F_i (well defined since the forces sum to zero)
        w = np.einsum("ia,ib->ab", atoms.positions, ref.forces)
    virial = [w[0, 0], w[1, 1], w[2, 2], w[0, 1], w[0, 2], w[1, 2]]
    lines = [
        "# interphase reference v1",
        f"model {model_rel}",
        f"species {' '.join(species)}",
        f"source {source}",
    ]
    if comment:
        lines.append(f"# {comment}")
    if not atoms.pbc.any():
        lines.append("pbc f f f")
    lines += [
        f"energy {ref.energy:.17g}",
        "virial " + " ".join(f"{x:.17g}" for x in virial),
        f"natoms {len(atoms)}",
    ]
    for k, (s, f, e) in enumerate(zip(atoms.get_chemical_symbols(), ref.forces, ref.energies), start=1):
        lines.append(f"{k} {s} {f[0]:.17g} {f[1]:.17g} {f[2]:.17g} {e:.17g}")
    path.write_text("\n".join(lines) + "\n")


def read_ref(path: Path) -> dict:
    """Parse a .ref file (used by tests and the fixture self-check)."""
    out: dict = {"pbc": "t t t"}
    rows = []
    for line in Path(path).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, _, rest = line.partition(" ")
        if head in ("model", "species", "source", "pbc"):
            out[head] = rest.strip()
        elif head == "energy":
            out["energy"] = float(rest)
        elif head == "virial":
            out["virial"] = np.array(rest.split(), dtype=float)
        elif head == "natoms":
            out["natoms"] = int(rest)
        else:
            f = line.split()
            rows.append((int(f[0]), f[1], *map(float, f[2:6])))
    out["ids"] = np.array([r[0] for r in rows])
    out["elements"] = [r[1] for r in rows]
    out["forces"] = np.array([r[2:5] for r in rows])
    out["energies"] = np.array([r[5] for r in rows])
    return out


def make(folder: Path, source: str, model_rel: str, species: Sequence[str], calc,
         model_dtype: str = "float64") -> dict[str, Evaluation]:
    """Write <name>.data and <name>.ref for every fixture structure; returns the references.

    `model_dtype` is the precision nequip's calculator evaluates the model in (its `model_dtype`):
    it is written on the `source` line, and the pair-style test holds a float32 model's
    references to float32-level tolerances whatever the ONNX file's precision."""
    import nequip

    folder.mkdir(parents=True, exist_ok=True)
    refs = {}
    for name, atoms in fixture_structures().items():
        atoms = atoms.copy()
        if atoms.pbc.all():
            atoms.wrap()
        ref = nequip_reference(atoms, calc)
        write_lammps_data(folder / f"{name}.data", atoms, species, name)
        write_ref(
            folder / f"{name}.ref",
            atoms,
            ref,
            model_rel,
            species,
            f"nequip {nequip.__version__} NequIPCalculator {model_dtype}",
            comment=f"nequip model {Path(source).name}; structure '{name}' from interphase_export.fixtures",
        )
        refs[name] = ref
    return refs
