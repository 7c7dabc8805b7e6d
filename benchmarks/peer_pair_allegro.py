#!/usr/bin/env python3
"""Peer benchmark: pair_style onnx vs pair_allegro (mir-group/pair_nequip_allegro, LibTorch),
side by side in ONE LAMMPS binary built by benchmarks/provision-pair-allegro.sh.

BENCHMARK-ONLY (not CI). Each model directory holds one model in four forms:
  <name>.f64.onnx, <name>.f32.onnx   written by interphase-export (checked against nequip)
  <name>.nequip.pt2                  nequip-compile --mode aotinductor --target pair_allegro
  <name>.nequip.pth                  nequip-compile --mode torchscript --target pair_allegro
Variants: onnx-f64, onnx-f32 (pair_style onnx, default chunking unless --onnx-args), allegro-aoti,
allegro-torchscript (pair_style allegro). Every variant runs the SAME deck, only the pair lines
differ: the Li6PS5Cl conventional cell replicated (1k: 3x3x2, 10k: 6x6x5, 100k: 13x12x12),
displaced randomly (+-0.05 A, seed 4242), `run 0` with the forces dumped (%.17g) for the
cross-check, then 300 K NVE (dt 1 fs) `run WARM` and the measured `run STEPS`.

Measured: wall = LAMMPS 'Loop time' / STEPS; CPU = utime+stime of all ranks and threads around
the measured run (benchmarks/peer_cpu_probe.sh) / (STEPS + 1), i.e. per force evaluation;
peak_rss_mb = VmHWM of rank 0's lmp process (the whole run); max_dF = max |F - F_ref| over atoms
and components at step 0, against the first variant of the same (model, size, ranks).

Usage: python benchmarks/peer_pair_allegro.py --model default=DIR [--model production=DIR]
       [--sizes 1k,10k] [--ranks 1,2] [--variants onnx-f64,onnx-f32,allegro-aoti,allegro-torchscript]
       [--warm N] [--steps N]
Writes results/peer-pair-allegro.md and results/peer-pair-allegro.csv.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from harness import lammps as L  # noqa: E402
import results_table  # noqa: E402  (benchmarks/, the script's own folder)
from pair import structures  # noqa: E402

CACHE = Path(os.environ.get("INTERPHASE_CACHE", REPO / ".cache"))
ALLEGRO_LMP = CACHE / "lammps-allegro" / "bin" / "lmp"
# (replicas, warm-up steps, measured steps): the warm-up also lets the JVM's JIT settle
SIZES = {"1k": ((3, 3, 2), 10, 10), "10k": ((6, 6, 5), 2, 2), "100k": ((13, 12, 12), 1, 2)}
VARIANTS = ("onnx-f64", "onnx-f32", "allegro-aoti", "allegro-torchscript")


@dataclass
class Row:
    model: str
    size: str
    natoms: int
    ranks: int
    variant: str
    cpu_ms_per_step: float
    wall_ms_per_step: float
    peak_rss_mb: float
    max_dF: float
    steps: int
    load_avg: float


def pair_lines(variant: str, directory: Path, name: str, onnx_args: str, plugin: Path) -> str:
    if variant.startswith("onnx-"):
        model = directory / f"{name}.{variant.split('-')[1]}.onnx"
        return "\n".join([f"plugin load {plugin}", f"pair_style onnx {onnx_args}".rstrip(),
                          f"pair_coeff * * {model} Li P S Cl"])
    model = directory / (f"{name}.nequip.pt2" if variant == "allegro-aoti" else f"{name}.nequip.pth")
    return "\n".join(["pair_style allegro", f"pair_coeff * * {model} Li P S Cl"])


def deck(data: Path, reps: tuple[int, int, int], pair: str, warm: int, steps: int) -> str:
    nx, ny, nz = reps
    return "\n".join([
        "units metal", "atom_style atomic", "newton on", "boundary p p p",
        f"read_data {data}", f"replicate {nx} {ny} {nz}",
        "displace_atoms all random 0.05 0.05 0.05 4242 units box",
        pair,
        "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes",
        "thermo_style custom step pe press", "thermo_modify format float %.15g",
        "run 0",
        "write_dump all custom forces.dump id fx fy fz modify sort id format float %.17g",
        "velocity all create 300.0 87287 mom yes rot no dist gaussian loop geom",
        "fix nve all nve", "timestep 0.001", f"thermo {max(steps, 1)}",
        f"run {warm}",
        L.cpu_probe_lines("begin"),
        f"run {steps}",
        L.cpu_probe_lines("end"),
        'shell "grep VmHWM /proc/$PPID/status"',
    ]) + "\n"


def measure(lmp: Path, workdir: Path, text: str, ranks: int, steps: int) -> tuple[L.LammpsResult, float, float]:
    (workdir / "cpu_probe.txt").unlink(missing_ok=True)
    env = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    res = L.run_lammps(text, workdir, ranks, timeout=7200, env=env, lmp=lmp, nice=10)
    if res.returncode != 0 or res.timed_out:
        raise SystemExit(f"peer_pair_allegro: LAMMPS run failed in {workdir}:\n{res.describe()}")
    cpu = L.probe_cpu_seconds(workdir / "cpu_probe.txt", ranks) / (steps + 1)
    found = re.findall(r"VmHWM:\s+(\d+) kB", res.output)
    rss = float(found[-1]) / 1024 if found else float("nan")
    return res, cpu, rss


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", required=True, help="NAME=DIR (repeatable)")
    ap.add_argument("--sizes", default="1k,10k")
    ap.add_argument("--ranks", default="1")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--steps", type=int, help="measured steps (default: per size, SIZES)")
    ap.add_argument("--warm", type=int, help="warm-up steps (default: per size, SIZES)")
    ap.add_argument("--onnx-args", default="", help="extra pair_style onnx keywords, e.g. 'chunk 200'")
    ap.add_argument("--lmp", default=str(ALLEGRO_LMP))
    ap.add_argument("--out", default=str(REPO / "results"))
    ap.add_argument("--workdir", default=str(REPO / "results" / "runs" / "peer-pair-allegro"))
    args = ap.parse_args(argv)
    lmp = Path(args.lmp)
    if not lmp.is_file():
        print(f"peer_pair_allegro: {lmp} not found: build it with benchmarks/provision-pair-allegro.sh",
              file=sys.stderr)
        return 2
    plugin = L.plugin_path()
    data = structures.shared_data_dir() / "Li6PS5Cl_conventional.data"
    rows: list[Row] = []
    for spec in args.model:
        name, _, directory = spec.partition("=")
        directory = Path(directory)
        for size in args.sizes.split(","):
            reps, warm, steps = SIZES[size]
            warm = warm if args.warm is None else args.warm
            steps = steps if args.steps is None else args.steps
            for ranks in [int(r) for r in args.ranks.split(",")]:
                ref = None
                for variant in args.variants.split(","):
                    wd = Path(args.workdir) / f"{name}-{size}-np{ranks}-{variant}"
                    text = deck(data, reps, pair_lines(variant, directory, name, args.onnx_args, plugin), warm,
                                steps)
                    t0 = time.monotonic()
                    res, cpu, rss = measure(lmp, wd, text, ranks, steps)
                    timing = L.parse_timing(res.log)
                    forces = L.parse_dump(wd / "forces.dump")[0].vec("fx", "fy", "fz")
                    if ref is None:
                        ref = forces
                    rows.append(Row(name, size, int(timing["atoms"]), ranks, variant, 1e3 * cpu,
                                    1e3 * timing["loop"] / steps, rss, float(np.max(np.abs(forces - ref))),
                                    steps, os.getloadavg()[0]))
                    print(f"[peer] {name} {size} np{ranks} {variant}: CPU {1e3 * cpu:.1f} ms/eval, "
                          f"RSS {rss:.0f} MB ({time.monotonic() - t0:.0f} s)", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cols = results_table.columns(rows[0])
    results_table.write_csv(out / "peer-pair-allegro.csv", cols, rows)
    table = results_table.markdown(cols, rows)
    (out / "peer-pair-allegro.md").write_text("\n".join([
        "# Peer benchmark: pair_style onnx vs pair_allegro (LibTorch, AOTInductor / TorchScript)",
        "",
        f"Generated by `benchmarks/peer_pair_allegro.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores, one LAMMPS binary ({lmp}), pair_style onnx arguments '{args.onnx_args}'. "
        "cpu_ms_per_step = CPU time of all ranks and threads per force evaluation; peak_rss_mb = VmHWM of "
        "rank 0; max_dF = max |F - F(first variant)| eV/A at step 0.",
        "", *table, ""]))
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
