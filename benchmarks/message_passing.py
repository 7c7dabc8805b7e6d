#!/usr/bin/env python3
"""Benchmark message-passing models in pair_style onnx: feature exchange (contract v2), folded
images and the ghost shell (contract v1).

Models (interphase.hops > 1):
  the 2-layer NequIP fixture (model-export/fixtures/nequip-tiny/nequip-tiny.f64.onnx, r_max 4 A,
  and its per-layer export contract-v2/nequip-tiny.f64.onnx) and, with --sevennet FILE and/or
  --sevennet-v2 FILE, SevenNet-0 exported by `interphase-export sevennet:7net-0 [--contract 2]`
  (5 layers, r_max 5 A).
Structures: the Li6PS5Cl conventional cell replicated by LAMMPS (416, 1872 and 9360 atoms by
default), 300 K, NVE, dt 1 fs.
Paths: contract v2 on 1, 2 and 4 ranks (node features exchanged between layers: an r_max ghost
cutoff); contract v1 on 1 rank with `fold yes` (periodic images folded onto their atoms), 1 rank
with `fold no` (the hops x r_max ghost shell), and 2 and 4 ranks (ghost shell).
A run whose lmp processes together exceed --mem-gb of resident memory is killed and reported
as "does not fit".

Per run: `run WARM` then the measured `run STEPS`; CPU time per force call (utime+stime of all
lmp ranks, benchmarks/peer_cpu_probe.sh) per atom, wall time per step, and the peak resident
memory of all lmp processes together (sampled every 0.2 s).
With --sevennet-ase, SevenNet's own ASE calculator (PyTorch, float32, torch threads = 1) on the
same structures is timed as the cost anchor (one force call after a warm-up call).

Usage: python benchmarks/message_passing.py [--sizes 416,1872,9360] [--np 1,2,4]
       [--sevennet 7net-0.f32.onnx] [--sevennet-ase] [--out results]
Writes results/message-passing.md and .csv and prints the table.
"""
from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from harness import lammps as L  # noqa: E402
from pair import structures  # noqa: E402

NEQUIP = REPO / "model-export" / "fixtures" / "nequip-tiny" / "nequip-tiny.f64.onnx"
NEQUIP_V2 = NEQUIP.parent / "contract-v2" / NEQUIP.name
REPS = {416: (2, 2, 2), 1872: (3, 3, 4), 2080: (2, 2, 5), 9360: (6, 6, 5)}


def deck(data: Path, reps, plugin: Path, model: Path, style: str, warm: int, steps: int) -> str:
    """reps None: the data file as it is (e.g. the interface cell of `interphase build-cell`)."""
    return "\n".join([
        "units metal", "atom_style atomic", "boundary p p p", f"read_data {data}",
        "replicate {} {} {}".format(*reps) if reps else "", f"plugin load {plugin}",
        f"pair_style onnx {style}".rstrip(),
        f"pair_coeff * * {model} Li P S Cl", "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes",
        "velocity all create 300.0 87287 mom yes rot no dist gaussian loop geom", "fix nve all nve",
        "timestep 0.001", f"thermo {steps}", f"run {warm}", L.cpu_probe_lines("begin"), f"run {steps}",
        L.cpu_probe_lines("end")]) + "\n"


def _data_atoms(data: Path) -> int:
    """The atom count in a LAMMPS data file's header."""
    for line in data.read_text().splitlines()[:20]:
        words = line.split()
        if len(words) == 2 and words[1] == "atoms":
            return int(words[0])
    raise ValueError(f"{data}: no 'N atoms' header line")


def lmp_pids(root: int) -> list[int]:
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        try:
            for t in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (t / "children").read_text().split()]
            if Path(f"/proc/{p}/comm").read_text().strip() == "lmp":
                out.append(p)
        except OSError:
            pass
    return out


