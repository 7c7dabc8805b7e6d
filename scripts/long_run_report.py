#!/usr/bin/env python3
"""Summary of a run of scripts/long-run.sh (lammps-inputs/in.long), and its dump trimming.

    long_run_report.py DIR                      -> DIR/summary.md, DIR/thermo.csv, DIR/model_devi.out,
                                                   DIR/frames.csv (per dump frame, kept across sessions)
    long_run_report.py --trim-dump FILE STEP    drop the frames at and after STEP (before a restart)

A run is a sequence of segments, one per invocation, each with its own log.<start>.lammps and
model_devi.<start>.out, where <start> is the step it continued from. Where segments overlap (a
segment ran past the restart the next one started from), the later segment's rows win.

The summary checks what issue 13's stability run asks: no atom lost (the atom count of every run
equals the cell's), no collapse (the smallest interatomic distance of every dump frame, with the
minimum image), the temperature of the NVT and the drift of the total energy in the NVE segment
(slope of a least-squares line, meV/atom/ps), and the committee's force deviation over time.
"""
from __future__ import annotations

import argparse
import glob
import os
import re
import sys
from dataclasses import dataclass

from pathlib import Path

import numpy as np

from demo_report import read_properties, thermo_blocks  # the scripts' one LAMMPS-log parser

THERMO_COLS = ("Step", "Time", "Temp", "PotEng", "KinEng", "TotEng", "Press", "Volume")
COLLAPSE_A = 1.0  # a pair closer than this (Angstrom) counts as collapsed: far inside every bond of Li-P-S-Cl


def fail(msg: str) -> None:
    print(f"interphase: {msg}", file=sys.stderr)
    sys.exit(1)


@dataclass(frozen=True)
class Segment:
    start: int
    thermo: np.ndarray            # MD rows (nvt and nve stages) of THERMO_COLS
    atom_counts: tuple[int, ...]  # "with N atoms" of each run in the log


def read_log(path: str) -> Segment:
    start = int(re.search(r"log\.(\d+)\.lammps$", path).group(1))
    rows = [r for stage, block in thermo_blocks(Path(path)) if stage in ("nvt", "nve") for r in block]
    text = Path(path).read_text(errors="replace")
    counts = tuple(int(n) for n in re.findall(r"^Loop time of .* steps with (\d+) atoms", text, re.M))
    return Segment(start, np.array(rows, dtype=float).reshape(-1, len(THERMO_COLS)), counts)


