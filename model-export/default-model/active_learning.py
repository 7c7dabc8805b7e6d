"""One active-learning round with the product's own tools (docs/active-learning.md).

Usage: python active_learning.py --round R [--members 4] [--epochs 6] [--steps 4000]
       [--every 20] [--temperature 650] [--trust-lo 0.10] [--trust-hi 0.60] [--max 16]
       [--config allegro_lipscl]

1. train a committee of `members` Allegro models of config/CONFIG.yaml (default: the v1 size;
   allegro_lipscl_v2 for the v2 recipe) that differ only in their seed, on every training data
   file (split.training_files; train.sh, nequip-train);
2. export each to ONNX (interphase-export, float32, checked against nequip's calculator);
3. run NVT MD of the Li | Li6PS5Cl interface with the committee in LAMMPS:
   `pair_style onnx out_freq EVERY atomic` + `pair_coeff * * m0 ... mK Li P S Cl`, which writes
   DeePMD-kit's model_devi.out, and a text dump every EVERY steps;
4. `interphase select` picks the frames with trust_lo <= max_devi_f < trust_hi (DP-GEN's rule),
   at most --max, spread over local-environment clusters;
5. label them with the teacher (SevenNet-0 from the sevenn wheel, offline) ->
   data/al_round{R}.extxyz.xz;
6. retrain the committee with the same seeds and budget on the data plus the new frames,
   export it, and evaluate both committees on the same MD frames (LAMMPS `rerun` with
   pair_style onnx) and both model-0s on the labelled frames;
7. write data/al_round{R}.json with the numbers.

Every step is skipped when its output exists, so an interrupted round resumes. Runs go to
runs/al{R}_* (git-ignored). Needs `source scripts/env.sh` (INTERPHASE_LMP, INTERPHASE_PLUGIN).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
from ase.io import read, write

import common as C
import split

ROOT = C.HERE.parents[1]
BIN = Path(os.environ.get("INTERPHASE_PYTHON", ROOT / ".venv" / "bin" / "python")).parent


def run(cmd: list[str], log: Path, cwd: Path | None = None, env: dict | None = None) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as fh:
        proc = subprocess.run([str(c) for c in cmd], stdout=fh, stderr=subprocess.STDOUT, cwd=cwd,
                              env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-15:]
        raise SystemExit(f"{cmd[0]} failed (exit {proc.returncode}); see {log}:\n" + "\n".join(tail))


def train_and_export(name: str, seed: int, epochs: int, data_files: list[Path],
                     config: str = "allegro_lipscl") -> Path:
    """CONFIG=config train.sh NAME ++seed=SEED (a fixed number of epochs, so the budget does not
    depend on how busy the machine is) -> runs/NAME/model.f32.onnx."""
    run_dir = C.RUNS_DIR / name
    onnx = run_dir / "model.f32.onnx"
    if onnx.exists():
        return onnx
    ckpt = run_dir / "train" / "best.ckpt"
    if not ckpt.exists():
        if (run_dir / "train").exists():
            shutil.rmtree(run_dir / "train")  # an interrupted training: start it again
        run(["bash", C.HERE / "train.sh", name, f"++seed={seed}", f"++max_epochs={epochs}",
             "++max_time=00:03:00:00", "++run=[train]"], C.RUNS_DIR / f"{name}.train.log", cwd=C.HERE,
            env={"DATA_FILES": " ".join(str(p) for p in data_files), "CONFIG": config})
    run([BIN / "interphase-export", ckpt, "-o", onnx, "--dtype", "float32", "-q"],
        C.RUNS_DIR / f"{name}.export.log")
    return onnx


def lammps(deck: str, workdir: Path, name: str = "in.lmp") -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / name).write_text(deck)
    lmp = os.environ.get("INTERPHASE_LMP")
    if not lmp:
        raise SystemExit("INTERPHASE_LMP is not set: run 'source scripts/env.sh' first")
    run(["mpirun", "-np", "1", "--allow-run-as-root", lmp, "-in", name, "-log", "log.lammps", "-nocite"],
        workdir / "screen.txt", cwd=workdir, env={"OMP_NUM_THREADS": "1"})


def pair_lines(models: list[Path], every: int, out_file: str) -> str:
    plugin = os.environ.get("INTERPHASE_PLUGIN")
    if not plugin:
        raise SystemExit("INTERPHASE_PLUGIN is not set: run 'source scripts/env.sh' first")
    return "\n".join([f"plugin load {plugin}",
                      f"pair_style onnx out_freq {every} out_file {out_file} atomic",
                      f"pair_coeff * * {' '.join(str(m) for m in models)} Li P S Cl"])


def md_deck(data: Path, models: list[Path], args: argparse.Namespace) -> str:
    return "\n".join([
        "units metal", "atom_style atomic", "boundary p p p", f"read_data {data}",
        pair_lines(models, args.every, "model_devi.out"),
        "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes",
        "compute dev all pair onnx", "variable fmax equal c_dev[4]",
        f"velocity all create {args.temperature} {4242 + args.round} mom yes rot yes dist gaussian",
        f"fix nvt all nvt temp {args.temperature} {args.temperature} 0.1", "timestep 0.001",
        "thermo_style custom step temp pe c_dev[4] c_dev[6]", f"thermo {args.every}",
        f"dump d all custom {args.every} traj.lammpstrj id type x y z", "dump_modify d sort id",
        # stop before the committee leaves its domain entirely (frames there are not labelled)
        f"fix stop all halt {args.every} v_fmax > {3 * args.trust_hi} error continue",
        f"run {args.steps}",
    ]) + "\n"


def rerun_deck(data: Path, models: list[Path], traj: Path, every: int) -> str:
    return "\n".join([
        "units metal", "atom_style atomic", "boundary p p p", f"read_data {data}",
        pair_lines(models, every, "model_devi.out"),
        "neighbor 1.0 bin", f"rerun {traj} dump x y z",
    ]) + "\n"


def devi(path: Path) -> np.ndarray:
    return np.loadtxt(path, ndmin=2)


def force_errors(ckpt: Path, frames) -> dict[str, float]:
    from evaluate import load_calculator

    calc = load_calculator(ckpt)
    err = []
    for f in frames:
        a = f.copy()
        a.calc = calc
        err.append(np.abs(a.get_forces() - f.get_forces()).ravel())
    e = np.concatenate(err)
    return {"mae_eV_per_A": float(np.mean(e)), "rmse_eV_per_A": float(np.sqrt(np.mean(e ** 2))),
            "max_eV_per_A": float(np.max(e))}


def stats(col: np.ndarray) -> dict[str, float]:
    return {"median": float(np.median(col)), "p90": float(np.percentile(col, 90)), "max": float(np.max(col))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--round", type=int, required=True)
    ap.add_argument("--members", type=int, default=4)
    ap.add_argument("--epochs", type=int, default=6, help="training epochs per member")
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--every", type=int, default=20)
    ap.add_argument("--temperature", type=float, default=650.0)
    ap.add_argument("--trust-lo", type=float, default=0.10)
    ap.add_argument("--trust-hi", type=float, default=0.60)
    ap.add_argument("--max", type=int, default=16)
    ap.add_argument("--held-out", type=int, default=8, help="labelled candidate frames kept out of training")
    ap.add_argument("--config", default="allegro_lipscl",
                    help="training config of the committee members (config/CONFIG.yaml)")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    t0 = time.time()
    r = args.round
    work = C.RUNS_DIR / f"al{r}"
    work.mkdir(parents=True, exist_ok=True)
    new_data = C.DATA_DIR / f"al_round{r}.extxyz.xz"
    before_files = [p for p in split.training_files() if p != new_data]
    seeds = [201 + m for m in range(args.members)]

    # 1-2. the committee
    committee = [train_and_export(f"al{r}_m{m}", s, args.epochs, before_files, args.config)
                 for m, s in enumerate(seeds)]
    t_train = time.time() - t0

    # 3. MD of the interface with the committee (model 0 drives; deviation every EVERY steps)
    data = work / "interface.data"
    if not data.exists():
        write(data, C.interface(), format="lammps-data", specorder=list(C.SPECIES), masses=True,
              atom_style="atomic")
    md = work / "md"
    if not (md / "model_devi.out").exists() or not (md / "log.lammps").read_text().count("Loop time"):
        lammps(md_deck(data, committee, args), md)
    before = devi(md / "model_devi.out")

    # 4. selection (DP-GEN's rule, spread over environment clusters)
    selected = work / "selected.extxyz"
    if not selected.exists():
        run([ROOT / "bin" / "interphase", "select", "--devi", md / "model_devi.out", md / "traj.lammpstrj",
             "--types", "Li,P,S,Cl", "--trust-lo", args.trust_lo, "--trust-hi", args.trust_hi,
             "--max", args.max, "-o", selected], work / "select.log")
    picks = read(selected, index=":") if selected.stat().st_size > 0 else []

    # 5. labels from the teacher
    if not new_data.exists():
        C.write_xz(new_data, [C.label(a, "al_interface") for a in picks])
    labelled = C.read_xz(new_data)
    # held-out frames: candidates that were not selected, evenly spaced, labelled but never
    # trained on (the fair before/after check of model 0)
    held_path = work / "held_out.extxyz.xz"
    sel_steps = [int(a.info.get("step", -1)) for a in picks]
    if not held_path.exists():
        cand = [int(s) for s, f in zip(before[:, 0], before[:, 4])
                if args.trust_lo <= f < args.trust_hi and int(s) not in sel_steps]
        take = [cand[int(k)] for k in np.linspace(0, len(cand) - 1, min(args.held_out, len(cand)))] if cand else []
        frames = read(md / "traj.lammpstrj", index=":", format="lammps-dump-text", specorder=list(C.SPECIES))
        by_step = dict(zip([int(s) for s in before[:, 0]], frames))
        C.write_xz(held_path, [C.label(by_step[s], "al_held_out") for s in take if s in by_step])
    held = C.read_xz(held_path)

    # 6. retrain with the new frames, evaluate both committees on the same frames
    t1 = time.time()
    after_files = before_files + [new_data]
    retrained = [train_and_export(f"al{r}b_m{m}", s, args.epochs, after_files, args.config)
                 for m, s in enumerate(seeds)]
    t_retrain = time.time() - t1
    rerun = work / "rerun-after"
    if not (rerun / "model_devi.out").exists():
        lammps(rerun_deck(data, retrained, md / "traj.lammpstrj", args.every), rerun)
    after = devi(rerun / "model_devi.out")
    steps_before = before[:, 0]
    after = after[np.isin(after[:, 0], steps_before)]
    in_sel = np.isin(steps_before, sel_steps)

    counts = {"frames": int(len(before)),
              "accurate": int(np.sum(before[:, 4] < args.trust_lo)),
              "candidates": int(np.sum((before[:, 4] >= args.trust_lo) & (before[:, 4] < args.trust_hi))),
              "failed": int(np.sum(before[:, 4] >= args.trust_hi)),
              "selected": len(picks)}
    summary = {
        "round": r,
        "data_files_before": [p.name for p in before_files],
        "committee": {"members": args.members, "seeds": seeds, "config": f"config/{args.config}.yaml",
                      "epochs_per_member": args.epochs, "train_wall_s": round(t_train, 1),
                      "retrain_wall_s": round(t_retrain, 1)},
        "md": {"cell": "common.interface(): Li(001) | Li6PS5Cl, 124 atoms", "ensemble": "NVT",
               "temperature_K": args.temperature, "steps": args.steps, "dt_fs": 1.0, "every": args.every,
               "steps_run": int(before[-1, 0]) if len(before) else 0},
        "trust_eV_per_A": {"lo": args.trust_lo, "hi": args.trust_hi},
        "selection": counts,
        "selected_steps": sel_steps,
        "max_devi_f_before": stats(before[:, 4]),
        "max_devi_f_after": stats(after[:, 4]) if len(after) else None,
        "max_devi_f_on_selected_before": stats(before[in_sel, 4]) if in_sel.any() else None,
        "max_devi_f_on_selected_after": (stats(after[np.isin(after[:, 0], sel_steps), 4])
                                         if in_sel.any() else None),
        "held_out_frames": len(held),
        "model0_force_error_on_held_out_before": force_errors(
            C.RUNS_DIR / f"al{r}_m0" / "train" / "best.ckpt", held) if held else None,
        "model0_force_error_on_held_out_after": force_errors(
            C.RUNS_DIR / f"al{r}b_m0" / "train" / "best.ckpt", held) if held else None,
        "wall_s": round(time.time() - t0, 1),
    }
    (C.DATA_DIR / f"al_round{r}.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