def rss_mb(pids: list[int]) -> float:
    total = 0.0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += float(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def run(workdir: Path, text: str, nprocs: int, mem_gb: float, timeout: float) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "in.lmp").write_text(text)
    (workdir / "cpu_probe.txt").unlink(missing_ok=True)
    cmd = ["mpirun", "-np", str(nprocs), "--bind-to", "none", str(L.lmp_binary()), "-in", "in.lmp",
           "-log", "log.lammps", "-nocite"]
    with open(workdir / "screen.txt", "wb") as out:
        proc = subprocess.Popen(cmd, cwd=workdir, stdout=out, stderr=subprocess.STDOUT, env=L.mpi_env(),
                                start_new_session=True)
        peak, killed, t0 = 0.0, "", time.monotonic()
        while proc.poll() is None:
            peak = max(peak, rss_mb(lmp_pids(proc.pid)))
            if peak > mem_gb * 1024:
                killed = f"does not fit (> {mem_gb:.0f} GB)"
            elif time.monotonic() - t0 > timeout:
                killed = f"timed out (> {timeout:.0f} s)"
            if killed:
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.2)
        proc.wait()
    if killed:
        return {"status": killed, "peak_mb": peak}
    log = (workdir / "log.lammps").read_text(errors="replace") if (workdir / "log.lammps").exists() else ""
    if proc.returncode != 0:
        err = [ln for ln in log.splitlines() if ln.startswith("ERROR")]
        return {"status": "failed: " + (err[0] if err else f"exit {proc.returncode}"), "peak_mb": peak}
    timing = L.parse_timing(log)
    return {"status": "ok", "peak_mb": peak, "loop": timing["loop"], "atoms": int(timing["atoms"]),
            "cpu": L.probe_cpu_seconds(workdir / "cpu_probe.txt", nprocs)}