def merge_rows(parts: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """Rows (first column: step) of segments sorted by start; segment k keeps steps < start of k+1."""
    parts = sorted(parts, key=lambda p: p[0])
    out = []
    for k, (start, rows) in enumerate(parts):
        if rows.size == 0:
            continue
        end = parts[k + 1][0] if k + 1 < len(parts) else np.inf
        keep = (rows[:, 0] >= start) & (rows[:, 0] < end)
        out.append(rows[keep])
    if not out:
        return np.zeros((0, parts[0][1].shape[1] if parts else 0))
    merged = np.concatenate(out)
    _, first = np.unique(merged[:, 0], return_index=True)
    return merged[np.sort(first)]


def read_devi(path: str) -> np.ndarray:
    rows = []
    with open(path) as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            rows.append([float(w) for w in line.split()[:7]])
    rows = np.array(rows, dtype=float).reshape(-1, 7)
    # A fresh run's file starts with rows of the minimiser's iterations; the MD's rows follow a
    # reset_timestep 0, so they are the rows after the last step that does not increase.
    back = np.nonzero(np.diff(rows[:, 0]) <= 0)[0]
    return rows[back[-1] + 1:] if back.size else rows


def dump_frames(path: str):
    """Yields (step, box lengths (3,), positions (n,3)) of an orthogonal LAMMPS text dump."""
    with open(path) as fh:
        while True:
            line = fh.readline()
            if not line:
                return
            if not line.startswith("ITEM: TIMESTEP"):
                continue
            step = int(fh.readline())
            line = fh.readline()
            if line.startswith("ITEM: TIME"):
                fh.readline()
                line = fh.readline()
            n = int(fh.readline())
            fh.readline()  # ITEM: BOX BOUNDS
            lo_hi = np.array([[float(w) for w in fh.readline().split()[:2]] for _ in range(3)])
            header = fh.readline().split()[2:]
            ix, iy, iz = (header.index(c) for c in ("x", "y", "z"))
            xyz = np.empty((n, 3))
            for i in range(n):
                w = fh.readline().split()
                xyz[i] = (float(w[ix]), float(w[iy]), float(w[iz]))
            lengths = lo_hi[:, 1] - lo_hi[:, 0]
            yield step, lengths, np.mod(xyz - lo_hi[:, 0], lengths)


def min_distance(lengths: np.ndarray, xyz: np.ndarray) -> float:
    from scipy.spatial import cKDTree

    tree = cKDTree(xyz, boxsize=lengths * (1 + 1e-12))
    d, _ = tree.query(xyz, k=2)
    return float(d[:, 1].min())


def trim_dump(path: str, step: int) -> None:
    """Truncates the dump before its first frame whose step is >= step. A frame starts at its
    ITEM: TIMESTEP line, or at the ITEM: TIME line LAMMPS writes two lines before it (dump_modify time)."""
    if not os.path.exists(path):
        return
    cut, time_at = None, -1
    starts: list[int] = []  # offsets of the last three lines
    with open(path, "rb") as fh:
        while True:
            pos = fh.tell()
            line = fh.readline()
            if not line:
                break
            starts = (starts + [pos])[-3:]
            if line.startswith(b"ITEM: TIMESTEP"):
                s = int(fh.readline())
                if s >= step:
                    cut = starts[0] if len(starts) == 3 and time_at == starts[0] else pos
                    break
            elif line.startswith(b"ITEM: TIME"):
                time_at = pos
    if cut is not None:
        with open(path, "r+b") as fh:
            fh.truncate(cut)


def frame_distances(run: str) -> dict[int, float]:
    """Smallest interatomic distance of every dump frame, kept in DIR/frames.csv so that the dump itself
    need not be kept between sessions: frames already in the file are not read again."""
    path = os.path.join(run, "frames.csv")
    known: dict[int, float] = {}
    if os.path.exists(path):
        for line in open(path).read().splitlines()[1:]:
            step, d = line.split(",")
            known[int(step)] = float(d)
    dump = os.path.join(run, "traj.lammpstrj")
    if os.path.exists(dump):
        for step, lengths, xyz in dump_frames(dump):
            if step not in known:
                known[step] = min_distance(lengths, xyz)
    with open(path + ".tmp", "w") as fh:
        fh.write("step,min_distance_A\n")
        for step in sorted(known):
            fh.write(f"{step},{known[step]:.4f}\n")
    os.replace(path + ".tmp", path)
    return known


def forget_frames(run: str, step: int) -> None:
    """Drops the rows of DIR/frames.csv at and after step (the continuing run writes them again)."""
    path = os.path.join(run, "frames.csv")
    if os.path.exists(path):
        lines = open(path).read().splitlines()
        keep = [lines[0]] + [ln for ln in lines[1:] if int(ln.split(",")[0]) < step]
        open(path, "w").write("\n".join(keep) + "\n")


def summarise(run: str) -> str:
    logs = sorted(glob.glob(os.path.join(run, "log.*.lammps")))
    if not logs:
        fail(f"no log.<step>.lammps in {run}. Run scripts/long-run.sh --out {run} first.")
    conf = read_properties(Path(run) / "run.conf")
    segs = [read_log(p) for p in logs]
    thermo = merge_rows([(s.start, s.thermo) for s in segs])
    if thermo.shape[0] < 2:
        fail(f"the logs in {run} hold fewer than two thermo rows. Let the run go on longer.")
    natoms = int(open(os.path.join(run, "cell.data")).read().split(" atoms", 1)[0].split()[-1])
    counts = sorted({c for s in segs for c in s.atom_counts})
    dt = float(conf["dt"])
    nvt_end = round(float(conf["ps_nvt"]) / dt)
    t = thermo[:, 1]
    step = thermo[:, 0]
    nvt = (step <= nvt_end) & (t >= min(1.0, 0.1 * nvt_end * dt))
    nve = step >= nvt_end
    lines = [f"# Long run: {run}", ""]
    lines.append(f"- cell: {natoms} atoms; T = {conf['T']} K, dt = {dt * 1000:g} fs; models: "
                 + ", ".join(os.path.basename(m) for m in [conf["model"]] + [c for c in conf.get("committee", "").split(",") if c]))
    lines.append(f"- segments: {len(segs)} (restarts at steps {', '.join(str(s.start) for s in segs)}); "
                 f"last step {int(step[-1])} = {t[-1]:.2f} ps of {float(conf['ps_nvt']) + float(conf['ps_nve']):g} ps")
    lost = [c for c in counts if c != natoms]
    lines.append(f"- atoms: {natoms} in the cell; atom counts of the runs: {', '.join(map(str, counts))}"
                 + (" -> ATOMS LOST" if lost else " -> none lost"))
    if nvt.any():
        tt = thermo[nvt, 2]
        lines.append(f"- NVT ({t[nvt][0]:.2f}-{t[nvt][-1]:.2f} ps): T = {tt.mean():.1f} +- {tt.std():.1f} K "
                     f"(target {conf['T']}); PE/atom {thermo[nvt, 3][0] / natoms:.4f} -> {thermo[nvt, 3][-1] / natoms:.4f} eV")
    if nve.sum() >= 3:
        tn, en = t[nve], thermo[nve, 5] / natoms
        slope, _ = np.polyfit(tn - tn[0], en, 1)
        lines.append(f"- NVE ({tn[0]:.2f}-{tn[-1]:.2f} ps, {nve.sum()} thermo rows): drift {slope * 1000:+.4f} meV/atom/ps, "
                     f"max |E - E0| {np.abs(en - en[0]).max() * 1000:.4f} meV/atom, mean T {thermo[nve, 2].mean():.1f} K")
    dmin = frame_distances(run)
    if dmin:
        worst = min(dmin.items(), key=lambda p: p[1])
        lines.append(f"- smallest interatomic distance over {len(dmin)} dump frames: {worst[1]:.3f} A at step {worst[0]}"
                     + (f" -> COLLAPSE (< {COLLAPSE_A} A)" if worst[1] < COLLAPSE_A else f" (collapse would be < {COLLAPSE_A} A)"))
    devs = sorted(glob.glob(os.path.join(run, "model_devi.[0-9]*.out")))
    if devs:
        devi = merge_rows([(int(re.search(r"model_devi\.(\d+)\.out$", p).group(1)), read_devi(p)) for p in devs])
        if devi.size:
            with open(os.path.join(run, "model_devi.out"), "w") as fh:
                fh.write("#%11s %19s %19s %19s %19s %19s %19s\n" % ("step", "max_devi_v", "min_devi_v", "avg_devi_v",
                                                                    "max_devi_f", "min_devi_f", "avg_devi_f"))
                for r in devi:
                    fh.write("%12d %19.6e %19.6e %19.6e %19.6e %19.6e %19.6e\n" % (int(r[0]), *r[1:]))
            mf = devi[:, 4]
            lines.append(f"- committee max_devi_f over {len(mf)} rows: median {np.median(mf):.3f}, p95 {np.percentile(mf, 95):.3f}, "
                         f"max {mf.max():.3f} eV/A (at step {int(devi[mf.argmax(), 0])}); avg_devi_f median {np.median(devi[:, 6]):.3f} eV/A")
    np.savetxt(os.path.join(run, "thermo.csv"), thermo, delimiter=",", header=",".join(THERMO_COLS), comments="",
               fmt=["%d", "%.4f", "%.3f", "%.6f", "%.6f", "%.6f", "%.3f", "%.3f"])
    text = "\n".join(lines) + "\n"
    with open(os.path.join(run, "summary.md"), "w") as fh:
        fh.write(text)
    return text


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run", nargs="?", help="the --out directory of scripts/long-run.sh")
    ap.add_argument("--trim-dump", nargs=2, metavar=("FILE", "STEP"))
    a = ap.parse_args(argv)
    if a.trim_dump:
        trim_dump(a.trim_dump[0], int(a.trim_dump[1]))
        forget_frames(os.path.dirname(os.path.abspath(a.trim_dump[0])), int(a.trim_dump[1]))
        return
    if not a.run or not os.path.isdir(a.run):
        fail(f"run directory {a.run!r} not found. Pass the --out DIR of scripts/long-run.sh.")
    print(summarise(a.run), end="")


if __name__ == "__main__":
    main()
