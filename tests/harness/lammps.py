"""Run the real LAMMPS (under the real mpirun) and parse what it writes.

The one LAMMPS harness: used by every suite in tests/ (through tests/conftest.py's fixtures and
directly) and by the benchmark scripts. Nothing here imitates LAMMPS: every number comes from
files the LAMMPS binary at $INTERPHASE_LMP wrote.
"""
from __future__ import annotations

import glob
import math
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]

# LAMMPS 'units metal' constant (src/update.cpp): pressure [bar] = nktv2p * energy [eV] / volume [A^3].
NKTV2P_METAL = 1.6021765e6

# One C5 stats line, printed by rank 0 when the pair style is destroyed.
STATS_RE = re.compile(
    r"interphase-stats: ranks=(?P<ranks>\d+) calls=(?P<calls>\d+) bridge_s=(?P<bridge_s>\S+) "
    r"onnx_s=(?P<onnx_s>\S+) heap_bytes_per_call=(?P<heap_bytes_per_call>\S+) "
    r"buffer_bytes=(?P<buffer_bytes>\d+) reallocs=(?P<reallocs>\d+) nodes=(?P<nodes>\d+) "
    r"edges=(?P<edges>\d+) chunks=(?P<chunks>\d+) threads=(?P<threads>\d+)"
    r"(?: members=(?P<members>\d+) member_calls=(?P<member_calls>\d+))?"
)

# Signs of a crash rather than a clean error exit.
CRASH_MARKERS = (
    "A fatal error has been detected by the Java Runtime Environment",
    "Segmentation fault",
    "SIGSEGV",
    "SIGABRT",
    "exited on signal",
    "core dumped",
    "terminate called",
)


class MissingComponent(RuntimeError):
    """A component the tests need (LAMMPS binary, plugin, model) is not there."""


def require_env_file(var: str, hint: str) -> Path:
    """Path from environment variable var; raises MissingComponent with a fix when absent."""
    value = os.environ.get(var)
    if not value:
        raise MissingComponent(f"{var} is not set: {hint}")
    path = Path(value)
    if not path.is_file():
        raise MissingComponent(f"{var}={value} does not exist: {hint}")
    return path


def lmp_binary() -> Path:
    return require_env_file(
        "INTERPHASE_LMP",
        "run 'source scripts/env.sh' after scripts/setup.sh has built LAMMPS "
        "(scripts/provision-lammps.sh).",
    )


def plugin_path() -> Path:
    return require_env_file(
        "INTERPHASE_PLUGIN",
        "build and install the plugin with 'bash scripts/build-plugin.sh', then "
        "'source scripts/env.sh'.",
    )


