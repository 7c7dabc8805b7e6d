"""Test structures as LAMMPS data files (atom_style atomic, Masses labelled '# El').

Sources: the 52-atom Li6PS5Cl conventional cell from $INTERPHASE_SHARED/data
(Li6PS5Cl_conventional.data; argyrodite F-43m, a = 10.279498 A, see its README.md),
replicated and rattled; and random dense Li/P/S/Cl configurations with a minimum
pair distance, generated here with a fixed seed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ELEMENTS = ("Li", "P", "S", "Cl")
MASSES = {"Li": 6.94, "P": 30.973762, "S": 32.06, "Cl": 35.45}


@dataclass(frozen=True)
class Structure:
    """Atoms in a (possibly triclinic) LAMMPS box. positions are Cartesian, Angstrom."""

    lo: tuple[float, float, float]
    hi: tuple[float, float, float]
    tilt: tuple[float, float, float]  # xy xz yz
    elements: tuple[str, ...]  # element of each LAMMPS type, type = index + 1
    types: np.ndarray  # [N] 1-based
    positions: np.ndarray  # [N,3]

    @property
    def natoms(self) -> int:
        return len(self.types)

    @property
    def cell(self) -> np.ndarray:
        lx, ly, lz = (h - l for h, l in zip(self.hi, self.lo))
        xy, xz, yz = self.tilt
        return np.array([[lx, 0, 0], [xy, ly, 0], [xz, yz, lz]], float)

    def write(self, path: Path) -> Path:
        n = self.natoms
        lines = [f"LAMMPS data file: {n} atoms, written by tests/pair/structures.py", "",
                 f"{n} atoms", f"{len(self.elements)} atom types", ""]
        for k, ax in enumerate("xyz"):
            lines.append(f"{self.lo[k]:.17g} {self.hi[k]:.17g} {ax}lo {ax}hi")
        if any(t != 0.0 for t in self.tilt):
            lines.append(f"{self.tilt[0]:.17g} {self.tilt[1]:.17g} {self.tilt[2]:.17g} xy xz yz")
        lines += ["", "Masses", ""]
        for t, el in enumerate(self.elements, start=1):
            lines.append(f"{t} {MASSES[el]:.10g} # {el}")
        lines += ["", "Atoms # atomic", ""]
        for i in range(n):
            x, y, z = self.positions[i]
            lines.append(f"{i + 1} {int(self.types[i])} {x:.17g} {y:.17g} {z:.17g}")
        path.write_text("\n".join(lines) + "\n")
        return path


def shared_data_dir() -> Path:
    root = os.environ.get("INTERPHASE_SHARED")
    base = Path(root) if root else Path(__file__).resolve().parents[3] / "shared"
    return base / "data"


def read_data(path: Path) -> Structure:
    """Minimal reader for atom_style atomic data files with 'Masses' lines '# El' labelled."""
    text = Path(path).read_text().splitlines()
    lo, hi, tilt = [0.0] * 3, [0.0] * 3, [0.0, 0.0, 0.0]
    ntypes = 0
    masses: dict[int, str] = {}
    atoms: list[tuple[int, int, float, float, float]] = []
    section = None
    for raw in text[1:]:
        line = raw.split("#")[0].strip()
        comment = raw.split("#", 1)[1].strip() if "#" in raw else ""
        if not line:
            continue
        words = line.split()
        if words[0] in ("Masses", "Atoms", "Velocities"):
            section = words[0]
            continue
        if section is None:
            if line.endswith("atom types"):
                ntypes = int(words[0])
            for k, ax in enumerate("xyz"):
                if words[-2:] == [f"{ax}lo", f"{ax}hi"]:
                    lo[k], hi[k] = float(words[0]), float(words[1])
            if words[-3:] == ["xy", "xz", "yz"]:
                tilt = [float(w) for w in words[:3]]
        elif section == "Masses":
            masses[int(words[0])] = comment.split()[0] if comment else ""
        elif section == "Atoms":
            atoms.append((int(words[0]), int(words[1]), float(words[2]), float(words[3]),
                          float(words[4])))
    atoms.sort()
    elements = tuple(masses.get(t, "") for t in range(1, ntypes + 1))
    return Structure(tuple(lo), tuple(hi), tuple(tilt), elements,
                     np.array([a[1] for a in atoms], int),
                     np.array([a[2:] for a in atoms], float))


def li6ps5cl(reps: tuple[int, int, int] = (1, 1, 1), rattle: float = 0.0, seed: int = 0) -> Structure:
    """The shared Li6PS5Cl conventional cell, replicated reps times, rattled by N(0, rattle) A."""
    cell = read_data(shared_data_dir() / "Li6PS5Cl_conventional.data")
    if cell.elements != ELEMENTS:
        raise ValueError(f"unexpected type labels {cell.elements} in Li6PS5Cl_conventional.data")
    a = np.array(cell.hi) - np.array(cell.lo)
    pos, typ = [], []
    for i in range(reps[0]):
        for j in range(reps[1]):
            for k in range(reps[2]):
                pos.append(cell.positions - np.array(cell.lo) + a * (i, j, k))
                typ.append(cell.types)
    positions = np.concatenate(pos)
    if rattle > 0:
        positions = positions + np.random.default_rng(seed).normal(0.0, rattle, positions.shape)
    hi = tuple(float(x) for x in a * reps)
    return Structure((0.0, 0.0, 0.0), hi, (0.0, 0.0, 0.0), ELEMENTS, np.concatenate(typ),
                     positions)


def random_dense(natoms: int, density: float = 0.045, min_dist: float = 1.9, seed: int = 1,
                 tilt_fraction: tuple[float, float, float] = (0.0, 0.0, 0.0),
                 fractions: tuple[float, ...] = (0.5, 0.1, 0.3, 0.1)) -> Structure:
    """natoms random Li/P/S/Cl atoms (given number fractions) in a periodic box of the given
    number density (atoms/A^3), no pair closer than min_dist (minimum image), optionally
    triclinic with tilts = tilt_fraction * box length."""
    rng = np.random.default_rng(seed)
    length = (natoms / density) ** (1.0 / 3.0)
    xy, xz, yz = (f * length for f in tilt_fraction)
    h = np.array([[length, 0, 0], [xy, length, 0], [xz, yz, length]])
    hinv = np.linalg.inv(h)
    frac = np.empty((0, 3))
    tries = 0
    while len(frac) < natoms:
        tries += 1
        if tries > 200000:
            raise RuntimeError("could not place atoms: lower the density or min_dist")
        s = rng.random(3)
        if len(frac):
            d = frac - s
            d -= np.round(d)
            r = np.linalg.norm(d @ h, axis=1)
            if np.min(r) < min_dist:
                continue
        frac = np.vstack([frac, s])
    positions = frac @ h
    counts = np.floor(np.array(fractions) / sum(fractions) * natoms).astype(int)
    counts[0] += natoms - counts.sum()
    types = np.repeat(np.arange(1, len(fractions) + 1), counts)
    rng.shuffle(types)
    assert np.allclose(positions @ hinv, frac)
    return Structure((0.0, 0.0, 0.0), (length, length, length), (xy, xz, yz), ELEMENTS, types,
                     positions)


def cluster(natoms: int, box: float = 40.0, radius: float | None = None, min_dist: float = 2.0,
            seed: int = 2, corner: bool = False) -> Structure:
    """A random Li/P/S/Cl cluster (a ball of the given radius) inside a cube of side box.
    corner=True puts it near the low corner, so a processor grid leaves sub-domains empty."""
    rng = np.random.default_rng(seed)
    if radius is None:
        radius = (natoms / 0.04 * 3.0 / (4.0 * np.pi)) ** (1.0 / 3.0)
    centre = np.full(3, radius + 4.0) if corner else np.full(3, box / 2)
    pts: list[np.ndarray] = []
    while len(pts) < natoms:
        p = centre + rng.uniform(-radius, radius, 3)
        if np.linalg.norm(p - centre) > radius:
            continue
        if pts and np.min(np.linalg.norm(np.array(pts) - p, axis=1)) < min_dist:
            continue
        pts.append(p)
    types = rng.choice([1, 2, 3, 4], size=natoms, p=[0.5, 0.1, 0.3, 0.1])
    return Structure((0.0, 0.0, 0.0), (box, box, box), (0.0, 0.0, 0.0), ELEMENTS, types,
                     np.array(pts))
