"""The CLI's promises of issue 14 on real runs of bin/interphase: interrupted runs (SIGINT / SIGTERM sent to the
process group once the partial output exists) leave no partial output, build-cell checks the disk before it writes,
and every subcommand's --help is clean. The option and error-message cases are JUnit tests (CliEdgeCasesTest)."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import REPO, run

SETTLE_S = 0.5  # the signal goes this long after the partial output appeared: mid-work, on any machine's speed


def interrupted(cmd: list, sig: str, watch: Path, pattern: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Starts `cmd` in a process group of its own, waits until `pattern` appears in `watch` (its partial output: the
    work has started) and sends SIG to the group, as a terminal's Ctrl-C does. Fails when the command finishes before
    the signal (nothing would be tested) or does not stop after it."""
    proc = subprocess.Popen(list(map(str, cmd)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while proc.poll() is None and not any(watch.glob(pattern)) and time.monotonic() < deadline:
            time.sleep(0.02)
        if proc.poll() is None and time.monotonic() >= deadline:
            pytest.fail(f"{cmd} wrote no {pattern} in {watch} within 300 s: nothing was tested")
        if proc.poll() is None:
            time.sleep(SETTLE_S)
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"{cmd} finished (exit {proc.returncode}) before SIG{sig} could be sent mid-work: nothing was "
                        f"tested\n{err}")
        os.killpg(proc.pid, getattr(signal, "SIG" + sig))
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{cmd} did not stop within 60 s of SIG{sig}")
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def signal_exit(sig: str) -> int:
    """The exit status of a JVM stopped by SIG after its shutdown hooks ran: 128 + the signal's number."""
    return 128 + getattr(signal, "SIG" + sig).value


@pytest.mark.parametrize("sig", ["INT", "TERM"])
def test_interrupted_build_cell_leaves_no_temporary_file(sig, tmp_path, cli):
    # 10^7 atoms: about 520 MB, seconds of writing after the temporary file appears
    target = tmp_path / "big.data"
    p = interrupted([cli, "build-cell", "--atoms", "10000000", "-o", target], sig, tmp_path, ".big.data.*.tmp")
    assert p.returncode == signal_exit(sig), p.stderr
    lines = p.stderr.strip().splitlines()
    assert re.fullmatch(r"interphase: writing \S+big\.data: \d+ atoms, about \d+ MB \(.* free\)", lines[0]), lines
    assert re.fullmatch(r"interphase: interrupted: removed the partial output " + re.escape(str(tmp_path))
                        + r"/\.big\.data\.\d+-\d+\.tmp", lines[-1]), lines
    assert sorted(x.name for x in tmp_path.iterdir()) == [], "no partial data file, no data file, no properties"


@pytest.fixture(scope="module")
def slow_input(tmp_path_factory, cli) -> Path:
    """A 10^5-atom cell: analysing it on one thread takes seconds after the staging folder appears."""
    d = tmp_path_factory.mktemp("slow")
    p = run([cli, "build-cell", "--atoms", "100000", "-o", d / "cell.data"], timeout=120)
    assert p.returncode == 0, p.stderr
    return d / "cell.data"


@pytest.mark.parametrize("sig,existing", [("INT", True), ("TERM", False)])
def test_interrupted_analyze_leaves_no_staging(sig, existing, tmp_path, cli, slow_input):
    out = tmp_path / "newdir"
    if existing:
        out.mkdir()
        (out / "report.txt").write_text("an earlier run's report\n")
    p = interrupted([cli, "analyze", slow_input, "-o", out, "-q", "--threads", "1"], sig, out, ".interphase-staging-*")
    assert p.returncode == signal_exit(sig), p.stderr
    removed = re.escape(str(out)) + r"/\.interphase-staging-\d+-\d+"
    if existing:  # the folder and the earlier run's files stay; only the staging folder goes
        assert re.fullmatch(r"interphase: interrupted: removed the partial output " + removed, p.stderr.strip()), p.stderr
        assert sorted(x.name for x in out.iterdir()) == ["report.txt"]
        assert (out / "report.txt").read_text() == "an earlier run's report\n"
    else:  # the run created the folder: it goes too
        assert re.fullmatch(r"interphase: interrupted: removed the partial output " + removed + ", " + re.escape(str(out)),
                            p.stderr.strip()), p.stderr
        assert not out.exists()


def test_build_cell_checks_free_disk_before_writing(tmp_path, cli):
    env = dict(os.environ, INTERPHASE_MIN_FREE_MB="999999999")
    p = run([cli, "build-cell", "--atoms", "1e8", "-o", tmp_path / "big.data"], timeout=120, env=env)
    assert p.returncode == 2, p.stderr
    assert re.fullmatch(r"interphase: error: cannot write \S+/big\.data: \d{8,9} atoms need about \d+\.\d GB and [\d.]+ [GM]B are free "
                        r"in \S+ \(keeping 999999999 MB free, INTERPHASE_MIN_FREE_MB\): free disk space, write elsewhere with -o, "
                        r"or build fewer atoms", p.stderr.strip()), p.stderr
    assert list(tmp_path.iterdir()) == []


def test_every_subcommand_help_is_clean(cli):
    top = run([cli, "--help"], timeout=120)
    assert top.returncode == 0 and top.stderr == "", top.stderr
    commands = top.stdout.split("\nCommands:\n", 1)
    assert len(commands) == 2, top.stdout
    subs = [m.group(1) for m in re.finditer(r"^  (\S+)", commands[1], re.M)]  # continuation lines are indented further
    assert {"analyze", "build-cell", "li-penetration"} <= set(subs), subs
    for sub in subs:
        p = run([cli, sub, "--help"], timeout=120)
        assert p.returncode == 0, (sub, p.stderr)
        assert p.stderr == "", (sub, p.stderr)
        assert "picocli" not in p.stdout and "WARN" not in p.stdout, (sub, p.stdout)
        assert p.stdout.startswith(f"Usage: interphase {sub} "), (sub, p.stdout[:200])


def test_density_peaks_with_plots_on_a_perfect_crystal(tmp_path, cli):
    """A built cell (no MD) has many identical environments: their k-NN distance is 0 and their density +inf.
    `analyze --method dpc` used to stop at the decision graph ("cannot be equal to Double.POSITIVE_INFINITY"); the
    identical environments now chain onto the first of them and the graph draws them at its right edge."""
    cell = tmp_path / "cell.data"
    b = run([cli, "build-cell", "-o", cell, "--nx", "2", "--ny", "2", "--electrolyte", "2", "--metal", "4"], timeout=120)
    assert b.returncode == 0, b.stderr
    a = run([cli, "analyze", cell, "--method", "dpc", "-o", tmp_path / "out", "--quiet"], timeout=300)
    assert a.returncode == 0, a.stderr
    assert (tmp_path / "out" / "decision_graph.png").stat().st_size > 1000
    report = (tmp_path / "out" / "report.txt").read_text()
    found = [int(k) for k in re.findall(r"found (\d+) clusters", report)]
    assert len(found) == 4 and all(1 <= k <= 4 for k in found), report[:2000]  # per element: a few, not one per atom


def test_analyze_keeps_no_onnx_runtime_telemetry_store(tmp_path, cli):
    """bin/interphase sets ORT_DISABLE_TELEMETRY=1 (ONNX Runtime's Linux Java build keeps a telemetry store in
    $XDG_CACHE_HOME/Microsoft otherwise); --latent is the analysis path that runs ONNX Runtime."""
    cache = tmp_path / "xdg-cache"
    cache.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env["XDG_CACHE_HOME"] = str(cache)
    dump = REPO / "java-analysis" / "src" / "test" / "resources" / "fixtures" / "h5md" / "deflated.lammpstrj"
    r = run([cli, "analyze", dump, "--types", "Li,P,S,Cl", "--latent", REPO / "models" / "li-p-s-cl-allegro.f64.onnx",
             "-o", tmp_path / "out", "--quiet", "--no-plots", "--no-atoms", "--every", "3"], env=env)
    assert r.returncode == 0, r.stderr
    assert not (cache / "Microsoft").exists(), sorted(p.name for p in cache.rglob("*"))
