#!/usr/bin/env python3
"""Peer benchmark: pair_style onnx (our plugin) vs LAMMPS ML-IAP unified (nequip's own integration).

BENCHMARK-ONLY: needs the second LAMMPS built by scripts/provision-lammps-mliap.sh
(ML-IAP + PYTHON + PLUGIN, linked against the venv's Python so torch/nequip import).

One nequip model (a .nequip.zip package or .ckpt checkpoint, Allegro) is turned into
  * <stem>.f64.onnx / <stem>.f32.onnx    by `interphase-export` (checked against nequip's calculator)
  * <stem>.nequip.lmp.pt                 by nequip's own `nequip-prepare-lmp-mliap`
  * <stem>.compat.nequip.lmp.pt          the same object re-classed to peer_mliap_compat.NequIPMLIAPCompat
                                         (adapts two ML-IAP Python API names of LAMMPS 4Feb2025; see there)
in .cache/peer-bench/<stem>/ (re-made when the model file changes).

System: Li6PS5Cl conventional cell ($INTERPHASE_SHARED/data/Li6PS5Cl_conventional.data, 52 atoms,
a = 10.279498 A) replicated by LAMMPS to 936 (3x3x2) and 9360 (6x6x5) atoms, the same replicas
as benchmarks/pair_step_time.py. Atoms are displaced randomly (displace_atoms random, +-0.05 A,
seed 4242: decomposition-independent) so forces are non-zero.

Every variant runs the SAME deck in the SAME LAMMPS binary (only the pair_style lines differ):
  run 0 + write_dump (forces, %.17g) + energy and pressure  -> cross-check between variants
  velocity 300 K (loop geom), NVE, dt 1 fs, run WARM, run STEPS -> 'Loop time' / STEPS
with 1 and 2 MPI ranks, 1 thread per rank (OMP_NUM_THREADS=1, pair_style onnx threads 1).
Variants are interleaved per (size, ranks) so that load drift on the shared machine hits all alike;
with --repeats R the fastest of R runs is kept.

Usage: python benchmarks/peer_mliap.py --model PATH.nequip.zip [--sizes 1k,10k] [--ranks 1,2]
Writes results/peer-benchmark.md and results/peer-benchmark.csv and prints the table.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from harness import lammps as L  # noqa: E402
import results_table  # noqa: E402  (benchmarks/, the script's own folder)

VENV = Path(os.environ.get("INTERPHASE_VENV", REPO / ".venv"))
CACHE = Path(os.environ.get("INTERPHASE_CACHE", REPO / ".cache"))
MLIAP_PREFIX = CACHE / "lammps-20250204-mliap"
# replicas of the 52-atom cell, warm-up steps, measured steps
SIZES = {"1k": ((3, 3, 2), 3, 15), "10k": ((6, 6, 5), 1, 3)}
VARIANTS = ("onnx-f64", "mliap", "onnx-f32")
PROBE = REPO / "benchmarks" / "peer_cpu_probe.sh"


@dataclass
class Row:
    size: str
    natoms: int
    ranks: int
    variant: str
    steps: int
    step_ms: float
    pair_ms: float
    cpu_pct: float
    cpu_ms_per_step: float
    us_per_atom_step: float
    ratio_mliap_over_this: float | None
    cpu_ratio_mliap_over_this: float | None
    energy_ev: float
    press_bar: float
    dE_vs_mliap_ev: float | None
    dP_vs_mliap_bar: float | None
    max_dF_vs_mliap: float | None
    max_abs_F: float
    onnx_ms_per_call: float | None
    bridge_ms_per_call: float | None
    edges_rank0: int | None
    load_avg: float
    repeats: int


# --------------------------------------------------------------------------- model artefacts


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def mliap_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for anything that imports lammps.mliap / the compat class / runs the ML-IAP lmp."""
    site = VENV / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    env = {
        "PYTHONPATH": os.pathsep.join([str(MLIAP_PREFIX / "python"), str(REPO / "benchmarks"), str(site)]),
        "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        # LAMMPS 4Feb2025 loads the artefact with a bare torch.load(); torch >= 2.6 defaults to
        # weights_only=True, which refuses pickled modules. This restores the pre-2.6 default.
        "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONNOUSERSITE": "1",
    }
    if extra:
        env.update(extra)
    return env


