#!/usr/bin/env python3
"""Summary of a run of scripts/long-run.sh (lammps-inputs/in.long), and its whole trajectory.

    long_run_report.py DIR                       -> DIR/summary.md, DIR/thermo.csv, DIR/model_devi.out,
                                                    DIR/frames.csv (per dump frame, kept across sessions)
    long_run_report.py DIR --trajectory OUT      the run's frames in step order, as one LAMMPS text dump
                                                    (for interphase analyze / li-penetration / OVITO)

A run is a sequence of segments, one per call of long-run.sh, each with its own log.<start>.lammps,
model_devi.<start>.out and traj.<start>.lammpstrj (or .lammpstrj.xz), where <start> is the step it
continued from. One rule merges all of them: segment k contributes its rows and frames with
start_k <= step < start_(k+1), so where a killed segment ran past the restart the next one started
from, the later segment wins.

The summary checks what issue 13's stability run asks: no atom lost (the atom count of every run
equals the cell's), no collapse (the smallest interatomic distance of every dump frame, with the
minimum image), the temperature of the NVT and the drift of the total energy in the NVE segment
(slope of a least-squares line, meV/atom/ps), and the committee's force deviation over time.
"""
from __future__ import annotations

import argparse
import glob
import lzma
import os
import re
import sys
from dataclasses import dataclass

from pathlib import Path

import numpy as np

from demo_report import read_properties, thermo_blocks  # the scripts' one LAMMPS-log parser

THERMO_COLS = ("Step", "Time", "Temp", "PotEng", "KinEng", "TotEng", "Press", "Volume")
COLLAPSE_A = 1.0  # a pair closer than this (Angstrom) counts as collapsed: far inside every bond of Li-P-S-Cl
# The default committee's trust level on avg_devi_f (eV/A): below it the model met its per-family force target on
# the hold-out frames (results/long-runs/committee-calibration.md, docs/long-runs.md). Other committees: see there.
TRUST_AVG_DEVI_F = 0.016


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


def segment_of(starts: list[int], step: float) -> int:
    """Index of the segment that owns a step: the last one starting at or before it."""
    return int(np.searchsorted(np.asarray(starts), step, side="right")) - 1


def merge_rows(parts: list[tuple[int, np.ndarray]], starts: list[int]) -> np.ndarray:
    """Rows (first column: step) of the segments' files; the segment starting at start_k keeps its steps in
    [start_k, start_(k+1)), with starts those of every segment (a call without a committee has no file)."""
    out = [rows[[st >= start and starts[segment_of(starts, st)] == start for st in rows[:, 0]]]
           for start, rows in sorted(parts, key=lambda p: p[0]) if rows.size]
    if not out:
        return np.zeros((0, parts[0][1].shape[1] if parts else 0))
    merged = np.concatenate(out)
    _, first = np.unique(merged[:, 0], return_index=True)  # a step printed twice (end of NVT, start of NVE)
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


def dump_blocks(path: str):
    """Yields (step, text) of each frame of a LAMMPS text dump (plain or .xz); a frame starts at its
    ITEM: TIME line (dump_modify time yes) or, without one, at its ITEM: TIMESTEP line."""
    opener = lzma.open if path.endswith(".xz") else open
    with opener(path, "rt") as fh:
        block: list[str] = []
        step = None
        pending_time: list[str] = []
        lines = iter(fh)
        for line in lines:
            if line.startswith("ITEM: TIMESTEP"):
                if step is not None:
                    yield step, "".join(block)
                nxt = next(lines)
                step = int(nxt)
                block = pending_time + [line, nxt]
                pending_time = []
            elif line.startswith("ITEM: TIME"):
                pending_time = [line, next(lines)]
            else:
                block.append(line)
        if step is not None:
            yield step, "".join(block)