def mpi_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for mpirun: root allowed, oversubscription (4 ranks on 2 cores), 1 thread."""
    env = dict(os.environ)
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    env.setdefault("OMPI_MCA_rmaps_base_oversubscribe", "1")
    env.setdefault("OMP_NUM_THREADS", "1")
    # ranks waiting in MPI yield the core instead of spinning: with 4 ranks on 2 busy cores
    # this makes runs 4-5x faster (measured: 73 s -> 20 s for a 208-atom, 100-step run)
    env.setdefault("OMPI_MCA_mpi_yield_when_idle", "1")
    if extra:
        env.update(extra)
    return env


@dataclass
class LammpsResult:
    """Everything one LAMMPS run left behind."""

    returncode: int
    timed_out: bool
    seconds: float
    workdir: Path
    log: str
    screen: str  # stdout of mpirun: rank 0's screen output and every other rank's messages
    stderr: str
    pid: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def output(self) -> str:
        return "\n".join((self.log, self.screen, self.stderr))

    def error_lines(self) -> list[str]:
        """LAMMPS ERROR lines (error->all prints 'ERROR: ...', error->one 'ERROR on proc N: ...')."""
        seen: list[str] = []
        for line in self.output.splitlines():
            if line.startswith("ERROR") and line not in seen:
                seen.append(line)
        return seen

    def crash_files(self) -> list[str]:
        found = glob.glob(str(self.workdir / "hs_err_pid*.log"))
        found += glob.glob(str(self.workdir / "core*"))
        found += glob.glob(str(self.workdir / "replay_pid*.log"))
        return sorted(found)

    def crash_markers(self) -> list[str]:
        return [m for m in CRASH_MARKERS if m in self.output]

    def describe(self, tail: int = 40) -> str:
        lines = self.output.splitlines()
        return (
            f"returncode={self.returncode} timed_out={self.timed_out} seconds={self.seconds:.1f} "
            f"workdir={self.workdir}\n--- last {tail} lines of log+screen+stderr ---\n"
            + "\n".join(lines[-tail:])
        )

    def thermo(self) -> list[dict[str, float]]:
        """All thermo rows of all runs, in order (columns from the thermo header)."""
        return parse_thermo(self.log)

    def thermo_blocks(self) -> list[list[dict[str, float]]]:
        return parse_thermo_blocks(self.log)

    def all_stats(self) -> list[dict[str, float]]:
        """Every interphase-stats line of the screen output (one per destroyed pair style), in order."""
        return [{k: float(v) for k, v in m.groupdict().items() if v is not None}
                for m in STATS_RE.finditer(self.screen)]

    def stats(self) -> dict[str, float] | None:
        """The last interphase-stats line of log, screen and stderr, or None."""
        match = None
        for match in STATS_RE.finditer(self.output):
            pass
        if match is None:
            return None
        return {k: float(v) for k, v in match.groupdict().items() if v is not None}


def run_lammps(
    deck: str | Path,
    workdir: Path,
    nprocs: int = 1,
    timeout: float = 120.0,
    env: dict[str, str] | None = None,
    name: str = "in.lmp",
    lmp: Path | None = None,
    nice: int = 0,
    args: list | None = None,
) -> LammpsResult:
    """Write deck into workdir and run `mpirun -np nprocs lmp -in deck -log log.lammps` there.

    deck is the input text, or the Path of an existing input file (then nothing is written);
    args are extra command-line arguments (e.g. ["-var", "T", 450]).

    The whole process group is killed on timeout (a hung run is reported, never waited on).
    -screen is not used on purpose: with -screen FILE LAMMPS gives ranks > 0 no screen, so an
    'ERROR on proc 1' (error->one) would be lost; mpirun's stdout holds rank 0's screen output
    plus the other ranks' messages and is kept as screen.txt.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    if isinstance(deck, Path):
        name = str(deck)
    else:
        (workdir / name).write_text(deck)
    binary = lmp or lmp_binary()
    cmd = ["mpirun", "-np", str(nprocs), "--bind-to", "none", str(binary), "-in", name,
           "-log", "log.lammps", "-nocite", *(str(a) for a in args or [])]
    if nice:
        cmd = ["nice", "-n", str(nice)] + cmd
    out_path, err_path = workdir / "screen.txt", workdir / "stderr.txt"
    start = time.monotonic()
    timed_out = False
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=workdir, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=mpi_env(env), start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc)
            rc = proc.wait()
    seconds = time.monotonic() - start
    log_path = workdir / "log.lammps"
    return LammpsResult(
        returncode=rc,
        timed_out=timed_out,
        seconds=seconds,
        workdir=workdir,
        log=log_path.read_text(errors="replace") if log_path.exists() else "",
        screen=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
        pid=proc.pid,
    )


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill the process group we created for this mpirun (and only it)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# --------------------------------------------------------------------------- thermo


def parse_thermo_blocks(log: str) -> list[list[dict[str, float]]]:
    """Thermo output of each run/minimize command: a list of blocks, each a list of rows."""
    blocks: list[list[dict[str, float]]] = []
    header: list[str] | None = None
    rows: list[dict[str, float]] = []
    for line in log.splitlines():
        stripped = line.split()
        if header is None:
            if stripped and stripped[0] == "Step":
                header = stripped
                rows = []
            continue
        if line.startswith("Loop time of") or line.startswith("ERROR"):
            blocks.append(rows)
            header = None
            continue
        if len(stripped) != len(header):
            continue  # a WARNING or other message interleaved with thermo rows
        try:
            values = [float(v) for v in stripped]
        except ValueError:
            continue
        rows.append(dict(zip(header, values)))
    if header is not None:
        blocks.append(rows)
    return blocks