def run_tool(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> None:
    full = dict(os.environ, **(env or {}))
    full.setdefault("OMP_NUM_THREADS", "1")
    with open(log, "w") as fh:
        fh.write("$ " + shlex.join(cmd) + "\n")
        fh.flush()
        proc = subprocess.run(["nice", "-n", "10", *cmd], stdout=fh, stderr=subprocess.STDOUT, env=full)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-5:]
        raise SystemExit(f"peer_mliap: {cmd[0]} failed (see {log}): {' | '.join(tail)}")


def prepare(model: Path, workdir: Path, compile_mliap: bool) -> dict[str, Path]:
    """Export the ONNX pair and the ML-IAP artefact of one nequip model (cached by content hash)."""
    stem = model.name.split(".")[0]
    out = workdir / stem
    out.mkdir(parents=True, exist_ok=True)
    digest = sha256(model)
    tag = "compiled" if compile_mliap else "eager"
    paths = {
        "onnx-f64": out / f"{stem}.f64.onnx",
        "onnx-f32": out / f"{stem}.f32.onnx",
        "mliap-raw": out / f"{stem}.{tag}.nequip.lmp.pt",
        "mliap": out / f"{stem}.{tag}.compat.nequip.lmp.pt",
    }
    stamp = out / "source.sha256"
    if stamp.is_file() and stamp.read_text().split()[0] != digest:
        for p in paths.values():
            p.unlink(missing_ok=True)
    stamp.write_text(f"{digest}  {model.resolve()}\n")
    bin_ = VENV / "bin"
    for dtype, key in (("float64", "onnx-f64"), ("float32", "onnx-f32")):
        if not paths[key].is_file():
            print(f"[peer] exporting {model.name} -> {paths[key].name}", flush=True)
            run_tool([str(bin_ / "interphase-export"), str(model), "-o", str(paths[key]), "--dtype", dtype],
                     out / f"export-{dtype}.log")
    if not paths["mliap-raw"].is_file():
        print(f"[peer] nequip-prepare-lmp-mliap {model.name} -> {paths['mliap-raw'].name}", flush=True)
        cmd = [str(bin_ / "nequip-prepare-lmp-mliap"), str(model), str(paths["mliap-raw"])]
        if not compile_mliap:
            cmd.append("--no-compile")
        run_tool(cmd, out / f"prepare-mliap-{tag}.log", mliap_env())
    if not paths["mliap"].is_file():
        run_tool([str(bin_ / "python"), "-c",
                  "import sys, peer_mliap_compat as c; c.convert(sys.argv[1], sys.argv[2])",
                  str(paths["mliap-raw"]), str(paths["mliap"])], out / "compat.log", mliap_env())
    return paths


def shared_data() -> Path:
    shared = Path(os.environ.get("INTERPHASE_SHARED", REPO.parent / "shared"))
    data = shared / "data" / "Li6PS5Cl_conventional.data"
    if not data.is_file():
        raise SystemExit(f"peer_mliap: {data} not found. Set INTERPHASE_SHARED (source scripts/env.sh).")
    return data


def default_model() -> Path | None:
    found = sorted((REPO / "model-export" / "default-model").glob("*.nequip.zip"))
    return found[0] if found else None


# --------------------------------------------------------------------------- LAMMPS decks


