"""The CLI's promises of issue 14 on real runs of bin/interphase: interrupted runs (signals delivered by
`timeout -s INT` / `-s TERM`) leave no partial output, build-cell checks the disk before it writes, and every
subcommand's --help is clean. The option and error-message cases are JUnit tests (CliEdgeCasesTest)."""
from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import REPO, run

TIMEOUT_EXIT = 124  # timeout(1)'s exit code when it had to send the signal


def interrupted(cmd: list, sig: str, after_s: float, watch: Path, pattern: str, env: dict | None = None):
    """Runs `timeout -s SIG AFTER cmd`, watching `watch` for `pattern` while it runs. Returns (process result, whether
    a partial output was seen): a partial output seen proves the signal arrived in the middle of the work."""
    proc = subprocess.Popen(["timeout", "-s", sig, str(after_s), *map(str, cmd)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    seen = False
    deadline = time.monotonic() + after_s + 60
    while proc.poll() is None and time.monotonic() < deadline:
        seen = seen or any(watch.glob(pattern))
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
        pytest.fail(f"{cmd} did not stop after SIG{sig}")
    out, err = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), seen


@pytest.mark.parametrize("sig", ["INT", "TERM"])
def test_interrupted_build_cell_leaves_no_temporary_file(sig, tmp_path, cli):
    # 10^7 atoms: about 520 MB, far more than can be written in 8 s on this machine
    target = tmp_path / "big.data"
    p, seen = interrupted([cli, "build-cell", "--atoms", "10000000", "-o", target], sig, 8, tmp_path, ".big.data.*.tmp")
    assert p.returncode == TIMEOUT_EXIT, p.stderr
    assert seen, "the signal came before build-cell started writing: nothing was tested"
    lines = p.stderr.strip().splitlines()
    assert re.fullmatch(r"interphase: writing \S+big\.data: \d+ atoms, about \d+ MB \(.* free\)", lines[0]), lines
    assert re.fullmatch(r"interphase: interrupted: removed the partial output " + re.escape(str(tmp_path))
                        + r"/\.big\.data\.\d+-\d+\.tmp", lines[-1]), lines
    assert sorted(x.name for x in tmp_path.iterdir()) == [], "no partial data file, no data file, no properties"


@pytest.fixture(scope="module")
def slow_input(tmp_path_factory, cli) -> Path:
    """A 10^5-atom cell: analysing it on one thread takes well over 8 s."""
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
    p, seen = interrupted([cli, "analyze", slow_input, "-o", out, "-q", "--threads", "1"], sig, 8, out, ".interphase-staging-*")
    assert p.returncode == TIMEOUT_EXIT, p.stderr
    assert seen, "the signal came before analyze created its staging folder: nothing was tested"
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
