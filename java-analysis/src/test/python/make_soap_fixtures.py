#!/usr/bin/env python3
"""Make the dscribe SOAP reference fixtures for the Java SOAP tests.

Builds a handful of structures (argyrodite Li6PS5Cl from /work/shared/data, rattled rock-salt LiCl,
rattled bcc Li, a non-periodic Li-P-S-Cl cluster, a sheared (triclinic) Li3P cell), computes dscribe's
SOAP power spectrum for a few centres and parameter sets (gto and polynomial radial bases) and writes
plain-text files under java-analysis/src/test/resources/soap/:

  structures/<name>.txt   cell, pbc and atoms (element x y z, Angstrom, %.17g)
  values/<name>__<set>.txt  the parameters and one line per centre: "centre <index> v0 v1 ..."
  MANIFEST.txt            dscribe/numpy/ase versions and the list of value files

Run: /work/main/.venv/bin/python java-analysis/src/test/python/make_soap_fixtures.py [--shared /work/shared]
Periodic cells are replicated so that r_cut + dscribe's padding is at most half of every cell width
(the Java CellList's requirement); the script checks that dscribe gives the same values on the
unreplicated argyrodite cell, i.e. that replication does not change the reference.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import ase
import ase.io
from importlib.metadata import version

import dscribe  # noqa: F401  (imported for the SOAP class below)
import numpy as np
from ase import Atoms
from dscribe.descriptors import SOAP

DSCRIBE_VERSION = version("dscribe")
HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "resources" / "soap"
OUT = DEFAULT_OUT


@dataclass(frozen=True)
class ParamSet:
    """One dscribe SOAP parameter set."""

    label: str
    r_cut: float
    n_max: int
    l_max: int
    sigma: float
    rbf: str

    def padded_cutoff(self) -> float:
        return self.r_cut + self.sigma * float(np.sqrt(-2.0 * np.log(1e-3)))


GTO_A = ParamSet("gto_5.0_8_6_0.5", 5.0, 8, 6, 0.5, "gto")
GTO_B = ParamSet("gto_4.0_4_4_0.3", 4.0, 4, 4, 0.3, "gto")
GTO_C = ParamSet("gto_6.0_6_8_1.0", 6.0, 6, 8, 1.0, "gto")
POLY_A = ParamSet("polynomial_5.0_8_6_0.5", 5.0, 8, 6, 0.5, "polynomial")
POLY_B = ParamSet("polynomial_4.0_4_4_0.3", 4.0, 4, 4, 0.3, "polynomial")
POLY_D = ParamSet("polynomial_5.0_6_6_0.5", 5.0, 6, 6, 0.5, "polynomial")
POLY_C = ParamSet("polynomial_6.0_6_8_1.0", 6.0, 6, 8, 1.0, "polynomial")


def argyrodite(shared: Path) -> Atoms:
    """Li6PS5Cl conventional cell (52 atoms, a = 10.279498 A; shared/data/README.md)."""
    path = shared / "data" / "Li6PS5Cl_conventional.data"
    atoms = ase.io.read(path, format="lammps-data", atom_style="atomic", Z_of_type={1: 3, 2: 15, 3: 16, 4: 17})
    atoms.pbc = True
    return atoms


def rock_salt_licl(a: float = 5.13) -> Atoms:
    """LiCl rock salt, Fm-3m, a ~ 5.13 A, Cl at 4a and Li at 4b (shared/data/README.md)."""
    fcc = np.array([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])
    frac = np.vstack([fcc, fcc + 0.5]) % 1.0
    return Atoms(["Cl"] * 4 + ["Li"] * 4, scaled_positions=frac, cell=np.eye(3) * a, pbc=True)


def bcc_li(a: float = 3.51) -> Atoms:
    """bcc Li, Im-3m, a = 3.510 A (shared/data/README.md)."""
    return Atoms(["Li", "Li"], scaled_positions=[[0, 0, 0], [0.5, 0.5, 0.5]], cell=np.eye(3) * a, pbc=True)


def sheared_li3p(a: float = 4.27, c: float = 7.59, z: float = 0.583) -> Atoms:
    """Li3P (P63/mmc, a ~ 4.27, c ~ 7.59 A; P 2c, Li 2b and 4f with z ~ 0.583; shared/data/README.md),
    hexagonal cell in LAMMPS restricted-triclinic form, then sheared by small xz/yz tilts so that all
    three tilt factors are non-zero (a genuinely triclinic test cell, not a physical structure)."""
    frac = [
        ("P", (1 / 3, 2 / 3, 1 / 4)), ("P", (2 / 3, 1 / 3, 3 / 4)),
        ("Li", (0, 0, 1 / 4)), ("Li", (0, 0, 3 / 4)),
        ("Li", (1 / 3, 2 / 3, z)), ("Li", (2 / 3, 1 / 3, z + 0.5)),
        ("Li", (2 / 3, 1 / 3, -z)), ("Li", (1 / 3, 2 / 3, 0.5 - z)),
    ]
    cell = np.array([[a, 0, 0], [-a / 2, a * np.sqrt(3) / 2, 0], [0.6, 0.4, c]])
    return Atoms([s for s, _ in frac], scaled_positions=np.array([p for _, p in frac]) % 1.0, cell=cell, pbc=True)


def cluster(shared: Path, rng: np.random.Generator) -> Atoms:
    """Non-periodic Li-P-S-Cl cluster: argyrodite atoms within 5.5 A of a PS4 centre, rattled."""
    big = argyrodite(shared).repeat((2, 2, 2))
    p_index = [i for i, s in enumerate(big.get_chemical_symbols()) if s == "P"][0]
    centre = big.positions[p_index] + np.array([0.7, -0.3, 0.4])
    d = big.get_distances(p_index, range(len(big)), mic=True, vector=True)
    pos = big.positions[p_index] + d
    keep = np.linalg.norm(pos - centre, axis=1) <= 5.5
    atoms = Atoms(np.array(big.get_chemical_symbols())[keep].tolist(), positions=pos[keep], pbc=False)
    atoms.positions += rng.normal(0.0, 0.08, atoms.positions.shape)
    atoms.positions -= atoms.positions.min(axis=0) - 1.0
    atoms.cell = np.diag(atoms.positions.max(axis=0) + 1.0)
    return atoms


def replicate_for(atoms: Atoms, cutoff: float) -> tuple[int, int, int]:
    """Smallest repetition so that cutoff <= half of each perpendicular cell width."""
    cell = np.asarray(atoms.cell)
    vol = abs(np.linalg.det(cell))
    reps = []
    for d in range(3):
        cross = np.cross(cell[(d + 1) % 3], cell[(d + 2) % 3])
        width = vol / np.linalg.norm(cross)
        reps.append(int(np.ceil(2.0 * cutoff / width + 1e-9)))
    return tuple(reps)  # type: ignore[return-value]


def soap_for(ps: ParamSet, species: list[str], periodic: bool) -> SOAP:
    return SOAP(r_cut=ps.r_cut, n_max=ps.n_max, l_max=ps.l_max, sigma=ps.sigma, rbf=ps.rbf,
                species=species, periodic=periodic, average="off", sparse=False, dtype="float64")


def write_structure(name: str, atoms: Atoms) -> None:
    path = OUT / "structures" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# interphase SOAP fixture structure v1 (make_soap_fixtures.py); Angstrom, rows of cell = a, b, c",
             f"name {name}",
             "pbc " + " ".join("T" if p else "F" for p in atoms.pbc),
             "cell"]
    for row in np.asarray(atoms.cell):
        lines.append(" ".join(f"{x:.17g}" for x in row))
    lines.append(f"natoms {len(atoms)}")
    for s, p in zip(atoms.get_chemical_symbols(), atoms.positions):
        lines.append(f"{s} {p[0]:.17g} {p[1]:.17g} {p[2]:.17g}")
    path.write_text("\n".join(lines) + "\n")


def write_values(name: str, ps: ParamSet, species: list[str], periodic: bool, centres: list[int],
                 values: np.ndarray) -> str:
    fname = f"{name}__{ps.label}.txt"
    path = OUT / "values" / fname
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# dscribe {DSCRIBE_VERSION} SOAP(r_cut={ps.r_cut}, n_max={ps.n_max}, l_max={ps.l_max}, "
             f"sigma={ps.sigma}, rbf='{ps.rbf}', species={species}, periodic={periodic}, average='off', "
             "compression off, weighting None), float64, printed with 10 significant digits",
             f"structure {name}", f"r_cut {ps.r_cut!r}", f"n_max {ps.n_max}", f"l_max {ps.l_max}",
             f"sigma {ps.sigma!r}", f"rbf {ps.rbf}", "species " + " ".join(species),
             f"periodic {'true' if periodic else 'false'}", f"dimension {values.shape[1]}"]
    for c, row in zip(centres, values):
        lines.append(f"centre {c} " + " ".join(f"{v:.10g}" for v in row))
    path.write_text("\n".join(lines) + "\n")
    return fname


def first_of(atoms: Atoms, symbols: list[str]) -> list[int]:
    syms = atoms.get_chemical_symbols()
    return [syms.index(s) for s in symbols]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=HERE.parents[3] / ".." / "shared",
                    help="the shared/ folder holding data/Li6PS5Cl_conventional.data")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: the test resources)")
    args = ap.parse_args(argv)
    global OUT
    OUT = args.out
    shared = args.shared.resolve()
    rng = np.random.default_rng(20260314)
    four = ["Li", "P", "S", "Cl"]
    manifest: list[str] = []

    # 1. argyrodite, 2x2x2 (416 atoms): padded cutoff 6.86 A > a/2 of the 52-atom cell
    unit = argyrodite(shared)
    arg = unit.repeat((2, 2, 2))
    syms = arg.get_chemical_symbols()
    s_indices = [i for i, s in enumerate(syms) if s == "S"]
    # the free S (4c) is the S whose nearest P is farthest away
    p_idx = [i for i, s in enumerate(syms) if s == "P"]
    dist_to_p = [arg.get_distances(i, p_idx, mic=True).min() for i in s_indices]
    s_free = s_indices[int(np.argmax(dist_to_p))]
    s_ps4 = s_indices[int(np.argmin(dist_to_p))]
    cases: list[tuple[str, Atoms, list[str], bool, list[tuple[ParamSet, list[int]]]]] = [
        ("li6ps5cl_2x2x2", arg, four, True, [
            (GTO_A, [s_free]),
            (POLY_B, first_of(arg, ["Li", "P", "Cl"]) + [s_ps4]),
            (GTO_B, first_of(arg, ["Li", "P", "Cl"]) + [s_free]),
            (POLY_D, [first_of(arg, ["P"])[0]]),
        ]),
    ]
    # check: replication does not change dscribe's periodic SOAP (it already sums all images)
    for ps in (GTO_A, POLY_B):
        s = soap_for(ps, four, True)
        idx = [0, syms.index("P"), syms.index("Cl")]
        a = s.create(unit, centers=idx)
        b = s.create(arg, centers=idx)  # repeat() keeps the first 52 atoms = the unit cell
        err = np.abs(a - b).max() / np.abs(a).max()
        assert err < 1e-9, f"replication changed dscribe values by {err}"

    # 2. rattled LiCl rock salt, replicated for the 9.72 A padded cutoff
    licl = rock_salt_licl()
    licl = licl.repeat(replicate_for(licl, GTO_C.padded_cutoff()))
    licl.positions += rng.normal(0.0, 0.1, licl.positions.shape)
    licl.wrap()
    cases.append(("licl_rattled", licl, ["Li", "Cl"], True, [
        (GTO_C, [0, 5]), (POLY_A, [1, 4])]))

    # 3. rattled bcc Li
    li = bcc_li()
    li = li.repeat(replicate_for(li, GTO_C.padded_cutoff()))
    li.positions += rng.normal(0.0, 0.05, li.positions.shape)
    li.wrap()
    cases.append(("li_bcc_rattled", li, ["Li"], True, [
        (GTO_C, [0, 1, 77]), (POLY_C, [0, 1, 77]), (GTO_B, [0, 5, 9]), (POLY_A, [3, 10])]))

    # 4. non-periodic cluster
    cl = cluster(shared, rng)
    csyms = cl.get_chemical_symbols()
    cases.append(("cluster_lipscl", cl, four, False, [
        (GTO_B, first_of(cl, ["Li", "P", "S", "Cl"])),
        (POLY_C, [csyms.index("P")]),
        (GTO_A, [csyms.index("S")]),
    ]))

    # 5. sheared hexagonal Li3P (triclinic, all tilts non-zero)
    tri = sheared_li3p()
    tri = tri.repeat(replicate_for(tri, GTO_A.padded_cutoff()))
    tri.positions += rng.normal(0.0, 0.05, tri.positions.shape)
    tri.wrap()
    cases.append(("li3p_sheared", tri, ["Li", "P"], True, [
        (GTO_A, [0, 5]), (POLY_B, [0, 2, 6]), (POLY_A, [1, 4])]))

    for name, atoms, species, periodic, sets in cases:
        write_structure(name, atoms)
        for ps, centres in sets:
            if periodic:
                reps = replicate_for(atoms, ps.padded_cutoff())
                assert reps == (1, 1, 1), f"{name} too small for {ps.label}: {reps}"
            desc = soap_for(ps, species, periodic)
            values = np.atleast_2d(desc.create(atoms, centers=centres))
            manifest.append(write_values(name, ps, species, periodic, centres, values))
            print(f"{name:16s} {ps.label:24s} atoms={len(atoms):4d} centres={centres} dim={values.shape[1]}")

    header = [f"# SOAP fixtures made by make_soap_fixtures.py with dscribe {DSCRIBE_VERSION}, "
              f"numpy {np.__version__}, ase {ase.__version__}, python {sys.version.split()[0]}"]
    (OUT / "MANIFEST.txt").write_text("\n".join(header + manifest) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
