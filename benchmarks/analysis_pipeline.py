#!/usr/bin/env python3
"""Benchmark of `interphase analyze`: read -> descriptors -> clustering -> labels throughput.

Generates H5MD dumps with the project's real LAMMPS (bcc Li box, `pair_style zero`, NVE drift, `dump h5md`),
then runs bin/interphase under /usr/bin/time -v and reports
  - throughput in atom-frames/s (whole run, and the descriptor stage alone),
  - peak resident memory vs the number of frames (should stay flat: frames are streamed),
  - core usage (CPU time / wall time) with --threads 1 and --threads <all cores>.
Writes results/analysis-benchmark.md and results/analysis-benchmark.csv.

Usage: source scripts/env.sh; python benchmarks/analysis_pipeline.py [--atoms 4000] [--frames 10,20,40]
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Row:
    atoms: int
    frames: int
    threads: int
    wall_s: float
    cpu_s: float
    cores_used: float
    max_rss_mb: float
    atom_frames: int
    run_s: float
    descriptor_s: float
    atom_frames_per_s: float
    descriptor_atom_frames_per_s: float


def make_dump(lmp: str, workdir: Path, atoms: int, frames: int) -> Path:
    cells = max(2, round((atoms / 2) ** (1 / 3)))
    script = f"""
