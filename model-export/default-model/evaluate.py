"""Per-family test errors of a trained/packaged nequip model against the labeller's labels.

Usage: python evaluate.py MODEL(.ckpt|.nequip.zip) TEST.extxyz [--out errors.md]
Prints a markdown table: energy MAE/RMSE (meV/atom), force MAE/RMSE (meV/A) per config_type.
"""

from __future__ import annotations

import argparse
import os
import warnings
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.io import read

warnings.filterwarnings("ignore")


def load_calculator(model: Path):
    """nequip's own ASE calculator for a checkpoint or a nequip-package archive."""
    from nequip.integrations.ase import NequIPCalculator

    return NequIPCalculator._from_saved_model(str(model), device="cpu")


def errors_by_family(calc, frames: list[Atoms]) -> dict[str, dict[str, float]]:
    acc: dict[str, dict[str, list[np.ndarray]]] = {}
    for f in frames:
        fam = str(f.info.get("config_type", "all"))
        e_ref = f.get_potential_energy()
        f_ref = f.get_forces()
        a = Atoms(f.get_chemical_symbols(), positions=f.get_positions(), cell=f.cell, pbc=f.pbc)
        a.calc = calc
        de = (a.get_potential_energy() - e_ref) / len(a)
        df = (a.get_forces() - f_ref).ravel()
        for key in (fam, "all"):
            d = acc.setdefault(key, {"e": [], "f": []})
            d["e"].append(np.array([de]))
            d["f"].append(df)
    out: dict[str, dict[str, float]] = {}
    for fam, d in acc.items():
        e = np.concatenate(d["e"]) * 1000.0
        fo = np.concatenate(d["f"]) * 1000.0
        out[fam] = {"frames": float(len(e)),
                    "e_mae": float(np.abs(e).mean()), "e_rmse": float(np.sqrt((e ** 2).mean())),
                    "f_mae": float(np.abs(fo).mean()), "f_rmse": float(np.sqrt((fo ** 2).mean()))}
    return out


def table(res: dict[str, dict[str, float]]) -> str:
    lines = ["| family | test frames | E MAE (meV/atom) | E RMSE (meV/atom) | F MAE (meV/A) | F RMSE (meV/A) |",
             "|---|---|---|---|---|---|"]
    for fam in sorted(res, key=lambda k: (k == "all", k)):
        r = res[fam]
        lines.append(f"| {fam} | {int(r['frames'])} | {r['e_mae']:.1f} | {r['e_rmse']:.1f} | "
                     f"{r['f_mae']:.0f} | {r['f_rmse']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("test", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    for p in (args.model, args.test):
        if not p.exists():
            raise SystemExit(f"error: {p} does not exist")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    frames = list(read(args.test, index=":", format="extxyz"))
    text = table(errors_by_family(load_calculator(args.model), frames))
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
