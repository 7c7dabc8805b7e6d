"""One round of committee-disagreement active learning.

Usage: python active_learning.py --round R [--members 3] [--epochs 12] [--k 40]

1. train a committee of small Allegro models (different seeds) on every data/*.extxyz.xz
   (train.sh, nequip-train), the same train/val/test split as the final model;
2. run short Langevin MD with member 0 (nequip's ASE calculator) from several starting
   structures (crystals, hot Li | Li6PS5Cl interface, Li-P-S-Cl melts);
3. score every sampled frame by the committee force disagreement
   max_i sqrt(mean_m |F_m,i - <F_i>|^2) (eV/A);
4. label the k most uncertain frames (at most k/2 per trajectory) with the labeller and
   write them to data/al_round{R}.extxyz.xz; a summary goes to data/al_round{R}.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import numpy as np
from ase import Atoms, units
from ase.md.langevin import Langevin
from ase.md.velocitydistribution import MaxwellBoltzmannDistribution

import common as C
from evaluate import load_calculator

MIN_DIST = 1.2  # A; frames with closer pairs are discarded as unphysical (MD blow-up)


def train_committee(rnd: int, members: int, epochs: int, minutes: int) -> list[Path]:
    ckpts: list[Path] = []
    for m in range(members):
        name = f"al{rnd}_m{m}"
        ckpt = C.RUNS_DIR / name / "train" / "best.ckpt"
        if not ckpt.exists():
            log = C.RUNS_DIR / f"{name}.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "w") as fh:
                subprocess.run(
                    ["bash", str(C.HERE / "train.sh"), name, f"++seed={101 + m}",
                     f"++max_epochs={epochs}", f"++max_time=00:00:{minutes:02d}:00",
                     "++num_scalar_features=16", "++mlp_width=16", "++lr=0.006", "++batch_size=2",
                     "++run=[train]"],
                    check=True, stdout=fh, stderr=subprocess.STDOUT, cwd=C.HERE)
        ckpts.append(ckpt)
    return ckpts


def starting_structures(rng: np.random.Generator) -> list[tuple[str, Atoms, float]]:
    mix = C.random_mixture({"Li": 32, "S": 10, "P": 3, "Cl": 3}, density=0.050, rng=rng)
    return [
        ("interface", C.interface(), 750.0),
        ("interface", C.interface(n_li_layers=3, gap=1.8), 500.0),
        ("argyrodite", C.argyrodite(), 800.0),
        ("li_bcc", C.li_bcc(rep=(3, 3, 3)), 600.0),
        ("li2s", C.li2s(rep=(2, 2, 1)), 800.0),
        ("li3p", C.li3p(rep=(2, 2, 1)), 800.0),
        ("licl", C.licl(rep=(2, 2, 1)), 800.0),
        ("melt", mix, 1000.0),
    ]


def min_pair_distance(a: Atoms) -> float:
    d = a.get_all_distances(mic=True)
    np.fill_diagonal(d, np.inf)
    return float(d.min())


def sample_md(calc, start: Atoms, T: float, steps: int, every: int,
              rng: np.random.Generator) -> list[Atoms]:
    atoms = start.copy()
    atoms.calc = calc
    MaxwellBoltzmannDistribution(atoms, temperature_K=T, rng=rng)
    dyn = Langevin(atoms, 2.0 * units.fs, temperature_K=T, friction=0.02, rng=rng)
    out: list[Atoms] = []
    for step in range(1, steps + 1):
        dyn.run(1)
        if step % every == 0:
            snap = Atoms(atoms.get_chemical_symbols(), positions=atoms.get_positions(),
                         cell=atoms.cell, pbc=True)
            snap.wrap()
            if min_pair_distance(snap) < MIN_DIST:
                break  # trajectory exploded: stop, keep what we have
            out.append(snap)
    return out


def disagreement(calcs: list, frames: list[Atoms]) -> np.ndarray:
    scores = []
    for f in frames:
        forces = []
        for c in calcs:
            a = f.copy()
            a.calc = c
            forces.append(a.get_forces())
        F = np.array(forces)  # [M, N, 3]
        dev = np.sqrt(((F - F.mean(axis=0)) ** 2).sum(axis=2).mean(axis=0))  # [N]
        scores.append(float(dev.max()))
    return np.array(scores)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--round", type=int, required=True)
    ap.add_argument("--members", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--minutes", type=int, default=4, help="wall-time cap per member")
    ap.add_argument("--k", type=int, default=40)
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("--every", type=int, default=5)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    t0 = time.time()
    rng = np.random.default_rng(1000 + args.round)
    data_files = sorted(str(p) for p in C.DATA_DIR.glob("*.extxyz.xz"))
    os.environ["DATA_FILES"] = " ".join(data_files)

    ckpts = train_committee(args.round, args.members, args.epochs, args.minutes)
    t_train = time.time() - t0
    calcs = [load_calculator(p) for p in ckpts]

    candidates: list[tuple[int, str, Atoms]] = []
    for t, (fam, start, T) in enumerate(starting_structures(rng)):
        frames = sample_md(calcs[0], start, T, args.steps, args.every, rng)
        candidates += [(t, fam, f) for f in frames]
        print(f"traj {t} {fam} {T:.0f} K: {len(frames)} frames", flush=True)
    scores = disagreement(calcs, [c[2] for c in candidates])

    per_traj_cap = max(1, args.k // 2)
    taken: dict[int, int] = {}
    chosen: list[int] = []
    for i in np.argsort(-scores):
        t = candidates[i][0]
        if taken.get(t, 0) < per_traj_cap:
            chosen.append(int(i))
            taken[t] = taken.get(t, 0) + 1
        if len(chosen) == args.k:
            break
    labelled = [C.label(candidates[i][2], candidates[i][1]) for i in chosen]
    out = C.DATA_DIR / f"al_round{args.round}.extxyz.xz"
    C.write_xz(out, labelled)

    # true error of member 0 on the selected frames (labels now known)
    ferr = []
    for i, lab in zip(chosen, labelled):
        a = candidates[i][2].copy()
        a.calc = calcs[0]
        ferr.append(float(np.abs(a.get_forces() - lab.get_forces()).max()))
    summary = {
        "round": args.round,
        "data_files_before": [Path(p).name for p in data_files],
        "committee": {"members": args.members, "max_epochs": args.epochs,
                      "max_minutes": args.minutes, "num_scalar_features": 16,
                      "train_wall_s": round(t_train, 1)},
        "md": {"steps": args.steps, "every": args.every, "dt_fs": 2.0,
               "starts": [f"{fam}@{T:.0f}K" for fam, _, T in starting_structures(
                   np.random.default_rng(1000 + args.round))]},
        "candidates": len(candidates),
        "score_eV_per_A": {"min": float(scores.min()), "median": float(np.median(scores)),
                           "max": float(scores.max()),
                           "selected_min": float(scores[chosen].min())},
        "selected": len(chosen),
        "selected_per_family": {f: sum(1 for i in chosen if candidates[i][1] == f)
                                for f in sorted({candidates[i][1] for i in chosen})},
        "member0_max_force_error_on_selected_eV_per_A": {
            "median": float(np.median(ferr)), "max": float(np.max(ferr))},
        "wall_s": round(time.time() - t0, 1),
    }
    (C.DATA_DIR / f"al_round{args.round}.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