def pair_lines(variant: str, paths: dict[str, Path], plugin: Path) -> str:
    if variant.startswith("onnx"):
        return "\n".join([f"plugin load {plugin}", "pair_style onnx threads 1",
                          f"pair_coeff * * {paths[variant]} Li P S Cl"])
    return "\n".join([f"pair_style mliap unified {paths['mliap']} 0", "pair_coeff * * Li P S Cl"])


def deck(data: Path, reps: tuple[int, int, int], pair: str, warm: int, steps: int) -> str:
    nx, ny, nz = reps
    return "\n".join([
        "units metal", "atom_style atomic", "boundary p p p", "newton on",
        f"read_data {data}", f"replicate {nx} {ny} {nz}",
        "displace_atoms all random 0.05 0.05 0.05 4242 units box",
        pair,
        "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes",
        "thermo_style custom step pe ke etotal press", "thermo_modify flush yes",
        "run 0",
        'print "PEER-E0 $(pe:%.17g) $(press:%.17g)"',
        "write_dump all custom forces.dump id type fx fy fz modify sort id format float %.17g",
        "velocity all create 300.0 87287 mom yes rot no dist gaussian loop geom",
        "fix nve all nve", "timestep 0.001", f"thermo {max(steps, 1)}",
        f"run {warm}",
        'print "PEER-MEASURED-RUN"',
        f'shell "sh {PROBE} begin"',
        f"run {steps}",
        f'shell "sh {PROBE} end"',
    ]) + "\n"


@dataclass
class Measured:
    step_s: float
    pair_s: float
    cpu_pct: float
    energy: float
    press: float
    forces: np.ndarray
    cmd: str
    stats: dict[str, float] | None
    reused: bool = False


def reusable(workdir: Path, text: str) -> L.LammpsResult | None:
    """A finished earlier run of exactly this deck (--reuse): re-read instead of re-running."""
    log = workdir / "log.lammps"
    if not (log.is_file() and (workdir / "in.lmp").is_file() and (workdir / "in.lmp").read_text() == text):
        return None
    body = log.read_text(errors="replace")
    if "PEER-MEASURED-RUN" not in body or "Total wall time" not in body:
        return None
    screen = workdir / "screen.txt"
    return L.LammpsResult(returncode=0, timed_out=False, seconds=0.0, workdir=workdir, log=body,
                          screen=screen.read_text(errors="replace") if screen.is_file() else "", stderr="")


def run_variant(lmp: Path, workdir: Path, text: str, ranks: int, env: dict[str, str],
                reuse: bool = False) -> Measured:
    res = reusable(workdir, text) if reuse else None
    reused = res is not None
    if res is None:
        (workdir / "cpu_probe.txt").unlink(missing_ok=True)  # the probe appends; a stale file from an earlier run would mix in
        res = L.run_lammps(text, workdir, ranks, timeout=3600, env=env, lmp=lmp, nice=10)
    if res.returncode != 0 or res.timed_out:
        raise SystemExit(f"peer_mliap: LAMMPS run failed in {workdir}:\n{res.describe()}")
    timing = L.parse_timing(res.log)
    match = re.findall(r"^PEER-E0 (\S+) (\S+)", res.log, re.M)
    if not match or "loop" not in timing:
        raise SystemExit(f"peer_mliap: no energy/timing in {workdir}/log.lammps")
    frame = L.parse_dump(workdir / "forces.dump")[0]
    steps = timing["steps"]
    cpu_s = L.probe_cpu_seconds(workdir / "cpu_probe.txt", ranks)
    cmd = f"mpirun -np {ranks} --bind-to none {lmp} -in in.lmp -log log.lammps -nocite"
    return Measured(step_s=timing["loop"] / steps, cpu_pct=100.0 * cpu_s / (timing["loop"] * ranks), pair_s=timing.get("Pair_max", timing.get("Pair", 0.0)) / steps,
                    energy=float(match[-1][0]), press=float(match[-1][1]),
                    forces=frame.vec("fx", "fy", "fz"), cmd=cmd, stats=res.stats(), reused=reused)