def ase_anchor(data: Path, reps, repeats: int = 1) -> dict:
    import torch
    from ase.io import read
    from sevenn.calculator import SevenNetCalculator

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    torch.set_num_threads(1)
    # types 1-4 of the data file are Li P S Cl
    atoms = read(data, format="lammps-data", atom_style="atomic", Z_of_type={1: 3, 2: 15, 3: 16, 4: 17}).repeat(reps)
    calc = SevenNetCalculator("7net-0", device="cpu")
    atoms.calc = calc
    atoms.get_forces()
    t = time.process_time()
    for _ in range(repeats):
        atoms.positions += 1e-4
        atoms.get_forces()
    return {"cpu": (time.process_time() - t) / repeats, "atoms": len(atoms)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="416,1872,9360")
    ap.add_argument("--np", default="1,2,4")
    ap.add_argument("--sevennet", default="", help="SevenNet-0, contract v1 (folded / ghost shell paths)")
    ap.add_argument("--sevennet-v2", default="", help="SevenNet-0, contract v2 (feature exchange)")
    ap.add_argument("--no-nequip", action="store_true", help="leave out the NequIP fixture")
    ap.add_argument("--cell", default="", help="a LAMMPS data file (types Li P S Cl) run as it is: size 'cell' "
                    "in --sizes / --sevennet-sizes (e.g. the 2048-atom interface of interphase build-cell)")
    ap.add_argument("--sevennet-steps", type=int, default=1, help="measured steps for SevenNet-0 (default 1)")
    ap.add_argument("--sevennet-warm", type=int, default=0, help="warm-up steps for SevenNet-0 (default 0)")
    ap.add_argument("--sevennet-sizes", default="416,1872")
    ap.add_argument("--sevennet-ase", action="store_true")
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warm", type=int, default=2)
    ap.add_argument("--mem-gb", type=float, default=18.0)
    ap.add_argument("--timeout", type=float, default=1800.0)
    ap.add_argument("--out", default=str(REPO / "results"))
    ap.add_argument("--workdir", default=str(REPO / ".cache" / "bench-message-passing"))
    args = ap.parse_args(argv)
    plugin = L.plugin_path()
    data = structures.shared_data_dir() / "Li6PS5Cl_conventional.data"
    cell = Path(args.cell).resolve() if args.cell else None
    sizes = [s if s == "cell" else int(s) for s in args.sizes.split(",")]
    seven_sizes = [s if s == "cell" else int(s) for s in args.sevennet_sizes.split(",")]
    if "cell" in sizes + seven_sizes and cell is None:
        ap.error("size 'cell' needs --cell FILE")
    ranks = [int(n) for n in args.np.split(",")]
    families = [] if args.no_nequip else [("NequIP fixture (2 layers)", NEQUIP, NEQUIP_V2, sizes)]
    if args.sevennet or args.sevennet_v2:
        families.append(("SevenNet-0 (5 layers)", Path(args.sevennet).resolve() if args.sevennet else None,
                         Path(args.sevennet_v2).resolve() if args.sevennet_v2 else None, seven_sizes))
    load0 = os.getloadavg()[0]
    rows = []
    for family, v1, v2, fam_sizes in families:
        for size in fam_sizes:
            paths = []
            if v2 is not None:
                paths += [(v2, n, "", f"v2, {n} rank{'s' if n > 1 else ''}, feature exchange") for n in ranks]
            if v1 is not None:
                paths += [(v1, 1, "fold yes", "v1, 1 rank, folded images")] if 1 in ranks else []
                paths += [(v1, n, "fold no", f"v1, {n} rank{'s' if n > 1 else ''}, ghost shell") for n in ranks]
            seven = family.startswith("SevenNet")
            warm, steps = (args.sevennet_warm, args.sevennet_steps) if seven else (args.warm, args.steps)
            src, reps = (cell, None) if size == "cell" else (data, REPS[size])
            for model, nprocs, style, label in paths:
                tag = f"{model.parent.name}-{model.stem}-{size}-np{nprocs}-{style.replace(' ', '') or 'v2'}"
                r = run(Path(args.workdir) / tag, deck(src, reps, plugin, model, style, warm, steps),
                        nprocs, args.mem_gb, args.timeout)
                natoms = r.get("atoms", size if size != "cell" else _data_atoms(cell))
                row = {"model": family, "atoms": natoms if size != "cell" else f"{natoms} (interface cell)",
                       "path": label, "status": r["status"], "peak_rss_mb": round(r["peak_mb"], 1)}
                if r["status"] == "ok":
                    row.update({"wall_ms_per_step": round(1e3 * r["loop"] / steps, 2),
                                "cpu_us_per_atom_step": round(1e6 * r["cpu"] / (steps + 1) / natoms, 2)})
                rows.append(row)
                print(row, flush=True)
            if args.sevennet_ase and seven:
                a = ase_anchor(src, reps or (1, 1, 1))
                row = {"model": "SevenNet ASE calculator (PyTorch f32, 1 thread)", "atoms": a["atoms"],
                       "path": "1 process", "status": "ok", "peak_rss_mb": "",
                       "cpu_us_per_atom_step": round(1e6 * a["cpu"] / a["atoms"], 2)}
                rows.append(row)
                print(row, flush=True)
    load1 = os.getloadavg()[0]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keys = ["model", "atoms", "path", "status", "wall_ms_per_step", "cpu_us_per_atom_step", "peak_rss_mb"]
    with open(out / "message-passing.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)
    table = "| model | atoms | path | status | wall ms/step | CPU µs/atom-step | peak RSS MB (all ranks) |\n"
    table += "|---|---|---|---|---|---|---|\n"
    for r in rows:
        table += "| " + " | ".join(str(r.get(k, "")) for k in keys) + " |\n"
    text = ("# Message-passing models: feature exchange (contract v2), folded images and the ghost shell\n\n"
            f"`python benchmarks/message_passing.py {' '.join(argv or sys.argv[1:])}`; Li6PS5Cl replicated, "
            f"{args.steps} measured NVE steps after {args.warm} (SevenNet-0: {args.sevennet_steps} after "
            f"{args.sevennet_warm}), 1 thread per rank. Load average before/after: "
            f"{load0:.2f} / {load1:.2f}. CPU time per force call (setup call included) per atom; peak RSS of all "
            "lmp processes together.\n\n" + table)
    (out / "message-passing.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
