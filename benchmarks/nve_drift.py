#!/usr/bin/env python3
"""NVE energy drift of the Li6PS5Cl crystal with pair_style onnx.

System: the Li6PS5Cl conventional cell ($INTERPHASE_SHARED/data/Li6PS5Cl_conventional.data)
replicated 2x2x2 (416 atoms), rattled by 0.05 A and relaxed with minimize (cg; with the native
morse when it is compared, so all runs start from the same atoms), velocities at 300 K (fixed
seed), NVE, dt = 1 fs, 2 ps by default.
Model: models/li-p-s-cl-allegro.{f64,f32}.onnx (contract C7) when present, else the analytic
tests/models/morse_f64.onnx, which is also run with LAMMPS's native pair_style morse: the
difference isolates what the bridge adds (the unshifted Morse cutoff itself causes some drift).

Drift = slope of a least-squares line through total energy vs time, per atom, in meV/atom/ps;
also the RMS of the residual (fluctuation) and the max |E(t) - E(0)|.
Usage: python benchmarks/nve_drift.py [--ps 2] [--dt-fs 1] [--np 2]
Writes results/nve-drift.md (+ .csv).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from harness import lammps as L  # noqa: E402
import results_table  # noqa: E402  (benchmarks/, the script's own folder)
from pair import morse, structures  # noqa: E402

DEFAULT_MODELS = [REPO / "models" / "li-p-s-cl-allegro.f64.onnx",
                  REPO / "models" / "li-p-s-cl-allegro.f32.onnx"]
MORSE_MODEL = REPO / "tests" / "models" / "morse_f64.onnx"


def relax_deck(data: Path, pair_lines: str, out: Path) -> str:
    """Rattle (0.05 A, breaks the symmetry) and relax with cg; write the relaxed structure."""
    return "\n".join([
        "units metal", "atom_style atomic", "boundary p p p",
        f"read_data {data}", "replicate 2 2 2", pair_lines,
        "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes",
        "displace_atoms all random 0.05 0.05 0.05 771 units box",
        "min_style cg", "minimize 1.0e-12 1.0e-8 2000 20000",
        f"write_data {out} nocoeff", ""])


def deck(data: Path, pair_lines: str, steps: int, dt_ps: float, temp: float, every: int) -> str:
    return "\n".join([
        "units metal", "atom_style atomic", "boundary p p p",
        f"read_data {data}", pair_lines,
        "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes",
        f"velocity all create {temp} 4928459 mom yes rot no dist gaussian loop geom",
        "fix nve all nve", f"timestep {dt_ps}",
        "thermo_style custom step time pe ke etotal temp", "thermo_modify format float %20.15g",
        f"thermo {every}", f"run {steps}", ""])


def analyse(rows: list[dict[str, float]], natoms: int) -> dict[str, float]:
    t = np.array([r["Time"] for r in rows])
    e = np.array([r["TotEng"] for r in rows])
    slope, icpt = np.polyfit(t, e, 1)
    resid = e - (slope * t + icpt)
    return {"drift_meV_atom_ps": 1e3 * slope / natoms,
            "fluct_rms_meV_atom": 1e3 * float(np.sqrt(np.mean(resid ** 2))) / natoms,
            "max_dev_meV_atom": 1e3 * float(np.max(np.abs(e - e[0]))) / natoms,
            "mean_T": float(np.mean([r["Temp"] for r in rows])), "ps": float(t[-1] - t[0])}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ps", type=float, default=2.0, help="simulated time in ps")
    ap.add_argument("--dt-fs", type=float, default=1.0)
    ap.add_argument("--temp", type=float, default=300.0)
    ap.add_argument("--np", type=int, default=2)
    ap.add_argument("--out", default=str(REPO / "results"))
    ap.add_argument("--workdir", default=str(REPO / "results" / "runs" / "nve-drift"))
    args = ap.parse_args(argv)
    load_start = os.getloadavg()
    try:
        plugin = L.plugin_path()
        L.lmp_binary()
    except L.MissingComponent as exc:
        print(f"nve_drift: {exc}", file=sys.stderr)
        return 2
    data = structures.shared_data_dir() / "Li6PS5Cl_conventional.data"
    dt = args.dt_fs * 1e-3
    steps = int(round(args.ps / dt))
    every = max(1, steps // 400)
    runs: list[tuple[str, str]] = []
    models = [m for m in DEFAULT_MODELS if m.is_file()] or [MORSE_MODEL]
    for m in models:
        runs.append((f"onnx {m.name}", "\n".join([f"plugin load {plugin}", "pair_style onnx",
                                                  f"pair_coeff * * {m} Li P S Cl"])))
    if MORSE_MODEL in models:
        runs.append(("native pair_style morse", morse.load_params().lammps_block(list(structures.ELEMENTS))))
    # one relaxed start for every run: relaxed with the native morse when comparing with it
    # (so both NVE runs start from the same atoms), else with the model itself
    relaxed = Path(args.workdir) / "relaxed.data"
    res = L.run_lammps(relax_deck(data, runs[-1][1], relaxed), Path(args.workdir) / "relax", args.np,
                       timeout=7200, nice=10)
    if res.returncode != 0 or res.timed_out or not relaxed.is_file():
        print(f"nve_drift: relaxation failed\n{res.describe()}", file=sys.stderr)
        return 1
    data = relaxed
    results = []
    for label, pair_lines in runs:
        t0 = time.monotonic()
        workdir = Path(args.workdir) / label.replace(" ", "_")
        res = L.run_lammps(deck(data, pair_lines, steps, dt, args.temp, every), workdir, args.np,
                           timeout=7200, nice=10)
        if res.returncode != 0 or res.timed_out:
            print(f"nve_drift: run '{label}' failed\n{res.describe()}", file=sys.stderr)
            return 1
        natoms = int(L.parse_timing(res.log)["atoms"])
        stats = analyse(res.thermo_blocks()[-1], natoms)
        stats.update(label=label, natoms=natoms, wall_s=time.monotonic() - t0)
        results.append(stats)
        print(f"[nve] {label}: {stats['drift_meV_atom_ps']:+.4g} meV/atom/ps", flush=True)
    cols = ["label", "natoms", "ps", "drift_meV_atom_ps", "fluct_rms_meV_atom", "max_dev_meV_atom",
            "mean_T", "wall_s"]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results_table.write_csv(out / "nve-drift.csv", cols, results, digits=6)
    lines = ["# NVE energy drift, Li6PS5Cl 2x2x2", "",
             f"Generated by `benchmarks/nve_drift.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
             f"{args.temp:g} K start, NVE, dt {args.dt_fs:g} fs, {args.ps:g} ps, {args.np} MPI ranks. "
             "Drift = slope of a linear fit of total energy vs time.", "",
             "Model(s): " + ", ".join(f"`{m.relative_to(REPO)}`" for m in models)
             + (" (default Allegro model, contract C7)" if MORSE_MODEL not in models
                else " (analytic Morse test model; the default model was absent)") + ".", "",
             f"Machine load caveat: shared machine ({os.cpu_count()} cores, several concurrent jobs), "
             f"1/5/15-min load average {load_start[0]:.1f}/{load_start[1]:.1f}/{load_start[2]:.1f} at the start "
             f"and {os.getloadavg()[0]:.1f}/{os.getloadavg()[1]:.1f}/{os.getloadavg()[2]:.1f} at the end; "
             "load changes wall_s only, not the drift (deterministic trajectory up to summation order).", "",
             *results_table.markdown(cols, results)]
    text = "\n".join(lines) + "\n"
    (out / "nve-drift.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