# --------------------------------------------------------------------------- main loop


def cpu_cost(m: Measured, ranks: int) -> float:
    """CPU seconds per step summed over ranks (robust to other jobs taking the cores)."""
    return m.step_s * m.cpu_pct / 100.0 * ranks


def bench(args: argparse.Namespace, paths: dict[str, Path]) -> tuple[list[Row], dict[str, str]]:
    data = shared_data()
    plugin = Path(args.plugin)
    runs = Path(args.workdir)
    rows: list[Row] = []
    commands: dict[str, str] = {}
    for size in args.sizes:
        reps, warm, steps = SIZES[size]
        steps = args.steps or steps
        for ranks in args.ranks:
            best: dict[str, Measured] = {}
            loads: dict[str, float] = {}
            for rep in range(args.repeats):
                for variant in args.variants:
                    lmp = Path(args.lmp_mliap if variant == "mliap" else args.lmp_onnx)
                    env = mliap_env() if variant == "mliap" else {"OMP_NUM_THREADS": "1"}
                    wd = runs / f"{size}-np{ranks}-{variant}-r{rep}"
                    t0 = time.monotonic()
                    m = run_variant(lmp, wd, deck(data, reps, pair_lines(variant, paths, plugin), warm, steps),
                                    ranks, env, args.reuse)
                    load_file = wd / "load.txt"  # 1-min load average right after the run
                    if args.reuse and load_file.is_file() and m.reused:
                        load = float(load_file.read_text().split()[0])
                    else:
                        load = os.getloadavg()[0]
                        load_file.write_text(f"{load:.2f}\n")
                    print(f"[peer] {size} np={ranks} {variant} rep {rep}: {1e3 * m.step_s:.1f} ms/step "
                          f"(pair {1e3 * m.pair_s:.1f}; CPU {m.cpu_pct:.0f} %; wall {time.monotonic() - t0:.0f} s; load {load:.1f})",
                          flush=True)
                    if variant not in best or cpu_cost(m, ranks) < cpu_cost(best[variant], ranks):
                        best[variant], loads[variant] = m, load
                    commands.setdefault(variant, f"(cd {wd} && {m.cmd})")
            ref = best.get("mliap")
            for variant in args.variants:
                m = best[variant]
                natoms = len(m.forces)
                cmp = variant != "mliap" and ref is not None
                rows.append(Row(
                    size=size, natoms=natoms, ranks=ranks, variant=variant, steps=steps,
                    step_ms=1e3 * m.step_s, pair_ms=1e3 * m.pair_s,
                    cpu_pct=m.cpu_pct, cpu_ms_per_step=1e3 * cpu_cost(m, ranks),
                    us_per_atom_step=1e6 * cpu_cost(m, ranks) / natoms,
                    ratio_mliap_over_this=(ref.step_s / m.step_s) if ref is not None else None,
                    cpu_ratio_mliap_over_this=(cpu_cost(ref, ranks) / cpu_cost(m, ranks)) if ref is not None else None,
                    energy_ev=m.energy, press_bar=m.press,
                    dE_vs_mliap_ev=abs(m.energy - ref.energy) if cmp else None,
                    dP_vs_mliap_bar=abs(m.press - ref.press) if cmp else None,
                    max_dF_vs_mliap=float(np.max(np.abs(m.forces - ref.forces))) if cmp else None,
                    max_abs_F=float(np.max(np.abs(m.forces))),
                    onnx_ms_per_call=1e3 * m.stats["onnx_s"] / m.stats["calls"] if m.stats else None,
                    bridge_ms_per_call=1e3 * m.stats["bridge_s"] / m.stats["calls"] if m.stats else None,
                    edges_rank0=int(m.stats["edges"]) if m.stats else None,
                    load_avg=loads[variant], repeats=args.repeats))
    return rows, commands


def cmd_out(cmd: list[str], env: dict[str, str] | None = None) -> str:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=dict(os.environ, **(env or {})))
        return (p.stdout + p.stderr).strip()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unavailable ({exc})"