def parse_frame(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Box lengths (3,) and positions (n, 3) relative to boxlo, wrapped, of one orthogonal frame."""
    lines = text.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith("ITEM: NUMBER OF ATOMS"))
    n = int(lines[i + 1])
    lo_hi = np.array([[float(w) for w in lines[i + 3 + d].split()[:2]] for d in range(3)])
    cols = lines[i + 6].split()[2:]
    idx = [cols.index(c) for c in ("x", "y", "z")]
    xyz = np.array([[float(ln.split()[c]) for c in idx] for ln in lines[i + 7:i + 7 + n]])
    lengths = lo_hi[:, 1] - lo_hi[:, 0]
    return lengths, np.mod(xyz - lo_hi[:, 0], lengths)


def segment_starts(run: str) -> list[int]:
    return sorted(int(re.search(r"log\.(\d+)\.lammps$", p).group(1)) for p in glob.glob(os.path.join(run, "log.*.lammps")))


def frames(run: str):
    """Yields (step, text) of the run's frames in step order, by the segment rule."""
    starts = segment_starts(run)
    files = {}
    for p in glob.glob(os.path.join(run, "traj.*.lammpstrj")) + glob.glob(os.path.join(run, "traj.*.lammpstrj.xz")):
        files[int(re.search(r"traj\.(\d+)\.lammpstrj", os.path.basename(p)).group(1))] = p
    for start in sorted(files):
        for step, text in dump_blocks(files[start]):
            if start in starts and step >= start and segment_of(starts, step) == starts.index(start):
                yield step, text


def min_distance(lengths: np.ndarray, xyz: np.ndarray) -> float:
    from scipy.spatial import cKDTree

    tree = cKDTree(xyz, boxsize=lengths * (1 + 1e-12))
    d, _ = tree.query(xyz, k=2)
    return float(d[:, 1].min())


def frame_distances(run: str) -> dict[int, float]:
    """Smallest interatomic distance of every frame, kept in DIR/frames.csv with the segment that wrote the
    frame, so that the dumps need not be kept between sessions. A row stays valid while its segment still
    owns its step (a later segment that restarted before it replaces it)."""
    path = os.path.join(run, "frames.csv")
    starts = segment_starts(run)
    known: dict[int, tuple[int, float]] = {}
    if os.path.exists(path):
        for line in open(path).read().splitlines()[1:]:
            step, seg, d = line.split(",")
            if int(seg) in starts and segment_of(starts, int(step)) == starts.index(int(seg)):
                known[int(step)] = (int(seg), float(d))
    for step, text in frames(run):
        seg = starts[segment_of(starts, step)]
        if known.get(step, (None,))[0] != seg:
            known[step] = (seg, min_distance(*parse_frame(text)))
    with open(path + ".tmp", "w") as fh:
        fh.write("step,segment,min_distance_A\n")
        for step in sorted(known):
            fh.write(f"{step},{known[step][0]},{known[step][1]:.4f}\n")
    os.replace(path + ".tmp", path)
    return {step: d for step, (_, d) in known.items()}


def plot(run: str, thermo: np.ndarray, natoms: int, devi: np.ndarray | None, dt: float) -> None:
    """DIR/long-run.png: temperature, potential energy per atom and the committee deviation vs time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = 3 if devi is not None else 2
    fig, ax = plt.subplots(panels, 1, figsize=(7, 2.3 * panels), sharex=True)
    t = thermo[:, 1]
    ax[0].plot(t, thermo[:, 2], lw=0.8)
    ax[0].set_ylabel("T (K)")
    ax[1].plot(t, 1000 * (thermo[:, 3] - thermo[0, 3]) / natoms, lw=0.8)
    ax[1].set_ylabel("PE - PE(0) (meV/atom)")
    if devi is not None:
        td = devi[:, 0] * dt
        ax[2].plot(td, devi[:, 4], lw=0.6, label="max_devi_f")
        ax[2].plot(td, devi[:, 6], lw=0.8, label="avg_devi_f")
        ax[2].axhline(TRUST_AVG_DEVI_F, color="k", ls="--", lw=0.8, label="trust level (avg)")
        ax[2].set_ylabel("force deviation (eV/A)")
        ax[2].legend(fontsize=7, loc="upper right")
    ax[-1].set_xlabel("time (ps)")
    fig.suptitle(os.path.basename(os.path.abspath(run)), fontsize=9)
    fig.tight_layout()
    fig.savefig(os.path.join(run, "long-run.png"), dpi=110)
    plt.close(fig)


def summarise(run: str) -> str:
    logs = sorted(glob.glob(os.path.join(run, "log.*.lammps")))
    if not logs:
        fail(f"no log.<step>.lammps in {run}. Run scripts/long-run.sh --out {run} first.")
    conf = read_properties(Path(run) / "run.conf")
    segs = [read_log(p) for p in logs]
    starts = [s.start for s in segs]
    thermo = merge_rows([(s.start, s.thermo) for s in segs], starts)
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
    devi = np.zeros((0, 7))
    devs = sorted(glob.glob(os.path.join(run, "model_devi.[0-9]*.out")))
    if devs:
        devi = merge_rows([(int(re.search(r"model_devi\.(\d+)\.out$", p).group(1)), read_devi(p)) for p in devs], starts)
        if devi.size:
            with open(os.path.join(run, "model_devi.out"), "w") as fh:
                fh.write("#%11s %19s %19s %19s %19s %19s %19s\n" % ("step", "max_devi_v", "min_devi_v", "avg_devi_v",
                                                                    "max_devi_f", "min_devi_f", "avg_devi_f"))
                for r in devi:
                    fh.write("%12d %19.6e %19.6e %19.6e %19.6e %19.6e %19.6e\n" % (int(r[0]), *r[1:]))
            mf, af = devi[:, 4], devi[:, 6]
            lines.append(f"- committee max_devi_f over {len(mf)} rows: median {np.median(mf):.3f}, p95 {np.percentile(mf, 95):.3f}, "
                         f"max {mf.max():.3f} eV/A (at step {int(devi[mf.argmax(), 0])}); avg_devi_f median {np.median(af):.4f}, "
                         f"max {af.max():.4f} eV/A; rows above the default committee's trust level (avg_devi_f > "
                         f"{TRUST_AVG_DEVI_F}): {(af > TRUST_AVG_DEVI_F).sum()} of {len(af)}")
    plot(run, thermo, natoms, devi if devi.size else None, dt)
    np.savetxt(os.path.join(run, "thermo.csv"), thermo, delimiter=",", header=",".join(THERMO_COLS), comments="",
               fmt=["%d", "%.4f", "%.3f", "%.6f", "%.6f", "%.6f", "%.3f", "%.3f"])
    text = "\n".join(lines) + "\n"
    with open(os.path.join(run, "summary.md"), "w") as fh:
        fh.write(text)
    return text


def write_trajectory(run: str, out: str) -> int:
    """Writes the run's frames in step order to one LAMMPS text dump; returns the frame count."""
    n = 0
    with open(out + ".tmp", "w") as fh:
        for _, text in frames(run):
            fh.write(text)
            n += 1
    if n == 0:
        os.remove(out + ".tmp")
        fail(f"no frames in {run} (traj.<step>.lammpstrj[.xz]). They are written while the run goes on.")
    os.replace(out + ".tmp", out)
    return n


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run", help="the --out directory of scripts/long-run.sh")
    ap.add_argument("--trajectory", metavar="OUT", help="write the whole trajectory to OUT instead of the summary")
    a = ap.parse_args(argv)
    if not os.path.isdir(a.run) or not glob.glob(os.path.join(a.run, "log.*.lammps")):
        fail(f"{a.run!r} is not a run directory (no log.<step>.lammps). Pass the --out DIR of scripts/long-run.sh.")
    if a.trajectory:
        n = write_trajectory(a.run, a.trajectory)
        print(f"wrote {a.trajectory}: {n} frames")
        return
    print(summarise(a.run), end="")


if __name__ == "__main__":
    main()
