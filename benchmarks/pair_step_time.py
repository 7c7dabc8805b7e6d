#!/usr/bin/env python3
"""Benchmark pair_style onnx: time per MD step split into LAMMPS / bridge / ONNX Runtime.

System: the Li6PS5Cl conventional cell ($INTERPHASE_SHARED/data/Li6PS5Cl_conventional.data,
52 atoms, a = 10.279498 A) replicated by LAMMPS to ~1k, ~10k and ~100k atoms, 300 K velocities,
NVE, dt = 1 fs. Each of --np (MPI ranks), --threads (pair_style onnx worker threads per rank)
and --chunks (pair_style onnx chunk: centre atoms per ONNX Runtime run; 'default' = the style's
default, 0 = one run per rank) takes a comma list; every combination is run.

Model: models/li-p-s-cl-allegro.f32.onnx and .f64.onnx (contract C7) when present, else the
analytic Morse model tests/models/morse_f64.onnx; the Morse model is also run side by side with
LAMMPS's native C++ pair_style morse (same parameters) for the cost ratio.

Each LAMMPS run: `run WARM` (JIT, buckets, ORT warm-up) with a first pair_style instance, then
new instances (see below) and `run STEPS`, measured:
  step_s   = LAMMPS 'Loop time' / STEPS
  pair_s   = LAMMPS timing breakdown 'Pair' (max over ranks) / STEPS
  bridge_s = C5 bridge_s (Java outside OrtSession.run, max over ranks), per step
  onnx_s   = C5 onnx_s (inside OrtSession.run, max over ranks), per step
  (per step = (measured instance - an instance that ran only `run 0`) / STEPS, which removes
  the first call of an instance from the average)
  pair_shim_s = pair_s - bridge_s - onnx_s (LAMMPS side of the pair compute: shim, upcall)
  lammps_s = step_s - bridge_s - onnx_s (all LAMMPS work: pair shim, neighbor lists, comm, NVE)
  cpu_ms   = CPU time (user + system, all threads, all ranks; benchmarks/peer_cpu_probe.sh around
             the measured `run STEPS`) / (STEPS + 1): per force evaluation, the setup call included
Memory: LAMMPS 'Per MPI rank memory allocation' (its own arrays) and VmHWM of rank 0's lmp process
(LAMMPS + JVM + ONNX Runtime, read from /proc/<pid>/status by a `shell` command at the end).
GC: the JVM runs with -Xlog:gc (INTERPHASE_JVM_OPTS); GC lines printed after the measured run's
thermo header are counted (thermo_modify flush yes keeps the streams in order).

Usage: python benchmarks/pair_step_time.py [--sizes 1k,10k,100k,1M] [--np 1,2] [--threads 1,2]
       [--chunks default,0,500] [--models a.onnx,b.onnx] [--out results]
Writes results/pair-benchmark.md and results/pair-benchmark.csv and prints the table.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from harness import lammps as L  # noqa: E402
import results_table  # noqa: E402  (benchmarks/, the script's own folder)
from pair import morse, structures  # noqa: E402

# replicas of the 52-atom cell and (warm-up, measured) steps per size
SIZES = {"1k": ((3, 3, 2), 20, 50), "10k": ((6, 6, 5), 5, 20), "100k": ((13, 12, 12), 2, 5),
         "1M": ((27, 27, 27), 1, 2)}
DEFAULT_MODELS = [REPO / "models" / "li-p-s-cl-allegro.f32.onnx",
                  REPO / "models" / "li-p-s-cl-allegro.f64.onnx"]
MORSE_MODEL = REPO / "tests" / "models" / "morse_f64.onnx"
GC_LINE = re.compile(r"\[gc\s*\]|\bGC\(\d+\)")


@dataclass
class Row:
    model: str
    size: str
    natoms: int
    nprocs: int
    threads: int
    chunk: str
    chunks: int
    steps: int
    step_ms: float
    cpu_ms: float
    pair_ms: float
    pair_shim_ms: float
    lammps_ms: float
    bridge_ms: float
    onnx_ms: float
    bridge_share_pct: float
    us_per_atom_step: float
    native_step_ms: float | None
    ratio_vs_native: float | None
    lammps_mem_mb: float
    vmhwm_mb: float
    bytes_per_atom: float
    heap_bytes_per_call: float
    gcs_measured: int
    gcs_total: int
    edges: int
    wall_s: float


def deck(data: Path, reps: tuple[int, int, int], pair_lines: str, warm: int, steps: int,
         recreate: bool) -> str:
    nx, ny, nz = reps
    lines = [
        "units metal", "atom_style atomic", "boundary p p p",
        f"read_data {data}", f"replicate {nx} {ny} {nz}",
        pair_lines,
        "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes",
        "velocity all create 300.0 87287 mom yes rot no dist gaussian loop geom",
        "fix nve all nve", "timestep 0.001",
        "thermo_style custom step pe ke etotal", "thermo_modify flush yes", f"thermo {max(steps, 1)}",
        f"run {warm}",
    ]
    if recreate:
        # new instance B: only the setup call of `run 0` (first-call cost: buckets, tensors);
        # new instance C: `run STEPS` = setup call + STEPS calls. Each destruction prints a C5
        # stats line; per-step bridge/onnx time = (C - B) / STEPS. The JVM stays warm throughout.
        # (re-issuing the same pair_style only re-runs settings(); switching to 'zero' first
        # really destroys the instance)
        again = ["pair_style zero 1.0"] + [line for line in pair_lines.splitlines()
                                           if not line.startswith("plugin")]
        lines += again + ["run 0"] + again
    lines += [
        'print "BENCH-MEASURED-RUN"',
        L.cpu_probe_lines("begin"),
        f"run {steps}",
        L.cpu_probe_lines("end"),
        'shell "grep VmHWM /proc/$PPID/status"',  # rank 0 only; $PPID of system()'s sh = lmp
    ]
    return "\n".join(lines) + "\n"


def onnx_lines(plugin: Path, model: Path, threads: int, chunk: str, extra: str = "") -> str:
    style = (f"pair_style onnx threads {threads}" + ("" if chunk == "default" else f" chunk {chunk}")
             + (f" {extra}" if extra else ""))
    return "\n".join([f"plugin load {plugin}", style, f"pair_coeff * * {model} Li P S Cl"])





def vmhwm_mb(text: str) -> float:
    found = re.findall(r"VmHWM:\s+(\d+) kB", text)
    return float(found[-1]) / 1024 if found else float("nan")


def run_one(workdir: Path, data: Path, size: str, pair_lines: str, nprocs: int, recreate: bool,
            env: dict[str, str]) -> tuple[L.LammpsResult, dict[str, float]]:
    reps, warm, steps = SIZES[size]
    (workdir / "cpu_probe.txt").unlink(missing_ok=True)  # the probe appends
    res = L.run_lammps(deck(data, reps, pair_lines, warm, steps, recreate), workdir, nprocs,
                       timeout=3600, env=env, nice=10)
    if res.returncode != 0 or res.timed_out:
        raise SystemExit(f"benchmark run failed in {workdir}:\n{res.describe()}")
    return res, L.parse_timing(res.log)


def measure(out_runs: Path, data: Path, size: str, model: Path, nprocs: int, threads: int, chunk: str,
            plugin: Path, native_ms: float | None, steps: int, extra: str = "") -> Row:
    t0 = time.monotonic()
    env = {"INTERPHASE_JVM_OPTS": (os.environ.get("INTERPHASE_JVM_OPTS", "") + " -Xlog:gc:stdout").strip()}
    tag = f"{model.stem}-{size}-np{nprocs}-t{threads}-c{chunk}"
    res, timing = run_one(out_runs / tag, data, size, onnx_lines(plugin, model, threads, chunk, extra), nprocs,
                          True, env)
    wall = time.monotonic() - t0
    all_stats = [{k: float(v) for k, v in m.groupdict().items()} for m in L.STATS_RE.finditer(res.output)]
    if len(all_stats) < 3:
        raise SystemExit(f"expected 3 interphase-stats lines in {res.workdir} (contract C5), "
                         f"found {len(all_stats)}")
    first, stats = all_stats[-2], all_stats[-1]  # instance B (run 0), instance C (measured)
    natoms = int(timing["atoms"])
    step = timing["loop"] / steps
    pair = timing.get("Pair_max", timing.get("Pair", float("nan"))) / steps
    # bridge/onnx are summed over the worker threads: per step of one thread
    bridge = (stats["bridge_s"] - first["bridge_s"]) / steps / threads
    onnx = (stats["onnx_s"] - first["onnx_s"]) / steps / threads
    measured = res.screen.split("BENCH-MEASURED-RUN", 1)[-1]
    vm = vmhwm_mb(res.output)
    is_morse = model == MORSE_MODEL
    print(f"[bench] {tag}: {1e3 * step:.2f} ms/step, VmHWM {vm:.0f} MB ({wall:.0f} s)", flush=True)
    return Row(
        model=model.name, size=size, natoms=natoms, nprocs=nprocs, threads=threads, chunk=chunk,
        chunks=int(stats["chunks"]), steps=steps, step_ms=1e3 * step,
        cpu_ms=1e3 * L.probe_cpu_seconds(res.workdir / "cpu_probe.txt", nprocs) / (steps + 1), pair_ms=1e3 * pair,
        pair_shim_ms=1e3 * (pair - bridge - onnx),
        lammps_ms=1e3 * (step - bridge - onnx), bridge_ms=1e3 * bridge,
        onnx_ms=1e3 * onnx, bridge_share_pct=100.0 * bridge / step,
        us_per_atom_step=1e6 * step * nprocs / natoms,
        native_step_ms=native_ms if is_morse else None,
        ratio_vs_native=(1e3 * step / native_ms) if (is_morse and native_ms) else None,
        lammps_mem_mb=timing.get("mem_mb_max", float("nan")), vmhwm_mb=vm,
        bytes_per_atom=vm * 2**20 / natoms,
        heap_bytes_per_call=stats["heap_bytes_per_call"],
        gcs_measured=len(GC_LINE.findall(measured)), gcs_total=len(GC_LINE.findall(res.screen)),
        edges=int(stats["edges"]), wall_s=wall)


def bench(args: argparse.Namespace) -> list[Row]:
    plugin = L.plugin_path()
    L.lmp_binary()
    data = structures.shared_data_dir() / "Li6PS5Cl_conventional.data"
    models = ([Path(m).resolve() for m in args.models.split(",")] if args.models
              else [m for m in DEFAULT_MODELS if m.is_file()] or [MORSE_MODEL])
    if MORSE_MODEL not in models and args.with_morse:
        models.append(MORSE_MODEL)
    params = morse.load_params() if MORSE_MODEL in models else None
    out_runs = Path(args.workdir)
    rows: list[Row] = []
    for size in args.sizes:
        reps, _, steps = SIZES[size]
        for nprocs in args.np:
            native_ms = None
            if params is not None:
                t0 = time.monotonic()
                res, timing = run_one(out_runs / f"native-{size}-np{nprocs}", data, size,
                                      params.lammps_block(list(structures.ELEMENTS)), nprocs, False, {})
                native_ms = 1e3 * timing["loop"] / steps
                print(f"[bench] native morse {size} np{nprocs}: {native_ms:.3f} ms/step "
                      f"({time.monotonic() - t0:.0f} s)", flush=True)
            for model in models:
                for threads in args.threads:
                    for chunk in args.chunks:
                        rows.append(measure(out_runs, data, size, model, nprocs, threads, chunk, plugin,
                                            native_ms, steps, args.style_extra))
    return rows


def write(rows: list[Row], out: Path, args: argparse.Namespace) -> str:
    out.mkdir(parents=True, exist_ok=True)
    cols = results_table.columns(rows[0])
    results_table.write_csv(out / "pair-benchmark.csv", cols, rows)
    table = results_table.markdown(cols, rows)
    notes = [
        "",
        "## Linearity and memory",
    ]
    configs = sorted({(r.model, r.nprocs, r.threads, r.chunk) for r in rows})
    for model, nprocs, threads, chunk in configs:
        rs = sorted((r for r in rows if (r.model, r.nprocs, r.threads, r.chunk) == (model, nprocs, threads, chunk)),
                    key=lambda r: r.natoms)
        name = f"{model} np{nprocs} threads {threads} chunk {chunk}"
        for a, b in zip(rs, rs[1:]):
            notes.append(f"- {name}: {a.size} -> {b.size}: cost per atom-step "
                         f"{a.us_per_atom_step:.3g} -> {b.us_per_atom_step:.3g} us "
                         f"(ratio {b.us_per_atom_step / a.us_per_atom_step:.2f}); "
                         f"VmHWM slope {(b.vmhwm_mb - a.vmhwm_mb) * 2**20 / (b.natoms - a.natoms):.0f} "
                         f"bytes/atom")
        ten = [r for r in rs if r.size == "10k"]
        if ten:
            notes.append(f"- {name}: bridge share of step time at 10k = "
                         f"{ten[0].bridge_share_pct:.2f} % (target <= 2 %)")
    by = {(r.model, r.size, r.nprocs, r.threads, r.chunk): r for r in rows}
    for (model, size, nprocs, threads, chunk), r in sorted(by.items()):
        one = by.get((model, size, nprocs, 1, chunk))
        if threads > 1 and one is not None:
            notes.append(f"- {model} {size} np{nprocs} chunk {chunk}: threads {threads} vs 1: "
                         f"{one.step_ms / r.step_ms:.2f}x faster (wall), CPU {r.cpu_ms / one.cpu_ms:.2f}x")
        two_ranks = by.get((model, size, 2, 1, chunk))
        if nprocs == 1 and threads == 2 and two_ranks is not None:
            notes.append(f"- {model} {size} chunk {chunk}: 1 rank x 2 threads {r.step_ms:.4g} ms/step vs "
                         f"2 ranks x 1 thread {two_ranks.step_ms:.4g} ms/step")
    load_end = os.getloadavg()
    models_used = ", ".join(f"`{m}`" for m in sorted({r.model for r in rows}))
    text = "\n".join([
        "# pair_style onnx step-time benchmark",
        "",
        f"Model(s): {models_used} (models/ = default Allegro model, contract C7; morse_f64.onnx = analytic "
        "test model, used only when the default model is absent or with --with-morse).",
        "",
        f"Machine load: 1/5/15-min load average {args.load_start[0]:.1f}/{args.load_start[1]:.1f}/"
        f"{args.load_start[2]:.1f} at the start and {load_end[0]:.1f}/{load_end[1]:.1f}/{load_end[2]:.1f} at the "
        f"end, on {os.cpu_count()} cores. Small negative derived values (bridge, pair_shim, lammps) mean the "
        "quantity is below the noise of the first-call subtraction (two separate pair_style instances), i.e. ~0.",
        "",
        f"Generated by `benchmarks/pair_step_time.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores; ranks, worker threads and chunk per row. "
        "Li6PS5Cl conventional cell replicated by LAMMPS, 300 K, NVE, dt 1 fs. Times per MD step; "
        "pair = LAMMPS 'Pair' timing (max over ranks); pair_shim = pair - bridge - onnx; "
        "lammps = step - bridge - onnx; bridge/onnx from the C5 stats lines (measured instance minus "
        "an instance that only ran `run 0`, per step); memory = VmHWM of the lmp process (LAMMPS + JVM + ONNX Runtime).",
        "",
        *table,
        *notes,
        "",
    ])
    (out / "pair-benchmark.md").write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1k,10k,100k", help="comma list of 1k,10k,100k,1M")
    ap.add_argument("--np", default="1", help="comma list of MPI rank counts")
    ap.add_argument("--threads", default="1", help="comma list of pair_style onnx worker threads per rank")
    ap.add_argument("--chunks", default="default",
                    help="comma list of pair_style onnx chunk values ('default' = the style's default)")
    ap.add_argument("--style-extra", default="", help="more pair_style onnx keywords, e.g. 'ort_threads 2'")
    ap.add_argument("--with-morse", action="store_true",
                    help="also run the Morse model when the default model exists")
    ap.add_argument("--models", default="",
                    help="comma list of ONNX models to run instead of the defaults "
                         "(e.g. only the f32 model at 100k atoms, where f64 needs ~22 GB)")
    ap.add_argument("--out", default=str(REPO / "results"))
    ap.add_argument("--workdir", default=str(REPO / "results" / "runs" / "pair-benchmark"))
    args = ap.parse_args(argv)
    args.load_start = os.getloadavg()
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.np = [int(v) for v in args.np.split(",")]
    args.threads = [int(v) for v in args.threads.split(",")]
    args.chunks = [v.strip() for v in args.chunks.split(",") if v.strip()]
    for c in args.chunks:
        if c != "default" and not c.isdigit():
            ap.error(f"--chunks {c}: use whole numbers >= 0 or 'default'")
    for m in filter(None, args.models.split(",")):
        if not Path(m).is_file():
            ap.error(f"model {m} not found: pass existing .onnx files to --models")
    for s in args.sizes:
        if s not in SIZES:
            ap.error(f"unknown size {s}: use {', '.join(SIZES)}")
    try:
        rows = bench(args)
    except L.MissingComponent as exc:
        print(f"pair_step_time: {exc}", file=sys.stderr)
        return 2
    print(write(rows, Path(args.out), args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