def machine_info(args: argparse.Namespace) -> list[str]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())
    mem_kb = next((int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                   if ln.startswith("MemTotal")), 0)
    lmp_ver = cmd_out([args.lmp_mliap, "-h"], mliap_env()).splitlines()
    lmp_ver = next((ln.strip() for ln in lmp_ver if ln.startswith("Large-scale") or "LAMMPS" in ln and "(" in ln), "?")
    pyver = cmd_out([str(VENV / "bin" / "python"), "-c",
                     "import torch, nequip, allegro, onnx, sys; from importlib.metadata import version as v; "
                     "print(f'python {sys.version.split()[0]}, torch {torch.__version__}, nequip {v(\"nequip\")}, "
                     "nequip-allegro {v(\"nequip-allegro\")}, onnx {onnx.__version__}, cython {v(\"cython\")}')"])
    jars = sorted(p.name for p in (Path(args.plugin).parent / "java").glob("*.jar"))
    java_home = os.environ.get("JAVA_HOME", "")
    java = cmd_out([str(Path(java_home) / "bin" / "java") if java_home else "java", "-version"]).splitlines()
    mpi = cmd_out(["mpirun", "--version"]).splitlines()
    return [
        f"- CPU: {cpu}; {os.cpu_count()} cores visible; {mem_kb / 2**20:.1f} GiB RAM; shared with other "
        f"jobs (1-min load average recorded per run in `load_avg`)",
        f"- OS: {platform.platform()}",
        f"- LAMMPS: {lmp_ver} ({args.lmp_mliap}; packages ML-IAP ML-SNAP PYTHON PLUGIN, Release, "
        f"built by scripts/provision-lammps-mliap.sh); MPI: {mpi[0] if mpi else '?'}",
        f"- Python side: {pyver}",
        f"- pair_style onnx: plugin {args.plugin}; Java side jars: {', '.join(jars)} "
        f"(ONNX Runtime Java {', '.join(j[len('onnxruntime-'):-4] for j in jars if j.startswith('onnxruntime-'))}); "
        f"JVM: {java[0] if java else '?'}",
    ]


