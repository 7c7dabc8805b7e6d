"""A model's dissociation limit against its labeller, and the under-coordinated atoms of frames.

Usage: python dissociation_check.py MODEL(.onnx|.ckpt|.nequip.zip) [--frames FILE.extxyz[.xz] ...]
                                    [--out check.md]

Prints (markdown):
  1. each species alone in a 20 A box: model and SevenNet-0 energies (eV) and their difference;
  2. every species pair at its bond length (make_lowcoord.BOND): energies, and the force on the
     second atom along the bond (eV/A; negative pulls the pair together);
  3. with --frames, per frame: atoms with at most two neighbours within 3.2 A by species, and the
     P atoms by their number of S neighbours within 2.6 A (PS4 groups, reduced P, P-S fragments).
A model whose isolated atoms are bound more strongly than the teacher's gains energy by
evaporating atoms into any void; section 3 shows whether a trajectory did.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.io import read

import common as C
from evaluate import load_calculator
from make_lowcoord import BOND, in_box


def energy_force(calc, atoms: Atoms) -> tuple[float, float]:
    a = atoms.copy()
    a.calc = calc
    return float(a.get_potential_energy()), float(a.get_forces()[-1, 2])


def limit_tables(calc) -> str:
    atoms = [in_box([s], np.zeros((1, 3))) for s in C.SPECIES]
    pairs = [(a, b, r, in_box([a, b], np.array([[0.0, 0.0, 0.0], [0.0, 0.0, r]])))
             for (a, b), r in BOND.items()]
    model = [energy_force(calc, x) for x in atoms + [p[3] for p in pairs]]
    with C.labeller_dtype():  # SevenNet needs torch's float32 default, nequip sets float64
        teacher = [energy_force(C.labeller(), x) for x in atoms + [p[3] for p in pairs]]
    n = len(atoms)
    lines = ["| isolated atom | model (eV) | SevenNet-0 (eV) | model - SevenNet-0 (eV) |", "|---|---|---|---|"]
    lines += [f"| {s} | {m[0]:.3f} | {t[0]:.3f} | {m[0] - t[0]:+.3f} |"
              for s, m, t in zip(C.SPECIES, model[:n], teacher[:n])]
    lines += ["", "| dimer | r (A) | model E (eV) | SevenNet-0 E (eV) | dE (eV) | model F_z (eV/A) | SevenNet-0 F_z (eV/A) |",
              "|---|---|---|---|---|---|---|"]
    for (a, b, r, _), (em, fm), (et, ft) in zip(pairs, model[n:], teacher[n:]):
        lines.append(f"| {a}-{b} | {r:.2f} | {em:.3f} | {et:.3f} | {em - et:+.3f} | {fm:+.2f} | {ft:+.2f} |")
    return "\n".join(lines)


def coordination_table(paths: list[Path]) -> str:
    from ase.neighborlist import neighbor_list

    lines = ["| file | step | atoms | Li, P, S, Cl with <= 2 neighbours within 3.2 A | P by number of S within 2.6 A (0, 1, 2, 3, 4) |",
             "|---|---|---|---|---|"]
    for path in paths:
        frames = C.read_xz(path) if path.suffix == ".xz" else list(read(path, index=":"))
        for f in frames:
            i, j, d = neighbor_list("ijd", f, 3.2)
            sym = np.array(f.get_chemical_symbols())
            cn = np.bincount(i, minlength=len(f))
            low = ", ".join(str(int(((cn <= 2) & (sym == s)).sum())) for s in C.SPECIES)
            ps = (sym[i] == "P") & (sym[j] == "S") & (d < 2.6)
            n_s = np.bincount(np.bincount(i[ps], minlength=len(f))[sym == "P"], minlength=5)
            lines.append(f"| {path.name} | {f.info.get('step', '-')} | {len(f)} | {low} | "
                         f"{', '.join(str(int(n)) for n in n_s[:5])} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("--frames", type=Path, nargs="*", default=[])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    for p in [args.model, *args.frames]:
        if not p.exists():
            raise SystemExit(f"error: {p} does not exist")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    text = f"Model {args.model.name} against {C.LABELLER_NAME}\n\n" + limit_tables(load_calculator(args.model))
    if args.frames:
        text += "\n\n" + coordination_table(args.frames)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