units metal
atom_style atomic
lattice bcc 3.51
region box block 0 {cells} 0 {cells} 0 {cells}
create_box 1 box
create_atoms 1 box
mass 1 6.94
pair_style zero 4.0
pair_coeff * *
velocity all create 300 12345
timestep 0.001
fix 1 all nve
dump d all h5md 1 dump.h5 position species
run {frames - 1}
"""
    (workdir / "in.lmp").write_text(script)
    subprocess.run([lmp, "-in", "in.lmp", "-log", "none", "-screen", "none"], cwd=workdir, check=True,
                   env={**os.environ, "OMP_NUM_THREADS": "1"})
    return workdir / "dump.h5"


def run_cli(dump: Path, out: Path, threads: int, heap: str) -> tuple[float, float, float, str]:
    cmd = ["/usr/bin/time", "-v", str(ROOT / "bin/interphase"), "analyze", str(dump), "--types", "Li",
           "-o", str(out), "-q", "--no-plots", "--no-atoms", "-k", "3", "--threads", str(threads)]
    env = {**os.environ, "INTERPHASE_JAVA_OPTS": f"-Xmx{heap}"}
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(f"interphase failed: {p.stderr.strip().splitlines()[0] if p.stderr.strip() else p.returncode}")
    t = p.stderr
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    h, m, s = wall.group(1), wall.group(2), wall.group(3)
    wall_s = (int(h) * 3600 if h else 0) + int(m) * 60 + float(s)
    cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1)) + float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
    rss = float(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    return wall_s, cpu, rss, (out / "report.txt").read_text()


def main() -> None:
    ap = argparse.ArgumentParser(description="interphase analyze benchmark")
    ap.add_argument("--atoms", type=int, default=4000)
    ap.add_argument("--frames", default="10,20,40")
    ap.add_argument("--heap", default="256m", help="JVM -Xmx for every run (fixed so RSS is comparable)")
    ap.add_argument("--big", default="16000x150", help="ATOMSxFRAMES of the bounded-memory run (trajectory larger than the heap)")
    ap.add_argument("--big-heap", default="160m", help="JVM -Xmx of the bounded-memory run")
    ap.add_argument("--out", type=Path, default=ROOT / "results")
    args = ap.parse_args()
    lmp = os.environ.get("INTERPHASE_LMP")
    if not lmp or not os.access(lmp, os.X_OK):
        raise SystemExit("INTERPHASE_LMP is not set to a LAMMPS binary: source scripts/env.sh after scripts/setup.sh")
    ncores = os.cpu_count() or 1
    load_before = os.getloadavg()[0]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        for nf in [int(x) for x in args.frames.split(",")]:
            wd = Path(tmp) / f"f{nf}"
            wd.mkdir()
            dump = make_dump(lmp, wd, args.atoms, nf)
            for threads in sorted({1, ncores}) if nf == max(int(x) for x in args.frames.split(",")) else [ncores]:
                wall, cpu, rss, rep = run_cli(dump, wd / f"out{threads}", threads, args.heap)
                m = re.search(r"atom-frames (\d+).*?, ([\d.]+) s \(descriptors ([\d.]+) s\)", rep)
                af, run_s, desc_s = int(m.group(1)), float(m.group(2)), float(m.group(3))
                natoms = af // nf
                rows.append(Row(natoms, nf, threads, wall, cpu, cpu / wall, rss, af, run_s, desc_s,
                                af / run_s, af / desc_s if desc_s > 0 else float("nan")))
                print(f"atoms={natoms} frames={nf} threads={threads}: wall {wall:.1f} s, {af / run_s:,.0f} atom-frames/s "
                      f"(descriptors {af / max(desc_s, 1e-9):,.0f}/s), cores used {cpu / wall:.2f}, max RSS {rss:.0f} MB")
        big = None
        if args.big:
            ba, bf = (int(v) for v in args.big.lower().split("x"))
            wd = Path(tmp) / "big"
            wd.mkdir()
            dump = make_dump(lmp, wd, ba, bf)
            size_mb = dump.stat().st_size / 2**20
            wall, cpu, rss, rep = run_cli(dump, wd / "out", ncores, args.big_heap)
            m = re.search(r"atom-frames (\d+).*?, ([\d.]+) s \(descriptors ([\d.]+) s\)", rep)
            af, run_s, desc_s = int(m.group(1)), float(m.group(2)), float(m.group(3))
            big = (af // bf, bf, size_mb, args.big_heap, wall, af / run_s, af / desc_s, cpu / wall, rss)
            rows.append(Row(af // bf, bf, ncores, wall, cpu, cpu / wall, rss, af, run_s, desc_s, af / run_s, af / desc_s))
            print(f"bounded memory: {af // bf} atoms x {bf} frames ({size_mb:.0f} MB H5MD, descriptors {af * 40 / 2**20:.0f} MB) "
                  f"with -Xmx{args.big_heap}: ok, max RSS {rss:.0f} MB, {af / run_s:,.0f} atom-frames/s")
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "analysis-benchmark.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(asdict(rows[0]).keys()))
        w.writeheader()
        for r in rows:
            w.writerow(asdict(r))
    lines = [
        "# interphase analyze benchmark",
        "",
        f"Made by `benchmarks/analysis_pipeline.py` on this machine ({ncores} cores, shared with other jobs: timings are indicative; "
        f"1-minute load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after the runs, so 'cores used' "
        "below 1 means the runs were starved of CPU by other jobs, not that they were serial).",
        f"Input: H5MD dumps written by the project's LAMMPS (bcc Li, `pair_style zero`, NVE), types `--types Li`; "
        f"`analyze -k 3 --no-plots --no-atoms`, JVM `-Xmx{args.heap}`. run_s = whole pipeline inside the JVM (both passes, "
        "reference crystals, clustering, outputs); descriptor_s = descriptor stage only. wall_s includes JVM start-up.",
        "",
        "| atoms | frames | threads | wall s | run s | atom-frames/s (run) | atom-frames/s (descriptors) | cores used | max RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r.atoms} | {r.frames} | {r.threads} | {r.wall_s:.1f} | {r.run_s:.1f} | {r.atom_frames_per_s:,.0f} | "
                     f"{r.descriptor_atom_frames_per_s:,.0f} | {r.cores_used:.2f} | {r.max_rss_mb:.0f} |")
    if big:
        lines += ["", f"**Bounded memory:** {big[0]} atoms x {big[1]} frames ({big[2]:.0f} MB H5MD file; its descriptors alone are "
                  f"{big[0] * big[1] * 40 / 2**20:.0f} MB as float32) analysed with a {big[3]} heap: completed, max RSS {big[8]:.0f} MB, "
                  f"{big[5]:,.0f} atom-frames/s overall, {big[6]:,.0f} in the descriptor stage."]
    lines += ["", "Memory: frames are streamed (one frame in memory per pass; descriptors cached as float32 on disk), so the peak "
              "RSS should not grow with the number of frames at a fixed heap limit.", ""]
    (args.out / "analysis-benchmark.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