def parse_thermo(log: str) -> list[dict[str, float]]:
    return [row for block in parse_thermo_blocks(log) for row in block]


def parse_timing(log: str) -> dict[str, float]:
    """Last 'MPI task timing breakdown' of the log: section -> avg seconds; plus 'loop'."""
    result: dict[str, float] = {}
    loops = re.findall(r"Loop time of (\S+) on (\d+) procs for (\d+) steps with (\d+) atoms", log)
    if loops:
        result["loop"] = float(loops[-1][0])
        result["steps"] = float(loops[-1][2])
        result["atoms"] = float(loops[-1][3])
    idx = log.rfind("MPI task timing breakdown")
    if idx >= 0:
        for line in log[idx:].splitlines()[3:12]:
            parts = [p.strip() for p in line.split("|")]
            if len(parts) >= 6 and parts[0]:
                try:
                    result[parts[0]] = float(parts[2])  # avg time over ranks
                    if parts[3]:
                        result[parts[0] + "_max"] = float(parts[3])
                except ValueError:
                    pass
    mem = re.findall(r"Per MPI rank memory allocation \(min/avg/max\) = (\S+) \| (\S+) \| (\S+) Mbytes",
                     log)
    if mem:
        result["mem_mb_max"] = float(mem[-1][2])
        result["mem_mb_avg"] = float(mem[-1][1])
    return result


# --------------------------------------------------------------------------- dumps


@dataclass
class DumpFrame:
    step: int
    natoms: int
    box_header: str
    box: list[list[float]]
    columns: dict[str, np.ndarray]

    def vec(self, *names: str) -> np.ndarray:
        return np.column_stack([self.columns[n] for n in names])


def parse_dump(path: Path) -> list[DumpFrame]:
    """Frames of a LAMMPS text 'dump custom' file, each sorted by atom id."""
    frames: list[DumpFrame] = []
    lines = Path(path).read_text().splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("ITEM: TIMESTEP"):
            i += 1
            continue
        step = int(lines[i + 1])
        natoms = int(lines[i + 3])
        box_header = lines[i + 4]
        box = [[float(v) for v in lines[i + 5 + k].split()] for k in range(3)]
        names = lines[i + 8].split()[2:]
        data = np.array([[float(v) for v in lines[i + 9 + k].split()] for k in range(natoms)],
                        dtype=float).reshape(natoms, len(names))
        order = np.argsort(data[:, names.index("id")]) if "id" in names else np.arange(natoms)
        cols = {n: data[order, c] for c, n in enumerate(names)}
        frames.append(DumpFrame(step, natoms, box_header, box, cols))
        i += 9 + natoms
    return frames


# --------------------------------------------------------------------------- comparisons


def max_rel_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """max |a - e| / max(max |e|, tiny): component errors relative to the array's scale."""
    actual = np.asarray(actual, float)
    expected = np.asarray(expected, float)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    scale = max(float(np.max(np.abs(expected))) if expected.size else 0.0, 1e-300)
    if not np.all(np.isfinite(actual)):
        return math.inf
    return float(np.max(np.abs(actual - expected))) / scale if actual.size else 0.0


# --------------------------------------------------------------------------- CPU time probe

CPU_PROBE = REPO / "benchmarks" / "peer_cpu_probe.sh"


def cpu_probe_lines(label: str) -> str:
    """A LAMMPS `shell` line that records utime+stime of every lmp rank into cpu_probe.txt."""
    return f'shell "sh {CPU_PROBE} {label}"'


def probe_cpu_seconds(path: Path, ranks: int) -> float:
    """utime+stime of all ranks between the 'begin' and 'end' lines of benchmarks/peer_cpu_probe.sh."""
    begin: dict[str, float] = {}
    end: dict[str, float] = {}
    for line in path.read_text().splitlines() if path.is_file() else []:
        label, pid, ticks, tck = line.split()
        (begin if label == "begin" else end)[pid] = float(ticks) / float(tck)
    if len(begin) != ranks or set(begin) != set(end):
        raise SystemExit(f"{path} should hold begin/end CPU times of {ranks} rank(s); "
                         "check that /proc is readable and benchmarks/peer_cpu_probe.sh ran")
    return sum(end[p] - begin[p] for p in begin)
