"""How the committee's force deviation relates to model 0's true force error (issue 13's trust level).

Usage: python committee_calibration.py M0.onnx M1.onnx [M2.onnx ...] [--test data/holdout.extxyz.xz]
                                      [--out calibration.md] [--target 0.100]

On every hold-out frame (SevenNet-0 labels, never trained on), each model's forces give the
per-atom deviation eps_i = sqrt(mean_m |F_i^m - <F_i>|^2) (the formula of pair_style onnx and
DeePMD-kit) and its frame maximum max_devi_f; model 0's true error is |F_i^0 - F_i^label|.
Printed: per family the median max_devi_f and model 0's force MAE and max error; the rank
correlation of eps_i with model 0's error per atom; and the frames binned by max_devi_f, and by
avg_devi_f (the mean of eps_i, which unlike the maximum does not grow with the number of atoms),
with the force MAE of each bin. The trust level is the largest bin edge below which every bin's
force MAE is within --target (eV/A, issue 13's per-family force target): a run whose deviation
stays below it is in the region where the model meets its accuracy target.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import common as C

EDGES = {"max_devi_f": (0.0, 0.02, 0.04, 0.06, 0.08, 0.10, 0.15, 0.20, 0.30, 0.50, np.inf),
         "avg_devi_f": (0.0, 0.004, 0.008, 0.012, 0.016, 0.020, 0.030, 0.050, np.inf)}


def rank(x: np.ndarray) -> np.ndarray:
    r = np.empty(len(x))
    r[np.argsort(x, kind="stable")] = np.arange(len(x))
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--test", type=Path, default=C.DATA_DIR / "holdout.extxyz.xz")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--target", type=float, default=0.100)
    a = ap.parse_args()
    if len(a.models) < 2:
        ap.error("a committee needs at least two models")
    from interphase_export.check import OnnxPotential

    pots = [OnnxPotential(m) for m in a.models]
    frames = C.read_xz(a.test)
    rows = []  # family, max_devi_f, mean |dF| of model 0, max |dF| of model 0
    eps_all, err_all = [], []
    for atoms in frames:
        forces = np.stack([p.evaluate(atoms).forces for p in pots])        # (M, n, 3)
        eps = np.sqrt(((forces - forces.mean(0)) ** 2).sum(-1).mean(0))    # (n,)
        err = np.linalg.norm(forces[0] - atoms.get_forces(), axis=1)        # (n,)
        abs_sum = np.abs(forces[0] - atoms.get_forces()).sum()              # per component, as evaluate.py
        rows.append((C.family(atoms), eps.max(), abs_sum, err.max(), 3 * len(atoms), eps.mean()))
        eps_all.append(eps)
        err_all.append(err)
    eps_all, err_all = np.concatenate(eps_all), np.concatenate(err_all)
    fam = np.array([r[0] for r in rows])
    dev = np.array([r[1] for r in rows])
    avg = np.array([r[5] for r in rows])
    abs_sum = np.array([r[2] for r in rows])
    ncomp = np.array([r[4] for r in rows])
    mx = np.array([r[3] for r in rows])

    def mae(sel: np.ndarray) -> float:  # force-component MAE over the atoms of the selected frames (eV/A)
        return abs_sum[sel].sum() / ncomp[sel].sum()

    out = [f"Committee: {', '.join(m.name for m in a.models)} (model 0 first); frames: {a.test.name} ({len(frames)})", "",
           "| family | frames | median max_devi_f (eV/A) | model 0 F MAE (meV/A) | median max error (eV/A) |",
           "|---|---|---|---|---|"]
    for f in sorted(set(fam)) + ["all"]:
        sel = fam == f if f != "all" else np.ones(len(fam), bool)
        out.append(f"| {f} | {sel.sum()} | {np.median(dev[sel]):.3f} | {1000 * mae(sel):.0f} | {np.median(mx[sel]):.3f} |")
    rho = np.corrcoef(rank(eps_all), rank(err_all))[0, 1]
    out += ["", f"Spearman rank correlation of eps_i with model 0's error |dF_i|, over {len(eps_all)} atoms: {rho:.2f}", "",
            ]
    for name, values in (("max_devi_f", dev), ("avg_devi_f", avg)):
        out += [f"| {name} bin (eV/A) | frames | model 0 F MAE (meV/A) | median max error (eV/A) |", "|---|---|---|---|"]
        trust, ok = 0.0, True
        for lo, hi in zip(EDGES[name][:-1], EDGES[name][1:]):
            sel = (values >= lo) & (values < hi)
            if not sel.any():
                continue
            m = mae(sel)
            out.append(f"| {lo:.3f}-{hi:.3f} | {sel.sum()} | {1000 * m:.0f} | {np.median(mx[sel]):.3f} |")
            ok = ok and m <= a.target
            if ok and np.isfinite(hi):
                trust = hi
        out += ["", f"trust level on {name} (largest value below which every bin's F MAE <= {1000 * a.target:.0f} meV/A): "
                f"{trust:.3f} eV/A", ""]
    text = "\n".join(out) + "\n"
    print(text, end="")
    if a.out:
        a.out.write_text(text)


if __name__ == "__main__":
    main()