def write(rows: list[Row], commands: dict[str, str], paths: dict[str, Path], model: Path,
          args: argparse.Namespace) -> str:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results_table.write_csv(out / "peer-benchmark.csv", results_table.columns(rows[0]), rows)
    short = ["size", "natoms", "ranks", "variant", "step_ms", "cpu_pct", "cpu_ms_per_step",
             "cpu_ratio_mliap_over_this", "ratio_mliap_over_this", "onnx_ms_per_call", "max_dF_vs_mliap", "dE_vs_mliap_ev", "dP_vs_mliap_bar", "load_avg"]
    table = results_table.markdown(short, rows)
    f64 = [r for r in rows if r.variant == "onnx-f64" and r.max_dF_vs_mliap is not None]
    f32 = [r for r in rows if r.variant == "onnx-f32" and r.max_dF_vs_mliap is not None]
    agree = []
    if f64:
        agree.append(f"- float64 ONNX vs ML-IAP (nequip/torch float64): max |dF| over all runs = "
                     f"{max(r.max_dF_vs_mliap for r in f64):.3g} eV/A, max |dE| = "
                     f"{max(r.dE_vs_mliap_ev for r in f64):.3g} eV, max |dP| = "
                     f"{max(r.dP_vs_mliap_bar for r in f64):.3g} bar (|F| up to "
                     f"{max(r.max_abs_F for r in f64):.3g} eV/A).")
    if f32:
        agree.append(f"- float32 ONNX vs ML-IAP float64: max |dF| = {max(r.max_dF_vs_mliap for r in f32):.3g} eV/A, "
                     f"max |dE| = {max(r.dE_vs_mliap_ev for r in f32):.3g} eV.")
    summary = []
    for variant in ("onnx-f64", "onnx-f32"):
        rs = [r for r in rows if r.variant == variant and r.cpu_ratio_mliap_over_this is not None]
        if rs:
            parts = ", ".join(f"{r.size}/np{r.ranks} {r.cpu_ratio_mliap_over_this:.2f}" for r in rs)
            summary.append(f"- {variant}: CPU time of ML-IAP / CPU time of {variant} = {parts} "
                           "(> 1: pair_style onnx is cheaper).")
    model_desc = args.model_note or f"`{model}`"
    text = "\n".join([
        "# Peer benchmark: pair_style onnx vs LAMMPS ML-IAP unified (nequip's own integration)",
        "",
        f"Generated by `benchmarks/peer_mliap.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "## Result",
        "",
        *summary,
        "",
        *table,
        "",
        "Columns: `step_ms` = LAMMPS 'Loop time' / steps of the measured run (wall clock); "
        "`cpu_ms_per_step` = CPU time (user + system, all threads, summed over ranks; read from "
        "/proc/<pid>/stat before and after the measured run by benchmarks/peer_cpu_probe.sh) / steps; "
        "`cpu_pct` = that CPU time / (wall time x ranks). LAMMPS's own '% CPU use' is not used: it counts user "
        "time only, and torch spends a large share in the kernel (page faults of its per-step allocations). The machine is shared: other jobs take the cores, so wall times swing 2x between runs; "
        "CPU time is the load-robust cost measure, and of `repeats` runs the one with the lowest CPU time is "
        "kept. `cpu_ratio_mliap_over_this` = ML-IAP CPU time / this variant's (> 1: cheaper than ML-IAP); "
        "`ratio_mliap_over_this` = the same for wall time. "
        "In the CSV also `pair_ms` = 'Pair' row of LAMMPS's timing breakdown (max over ranks) / steps and "
        "`us_per_atom_step` = CPU time per atom-step. "
        "`max_dF_vs_mliap` = max over atoms and components |F_this - F_mliap| (eV/A) on the same "
        "displaced configuration at step 0 (same size and rank count); `dE`, `dP` likewise for the total "
        "energy (eV) and the pressure (bar, i.e. the virial). Per-variant CSV: results/peer-benchmark.csv "
        "(also `energy_ev`, `press_bar`, `max_abs_F`, and for pair_style onnx the C5 stats of the run: "
        "`onnx_ms_per_call` inside OrtSession.run and `bridge_ms_per_call` Java outside it, max over ranks, "
        "averaged over all calls of the run incl. the first; `edges_rank0`).",
        "",
        "## Force cross-check (independent: nequip's own LAMMPS integration)",
        "",
        *agree,
        "",
        "## Setup",
        "",
        f"- Model: {model_desc}. The same file was converted twice: `interphase-export` -> "
        f"`{paths['onnx-f64'].name}` / `{paths['onnx-f32'].name}`; nequip's `nequip-prepare-lmp-mliap"
        f"{'' if args.mliap_compile else ' --no-compile'}` -> `{paths['mliap-raw'].name}` "
        "(then re-classed to `benchmarks/peer_mliap_compat.py:NequIPMLIAPCompat`, see below).",
        "- System: Li6PS5Cl conventional cell (`$INTERPHASE_SHARED/data/Li6PS5Cl_conventional.data`, 52 atoms, "
        "a = 10.279498 A) replicated 3x3x2 (936 atoms) and 6x6x5 (9360 atoms); `displace_atoms all random "
        "0.05 0.05 0.05 4242` (decomposition-independent); `run 0` + force dump; then 300 K velocities "
        "(`loop geom`), NVE, dt = 1 fs, warm-up run, measured run (steps in the table/CSV).",
        "- 1 thread per rank everywhere: `OMP_NUM_THREADS=1 MKL_NUM_THREADS=1`, `pair_style onnx threads 1`; "
        "MPI ranks with `--bind-to none`; every run under `nice -n 10` (shared machine).",
        "- Both pair styles run in the SAME LAMMPS binary (the ML-IAP build also has PLUGIN), same deck, "
        "only the pair_style/pair_coeff lines differ.",
        *machine_info(args),
        "",
        "## Exact commands",
        "",
        "```bash",
        "bash scripts/provision-lammps-mliap.sh            # once, ~10-30 min on 2 busy cores",
        "source scripts/env.sh",
        f"{VENV}/bin/python benchmarks/peer_mliap.py {' '.join(shlex.quote(a) for a in args.argv)}",
        "```",
        "",
        "Model conversion (done by the script, cached in `.cache/peer-bench/<model>/`):",
        "",
        "```bash",
        f"interphase-export MODEL -o {paths['onnx-f64'].name} --dtype float64   # built-in checks vs nequip's calculator",
        f"interphase-export MODEL -o {paths['onnx-f32'].name} --dtype float32",
        f"PYTHONPATH={MLIAP_PREFIX}/python nequip-prepare-lmp-mliap MODEL {paths['mliap-raw'].name}"
        f"{'' if args.mliap_compile else ' --no-compile'}",
        f"PYTHONPATH=benchmarks python -c 'import peer_mliap_compat as c; c.convert(\"{paths['mliap-raw'].name}\", "
        f"\"{paths['mliap'].name}\")'",
        "```",
        "",
        "Pair lines (everything else in the deck is identical; decks are kept in "
        f"`{args.workdir}/<size>-np<ranks>-<variant>-r<rep>/in.lmp`):",
        "",
        "```",
        "# onnx-f64 / onnx-f32",
        pair_lines("onnx-f64", paths, Path(args.plugin)),
        "# mliap (environment: PYTHONPATH=<mliap prefix>/python:benchmarks:<venv site-packages>, "
        "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1, OMP_NUM_THREADS=1)",
        pair_lines("mliap", paths, Path(args.plugin)),
        "```",
        "",
        "Run commands (per variant, first run):",
        "",
        "```",
        *[f"{k}: {v}" for k, v in commands.items()],
        "```",
        "",
        "## Notes",
        "",
        "- ML-IAP adapter: nequip 0.19.1's wrapper calls `data.update_pair_forces_gpu(tensor)` and reads "
        "`data.eatoms`, which LAMMPS 4Feb2025's non-Kokkos `mliap_unified_couple.pyx` does not offer "
        "(`update_pair_forces(double[:, ::1])`, write-only `eatoms`). `NequIPMLIAPCompat` forwards to those "
        "(one float64 numpy copy of the edge forces per step, negligible next to the model); the model, "
        "its graph construction and the autograd call are nequip's, unchanged. LAMMPS 4Feb2025 also loads "
        "the artefact with a bare `torch.load`, so `TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1` is set.",
        f"- ML-IAP runs {'with torch.compile (inductor)' if args.mliap_compile else 'eager (`--no-compile`)'}. "
        "nequip's default is torch.compile (inductor JIT-compiles C++ kernels in every rank at the first step); "
        + ("" if args.mliap_compile else "that mode was not measured here (`--mliap-compile` selects it). ")
        + "Eager float64 torch is the same model graph that interphase-export traces.",
        "- `pair_nequip_allegro` (the LibTorch C++ pair styles `pair_style nequip` / `pair_style allegro`) is "
        "not in the table: its source is distributed only as a GitHub repository (mir-group/pair_nequip_allegro) "
        "that is patched into the LAMMPS tree, and it is on none of the registries this platform can reach "
        "(PyPI, Maven Central, Debian). LibTorch itself would be available (the pip torch wheel ships its C++ "
        "headers and CMake config), the pair style is not. ML-IAP unified is the LAMMPS integration nequip "
        "itself ships in its wheel (`nequip.integrations.lammps_mliap`, `nequip-prepare-lmp-mliap`).",
        "- DeePMD-kit (`pair_style deepmd`) is a different model family (Deep Potential descriptors, not "
        "Allegro/NequIP), so a timing against it would not compare the same model and is not included.",
        "- Timings come from a shared 2-core machine with other jobs running (see `load_avg`); ratios "
        "between variants of the same (size, ranks) are more meaningful than absolute times. 2 ranks on "
        "2 busy cores rarely halve the time.",
        "",
    ])
    (out / "peer-benchmark.md").write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="nequip .nequip.zip or .ckpt (Allegro); default: "
                                    "model-export/default-model/*.nequip.zip")
    ap.add_argument("--model-note", default="", help="text describing the model in the report")
    ap.add_argument("--sizes", default="1k,10k", help=f"comma list of {','.join(SIZES)}")
    ap.add_argument("--ranks", default="1,2", help="comma list of MPI rank counts")
    ap.add_argument("--steps", type=int, default=0, help="measured steps (default per size: "
                    + ", ".join(f"{k} {v[2]}" for k, v in SIZES.items()) + ")")
    ap.add_argument("--repeats", type=int, default=1, help="runs per variant; the fastest is kept")
    ap.add_argument("--variants", default=",".join(VARIANTS), help=f"comma list of {','.join(VARIANTS)}")
    ap.add_argument("--mliap-compile", action="store_true",
                    help="prepare the ML-IAP artefact with torch.compile (nequip's default; slow first step)")
    ap.add_argument("--lmp-mliap", default=str(MLIAP_PREFIX / "bin" / "lmp"))
    ap.add_argument("--lmp-onnx", default="", help="LAMMPS for pair_style onnx (default: the ML-IAP build)")
    ap.add_argument("--plugin", default=os.environ.get("INTERPHASE_PLUGIN",
                                                       str(CACHE / "interphase/lib/interphase/interphaseplugin.so")))
    ap.add_argument("--reuse", action="store_true",
                    help="re-read finished runs of identical decks in --workdir instead of re-running them")
    ap.add_argument("--out", default=str(REPO / "results"))
    ap.add_argument("--workdir", default=str(REPO / "results" / "runs" / "peer-benchmark"))
    args = ap.parse_args(argv)
    args.argv = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--reuse"]
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.ranks = [int(s) for s in args.ranks.split(",") if s.strip()]
    args.variants = [s.strip() for s in args.variants.split(",") if s.strip()]
    for s in args.sizes:
        if s not in SIZES:
            ap.error(f"unknown size {s}: use {', '.join(SIZES)}")
    for v in args.variants:
        if v not in VARIANTS:
            ap.error(f"unknown variant {v}: use {', '.join(VARIANTS)}")
    args.lmp_onnx = args.lmp_onnx or args.lmp_mliap
    if not (Path(args.lmp_mliap).is_file() and (MLIAP_PREFIX / ".complete").is_file()) and "mliap" in args.variants:
        print(f"peer_mliap: {args.lmp_mliap} not built. Run 'bash scripts/provision-lammps-mliap.sh' first "
              "(benchmark-only LAMMPS with ML-IAP/Python).", file=sys.stderr)
        return 2
    if not Path(args.plugin).is_file():
        print(f"peer_mliap: plugin {args.plugin} not found. Run 'bash scripts/build-plugin.sh'.", file=sys.stderr)
        return 2
    model = Path(args.model) if args.model else default_model()
    if model is None or not model.is_file():
        print(f"peer_mliap: model {model or '(none)'} not found. Pass --model PATH.nequip.zip (or .ckpt) of an "
              "Allegro model; the default is model-export/default-model/*.nequip.zip.", file=sys.stderr)
        return 2
    paths = prepare(model, CACHE / "peer-bench", args.mliap_compile)
    rows, commands = bench(args, paths)
    print(write(rows, commands, paths, model, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
