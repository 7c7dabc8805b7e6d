#!/usr/bin/env python3
"""Benchmark a committee in pair_style onnx: what model deviation costs, and what it does not.

System: the Li6PS5Cl conventional cell ($INTERPHASE_SHARED/data/Li6PS5Cl_conventional.data)
replicated by LAMMPS (3x3x2 = 936 atoms by default), 300 K, NVE, dt 1 fs, 1 MPI rank, 1 thread.

Runs, interleaved and repeated (--repeats):
  single      pair_coeff * * M Li P S Cl
  K, idle     pair_coeff * * M M ... (K models) with out_freq far beyond the run: the members
              never run inside the measured loop (the cost between deviation steps)
  K, every F  the same committee with out_freq F
  K, every 1  a deviation on every step
The committee members are K copies of one model file (each is its own ONNX Runtime session):
the cost of a member does not depend on its weights.

Each run does `run WARM` (JIT, buckets) and then the measured `run STEPS`; the measured
`run` starts on a step that is not a multiple of out_freq. Reported per MD step: wall time
(LAMMPS Loop time / STEPS) and CPU time (utime+stime of the lmp process, all threads; from
benchmarks/peer_cpu_probe.sh), and their ratio to the single model.

Usage: python benchmarks/committee_cost.py [--model models/li-p-s-cl-allegro.f32.onnx] [--members 4]
       [--every 10] [--reps 3,3,2] [--steps 40] [--repeats 2] [--out results]
Writes results/committee-cost.md and .csv and prints the table.
"""
from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from harness import lammps as L  # noqa: E402
from pair import structures  # noqa: E402

WARM = 7  # the measured run starts at step 7: not a multiple of any out_freq used here


def deck(data: Path, reps: tuple[int, int, int], plugin: Path, models: list[Path], out_freq: int | None,
         steps: int) -> str:
    nx, ny, nz = reps
    style = "pair_style onnx" + (f" out_freq {out_freq} out_file model_devi.out" if out_freq else "")
    return "\n".join([
        "units metal", "atom_style atomic", "boundary p p p",
        f"read_data {data}", f"replicate {nx} {ny} {nz}",
        f"plugin load {plugin}", style,
        f"pair_coeff * * {' '.join(str(m) for m in models)} Li P S Cl",
        "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes",
        "velocity all create 300.0 87287 mom yes rot no dist gaussian loop geom",
        "fix nve all nve", "timestep 0.001",
        "thermo_style custom step pe ke etotal", f"thermo {steps}",
        f"run {WARM}",
        L.cpu_probe_lines("begin"),
        f"run {steps}",
        L.cpu_probe_lines("end"),
    ]) + "\n"


def measure(workdir: Path, text: str, steps: int) -> tuple[float, float, dict]:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "cpu_probe.txt").unlink(missing_ok=True)
    res = L.run_lammps(text, workdir, 1, timeout=3600, nice=10)
    if res.returncode != 0 or res.timed_out:
        raise SystemExit(f"benchmark run failed in {workdir}:\n{res.describe()}")
    timing = L.parse_timing(res.log)
    cpu = L.probe_cpu_seconds(workdir / "cpu_probe.txt", 1)
    return 1e3 * timing["loop"] / steps, 1e3 * cpu / (steps + 1), res.stats() or {}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(REPO / "models" / "li-p-s-cl-allegro.f32.onnx"))
    ap.add_argument("--members", type=int, default=4)
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--reps", default="3,3,2")
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--out", default=str(REPO / "results"))
    ap.add_argument("--workdir", default=str(REPO / ".cache" / "bench-committee"))
    args = ap.parse_args(argv)
    plugin = L.plugin_path()
    L.lmp_binary()
    data = structures.shared_data_dir() / "Li6PS5Cl_conventional.data"
    reps = tuple(int(v) for v in args.reps.split(","))
    model = Path(args.model).resolve()
    k = args.members
    configs = [("single", [model], None, 0),
               (f"{k} models, idle", [model] * k, 100000, 0),
               (f"{k} models, every {args.every}", [model] * k, args.every, args.steps // args.every),
               (f"{k} models, every 1", [model] * k, 1, args.steps + 1)]
    load0 = os.getloadavg()
    samples: dict[str, list[tuple[float, float]]] = {c[0]: [] for c in configs}
    member_calls: dict[str, int] = {}
    for rep in range(args.repeats):
        for name, models, freq, _ in configs:
            wd = Path(args.workdir) / f"{name.replace(' ', '_').replace(',', '')}-r{rep}"
            wall, cpu, stats = measure(wd, deck(data, reps, plugin, models, freq, args.steps), args.steps)
            samples[name].append((wall, cpu))
            member_calls[name] = int(stats.get("member_calls", 0))
            print(f"{name:24s} rep {rep}: {wall:8.2f} ms/step wall, {cpu:8.2f} ms/step CPU", flush=True)
    load1 = os.getloadavg()
    natoms = 52 * reps[0] * reps[1] * reps[2]
    base_wall = statistics.median(w for w, _ in samples["single"])
    base_cpu = statistics.median(c for _, c in samples["single"])
    rows = []
    for name, models, freq, expected_devi in configs:
        wall = statistics.median(w for w, _ in samples[name])
        cpu = statistics.median(c for _, c in samples[name])
        rows.append({"config": name, "models": len(models), "out_freq": freq or "",
                     "member_calls": member_calls[name], "wall_ms_per_step": round(wall, 3),
                     "cpu_ms_per_step": round(cpu, 3), "wall_ratio": round(wall / base_wall, 3),
                     "cpu_ratio": round(cpu / base_cpu, 3)})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "committee-cost.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    head = ("| configuration | models | out_freq | member calls | wall ms/step | CPU ms/step | wall ratio "
            "| CPU ratio |\n|---|---|---|---|---|---|---|---|\n")
    table = head + "".join(
        f"| {r['config']} | {r['models']} | {r['out_freq']} | {r['member_calls']} | {r['wall_ms_per_step']:.2f} | "
        f"{r['cpu_ms_per_step']:.2f} | {r['wall_ratio']:.3f} | {r['cpu_ratio']:.3f} |\n" for r in rows)
    text = (
        "# Committee cost in pair_style onnx\n\n"
        f"`python benchmarks/committee_cost.py` on {natoms} atoms (Li6PS5Cl {reps[0]}x{reps[1]}x{reps[2]}), "
        f"model `{model.name}` x {k}, 1 rank, 1 thread, {args.steps} measured NVE steps after {WARM} warm-up "
        f"steps, median of {args.repeats} interleaved repeats. Load average before/after: "
        f"{load0[0]:.2f} / {load1[0]:.2f}. CPU time is per force call (the setup call included), "
        "wall time per step.\n\n" + table +
        "\n'member calls' counts the force calls that evaluated every model (from the stats line), "
        "the setup call of the measured run included when it is a deviation step. The idle committee "
        "loads K sessions but runs only model 0 inside the measured loop.\n")
    (out / "committee-cost.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
