#!/usr/bin/env python3
"""SOAP throughput: dscribe vs the Java implementation (org.interphase.descriptors.Soap).

Both compute the same SOAP power spectrum (same frames, parameters and centres = every atom) on the same
machine in one run; the script prints a table of environments per second and the ratio and writes
results/soap-benchmark.md. dscribe runs with n_jobs equal to the Java thread count (dscribe parallelises
over frames, so several frames are used). The two outputs are also compared through their sums.

Usage: .venv/bin/python benchmarks/soap_vs_dscribe.py [--frames 4] [--supercell 3] [--threads N]
       [--classpath java-analysis/target/test-classes:java-analysis/target/classes] [--java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java]
The Java classes must be built first: mvn -q -o -pl java-analysis -am test-compile (SoapBench is a test class)
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import ase.io
import numpy as np
from ase import Atoms
from dscribe.descriptors import SOAP

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Case:
    """One parameter set."""

    r_cut: float
    n_max: int
    l_max: int
    sigma: float
    rbf: str

    def label(self) -> str:
        return f"{self.rbf} r_cut={self.r_cut} n_max={self.n_max} l_max={self.l_max} sigma={self.sigma}"


CASES = [Case(5.0, 8, 6, 0.5, "gto"), Case(4.0, 4, 4, 0.3, "gto"), Case(5.0, 6, 6, 0.5, "polynomial")]
SPECIES = ["Li", "P", "S", "Cl"]


def make_frames(shared: Path, n: int, supercell: int) -> list[Atoms]:
    """Rattled (0.1 A) supercells of the Li6PS5Cl conventional cell from shared/data."""
    unit = ase.io.read(shared / "data" / "Li6PS5Cl_conventional.data", format="lammps-data",
                       atom_style="atomic", Z_of_type={1: 3, 2: 15, 3: 16, 4: 17})
    unit.pbc = True
    frames = []
    for k in range(n):
        a = unit.repeat((supercell,) * 3)
        a.positions += np.random.default_rng(100 + k).normal(0.0, 0.1, a.positions.shape)
        a.wrap()
        frames.append(a)
    return frames


def write_frame(path: Path, atoms: Atoms) -> None:
    lines = [f"name {path.stem}", "pbc T T T", "cell"]
    lines += [" ".join(f"{x:.17g}" for x in row) for row in np.asarray(atoms.cell)]
    lines.append(f"natoms {len(atoms)}")
    lines += [f"{s} {p[0]:.17g} {p[1]:.17g} {p[2]:.17g}" for s, p in zip(atoms.get_chemical_symbols(), atoms.positions)]
    path.write_text("\n".join(lines) + "\n")


def make_soap(case: Case) -> SOAP:
    return SOAP(r_cut=case.r_cut, n_max=case.n_max, l_max=case.l_max, sigma=case.sigma, rbf=case.rbf,
                species=SPECIES, periodic=True, average="off")


def time_dscribe(soap: SOAP, frames: list[Atoms], n_jobs: int) -> tuple[float, float, float]:
    """One timed pass: wall time, CPU time of this process (all the work for n_jobs=1), sum of all features."""
    c0 = time.process_time()
    t0 = time.perf_counter()
    out = soap.create(frames, n_jobs=n_jobs)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return wall, cpu, float(np.sum(out))


def time_java(java: str, classpath: str, case: Case, files: list[Path], threads: int, repeats: int) -> dict[str, str]:
    cmd = [java, "-Xss4m", "-cp", classpath, "org.interphase.descriptors.SoapBench",
           "--r-cut", str(case.r_cut), "--n-max", str(case.n_max), "--l-max", str(case.l_max),
           "--sigma", str(case.sigma), "--rbf", case.rbf, "--species", ",".join(SPECIES),
           "--threads", str(threads), "--repeats", str(repeats)] + [str(f) for f in files]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        sys.exit(f"Java SOAP benchmark failed ({res.returncode}): {res.stderr.strip() or res.stdout.strip()}")
    line = [l for l in res.stdout.splitlines() if l.startswith("soap-bench ")][-1]
    return dict(re.findall(r"(\w+)=(\S+)", line))


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="SOAP throughput, dscribe vs Java")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--frames", type=int, default=4)
    ap.add_argument("--supercell", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeats", type=int, default=3)
    target = ROOT / "java-analysis" / "target"
    ap.add_argument("--classpath", default=f"{target / 'test-classes'}:{target / 'classes'}")
    ap.add_argument("--java", default=os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java"))
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "soap-benchmark.md")
    args = ap.parse_args(argv)
    if not any((Path(p) / "org" / "interphase" / "descriptors" / "SoapBench.class").exists() for p in args.classpath.split(":")):
        sys.exit(f"no compiled SoapBench on {args.classpath}: build with mvn -q -o -pl java-analysis -am test-compile")
    frames = make_frames(args.shared, args.frames, args.supercell)
    n_env = sum(len(f) for f in frames)
    thread_counts = sorted({1, args.threads})
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for k, f in enumerate(frames):
            files.append(Path(tmp) / f"frame{k}.txt")
            write_frame(files[-1], f)
        for case in CASES:
            soap = make_soap(case)
            soap.create(frames[0], centers=[0, 1])  # warm-up (imports, caches)
            for t in thread_counts:
                # Alternate dscribe and Java passes so both see the same machine load; keep the best of each.
                d_wall = d_cpu = float("inf")
                j_wall = j_cpu = float("inf")
                d_sum = 0.0
                j: dict[str, str] = {}
                for _ in range(args.repeats):
                    w, c, d_sum = time_dscribe(soap, frames, t)
                    d_wall, d_cpu = min(d_wall, w), min(d_cpu, c)
                    j = time_java(args.java, args.classpath, case, files, t, 3)
                    j_wall = min(j_wall, float(j["best_s"]))
                    j_cpu = min(j_cpu, float(j["best_cpu_s"]))
                d_rate, j_rate = n_env / d_wall, n_env / j_wall
                rel = abs(float(j["checksum"]) - d_sum) / abs(d_sum)
                cpu = (n_env / d_cpu, n_env / j_cpu) if t == 1 else None
                rows.append((case.label(), t, int(j["dimension"]), d_rate, j_rate, j_rate / d_rate, rel,
                             float(j["setup_s"]), float(j["first_s"]), cpu))
                extra = f"  per CPU-s: dscribe {cpu[0]:9.1f} java {cpu[1]:9.1f} ratio {cpu[1] / cpu[0]:5.2f}" if cpu else ""
                print(f"{case.label():48s} threads={t} dscribe {d_rate:9.1f} env/s  java {j_rate:9.1f} env/s  "
                      f"ratio {j_rate / d_rate:5.2f}  checksum rel diff {rel:.1e}{extra}", flush=True)
    header = ("| parameters (species Li P S Cl) | threads | features | dscribe env/s | Java env/s | Java/dscribe "
              "| per CPU-second: dscribe / Java / ratio | sum rel. diff | Java setup s | Java 1st pass s |\n"
              "|---|---|---|---|---|---|---|---|---|---|")

    def cpu_cell(c: tuple[float, float] | None) -> str:
        return f"{c[0]:.0f} / {c[1]:.0f} / {c[1] / c[0]:.2f}" if c else "-"

    table = [header] + [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.1f} | {r[4]:.1f} | {r[5]:.2f} | {cpu_cell(r[9])} | {r[6]:.1e} "
                        f"| {r[7]:.3f} | {r[8]:.3f} |" for r in rows]
    java_ver = subprocess.run([args.java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    text = "\n".join([
        "# SOAP benchmark: dscribe vs Java",
        "",
        f"Generated by `benchmarks/soap_vs_dscribe.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        f"- Machine: {cpu_model()}, {os.cpu_count()} logical CPUs (shared with other jobs, so expect noise); "
        f"load average at the end: {os.getloadavg()[0]:.1f}.",
        f"- dscribe {version('dscribe')} (numpy {np.__version__}, Python {platform.python_version()}); Java: {java_ver}.",
        f"- Frames: {args.frames} rattled (0.1 A) {args.supercell}x{args.supercell}x{args.supercell} supercells of "
        f"Li6PS5Cl (shared/data/Li6PS5Cl_conventional.data), {n_env} environments in total; every atom is a centre; "
        "periodic; average off, no compression, no weighting.",
        "- dscribe: `SOAP.create(frames, n_jobs=threads)` after a warm-up call (its parallelism is over frames).",
        "- Java: `Soap.computeAll` per frame on a ForkJoinPool of `threads` workers (cell list built per frame and "
        "included in the time), best of 3 timed passes after 3 warm-up passes (JIT) in a fresh JVM; 'setup' is "
        "building the radial tables once per parameter set, '1st pass' is the cold first pass over all frames.",
        f"- {args.repeats} rounds alternate one dscribe pass and one Java run so both see the same machine load; "
        "each column is the best round.",
        "- 'per CPU-second' (single thread only) divides by the CPU time of the computing thread/process instead of "
        "wall time, which is less sensitive to other load on the machine.",
        "- 'sum rel. diff' compares the sums of all features of both outputs (a cheap agreement check; the "
        "element-wise comparison is in the JUnit fixture tests).",
        "",
    ] + table + [""])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
