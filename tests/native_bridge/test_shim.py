"""Integration tests of the C++ shim (native-bridge/) that tests/pair does not cover:
pair_style hybrid with NULL types, re-issued pair_style / clear / plugin re-load in one process,
LAMMPS driven from Java (the shim attaches to the running JVM), the C5 stats line, the
library the plugin resolves liblammps to, and the shim's own bad-input errors.

References are LAMMPS's own `pair_style morse` with the parameters of the analytic Morse ONNX
model (tests/models/morse_params.json), run by the same LAMMPS binary.

LAMMPS runs through the one test harness (tests/harness); `lmp` and `plugin` are its fixtures
(tests/conftest.py). Required: INTERPHASE_LMP, INTERPHASE_PLUGIN (source scripts/env.sh) and
JAVA_HOME (JDK >= 22); missing components FAIL with the fix, they never skip.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from harness import lammps as L

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "tests" / "models"
DATA = Path(os.environ.get("INTERPHASE_SHARED", REPO.parent / "shared")) / "data" / "Li6PS5Cl_conventional.data"
TIMEOUT = 150
@pytest.fixture(scope="module")
def model() -> Path:
    path = MODELS / "morse_f64.onnx"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run tests/models/make_analytic_models.py", pytrace=False)
    if not DATA.is_file():
        pytest.fail(f"{DATA} is missing: set INTERPHASE_SHARED to the shared folder", pytrace=False)
    return path


def morse_coeffs(null_types: tuple[int, ...] = (), substyle: str = "") -> str:
    """pair_coeff lines of LAMMPS pair_style morse for the analytic model (types 1..4 = Li P S Cl).
    With null_types, only the pairs that involve one of those types (for hybrid)."""
    params = json.loads((MODELS / "morse_params.json").read_text())
    species = params["species"]
    lines = []
    for p in params["pairs"]:
        i, j = sorted(species.index(e) + 1 for e in p["pair"])
        if null_types and i not in null_types and j not in null_types:
            continue
        lines.append(f"pair_coeff {i} {j} {substyle} {p['D0']} {p['alpha']} {p['r0']} {p['rc']}")
    return "\n".join(lines) + "\n"


def deck(pair_block: str) -> str:
    return f"""units metal
atom_style atomic
newton on
read_data {DATA}
displace_atoms all random 0.12 0.12 0.12 4711 units box
{pair_block}
thermo_style custom step pe press pxx pyy pzz pxy pxz pyz
thermo_modify format float %.12g
run 0
"""


def run_lmp(lmp: Path, text: str, tmp: Path, nprocs: int = 1, env: dict | None = None,
            name: str = "in.lmp") -> L.LammpsResult:
    res = L.run_lammps(text, tmp, nprocs, timeout=TIMEOUT, env=env, name=name, lmp=lmp)
    if res.timed_out:
        pytest.fail(f"LAMMPS hung for {TIMEOUT} s\n" + res.describe())
    return res


def thermo_rows(res: L.LammpsResult) -> list[list[float]]:
    """The first row (step 0) of every thermo block, as numbers in column order."""
    return [list(block[0].values()) for block in res.thermo_blocks() if block]


def assert_ok(res: L.LammpsResult, tmp: Path) -> None:
    assert res.returncode == 0 and not res.error_lines(), res.describe()
    assert not res.crash_files(), "JVM crash file written"


def assert_close(row, ref, rel=1e-9):
    assert len(row) == len(ref)
    for a, b in zip(row, ref):
        assert a == pytest.approx(b, rel=rel, abs=1e-6), (row, ref)


@pytest.fixture(scope="module")
def morse_ref(lmp, model, tmp_path_factory) -> list[float]:
    tmp = tmp_path_factory.mktemp("morse")
    res = run_lmp(lmp, deck("pair_style morse 6.0\n" + morse_coeffs()), tmp)
    assert_ok(res, tmp)
    rows = thermo_rows(res)
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("nprocs", [1, 2])
def test_hybrid_with_null_types_matches_morse(nprocs, lmp, plugin, model, morse_ref, tmp_path):
    # onnx handles Li, P, S (Cl -> NULL); LAMMPS morse handles every pair involving Cl
    block = (f"plugin load {plugin}\npair_style hybrid onnx morse 6.0\n"
             f"pair_coeff * * onnx {model} Li P S NULL\n" + morse_coeffs((4,), "morse"))
    res = run_lmp(lmp, deck(block), tmp_path, nprocs)
    assert_ok(res, tmp_path)
    assert_close(thermo_rows(res)[0], morse_ref)


def test_reissue_clear_and_reload_in_one_process(lmp, plugin, model, morse_ref, tmp_path):
    one = deck(f"plugin load {plugin}\npair_style onnx\npair_coeff * * {model} Li P S Cl")
    text = (one
            + f"pair_style onnx pad no threads 1\npair_coeff * * {model} Li P S Cl\nrun 0\n"
            + "clear\n" + one)
    res = run_lmp(lmp, text, tmp_path)
    assert_ok(res, tmp_path)
    rows = thermo_rows(res)
    assert len(rows) == 3
    for row in rows:
        assert_close(row, morse_ref)
    # one stats line per destroyed instance: at 'clear' and at the end (a re-issued
    # pair_style onnx replaces the Java instance in place and prints none)
    stats = res.all_stats()
    assert len(stats) == 2, res.screen[-3000:]
    assert [s["calls"] for s in stats] == [1, 1]  # calls: one run 0 per instance after the swap


def test_stats_line_on_two_ranks(lmp, plugin, model, tmp_path):
    block = f"plugin load {plugin}\npair_style onnx\npair_coeff * * {model} Li P S Cl"
    text = deck(block).replace("run 0", "velocity all create 300 1\nfix 1 all nve\nrun 9")
    res = run_lmp(lmp, text, tmp_path, nprocs=2)
    assert_ok(res, tmp_path)
    stats = res.all_stats()
    assert len(stats) == 1, res.screen[-3000:]
    ranks, calls = stats[0]["ranks"], stats[0]["calls"]
    assert (ranks, calls) == (2, 10)  # setup + 9 steps
    assert stats[0]["nodes"] > 26 and stats[0]["edges"] > 0  # nodes incl. ghosts, edges


def test_threads_above_the_hardware_threads_are_capped_with_a_warning(lmp, plugin, model, morse_ref,
                                                                     tmp_path):
    """threads 1000 on this machine: one WARNING naming the cap, the run goes on with as many
    worker threads as the process has hardware threads, and the result is unchanged."""
    hw = len(os.sched_getaffinity(0))
    block = f"plugin load {plugin}\npair_style onnx threads 1000 chunk 10\npair_coeff * * {model} Li P S Cl"
    res = run_lmp(lmp, deck(block), tmp_path)
    assert_ok(res, tmp_path)
    warnings = [l for l in res.screen.splitlines() if l.startswith("WARNING: pair_style onnx: threads 1000")]
    assert len(warnings) == 1, res.screen[-3000:]
    assert f"more than the {hw} hardware threads" in warnings[0] and f"using threads {hw}" in warnings[0]
    stats = res.all_stats()
    assert len(stats) == 1 and stats[0]["threads"] == hw, stats
    # 52 centres in chunks of <= 10: 6 chunks, rounded up to a multiple of the worker threads
    assert stats[0]["chunks"] == min(52, -(-6 // hw) * hw), stats
    assert_close(thermo_rows(res)[0], morse_ref)


def test_ghost_cutoff_follows_the_model_loaded_last(lmp, plugin, tmp_path):
    """pair_coeff with a 2-hop model and the ghost-shell path (fold no) raises the ghost cutoff to
    2 r_max + skin; a later pair_coeff with a 1-hop model gives the user's cutoff back (LAMMPS then
    uses r_max + skin)."""
    hops2, hops1 = MODELS / "morse_hops2_f64.onnx", MODELS / "morse_f64.onnx"
    block = (f"plugin load {plugin}\npair_style onnx fold no\npair_coeff * * {hops2} Li P S Cl\nrun 0\n"
             f"pair_coeff * * {hops1} Li P S Cl")
    res = run_lmp(lmp, deck(block), tmp_path)
    assert_ok(res, tmp_path)
    cut = [float(c) for c in re.findall(r"ghost atom cutoff = (\S+)", res.screen)]
    assert len(cut) == 2, res.screen[-3000:]
    assert cut[0] > cut[1], cut
    assert "ghost cutoff restored" in res.screen


def test_one_rank_folds_images_instead_of_a_ghost_shell(lmp, plugin, morse_ref, tmp_path):
    """On one rank a 2-hop model folds periodic images onto their atoms: the ghost cutoff stays
    r_max + skin (as for a 1-hop model), the graph's nodes are the 52 local atoms only, and the
    result is the same Morse energy."""
    hops2, hops1 = MODELS / "morse_hops2_f64.onnx", MODELS / "morse_f64.onnx"
    cuts = {}
    for name, model in (("hops2", hops2), ("hops1", hops1)):
        block = f"plugin load {plugin}\npair_style onnx pad no\npair_coeff * * {model} Li P S Cl"
        (tmp_path / name).mkdir()
        res = run_lmp(lmp, deck(block), tmp_path / name)
        assert_ok(res, tmp_path / name)
        cuts[name] = [float(c) for c in re.findall(r"ghost atom cutoff = (\S+)", res.screen)]
        assert_close(thermo_rows(res)[0], morse_ref)
        if name == "hops2":
            assert "periodic images are folded" in res.screen, res.screen[-3000:]
            assert "ghost cutoff set" not in res.screen
            stats = res.all_stats()
            assert stats[0]["nodes"] == 52, stats  # nodes: the local atoms, no ghosts
    assert cuts["hops2"] == cuts["hops1"], cuts


def _ort_temp_dirs() -> set[str]:
    return {p.name for p in Path("/tmp").glob("onnxruntime-java*")}


def test_onnx_runtime_libraries_are_unpacked_once_not_per_run(lmp, plugin, model, morse_ref, tmp_path):
    """ONNX Runtime's loader unpacks ~28 MB into a new /tmp/onnxruntime-java* folder per JVM and
    removes it only at an orderly JVM exit, which a LAMMPS process never does: that leaked one
    folder per rank per run. The bridge unpacks once beside the plugin (OrtNativeLibraries);
    two ranks racing on the first unpack publish one whole folder, later runs reuse it."""
    import shutil
    inst = tmp_path / "inst"
    inst.mkdir()
    shutil.copy2(plugin, inst / plugin.name)
    shutil.copytree(plugin.parent / "java", inst / "java")
    before = _ort_temp_dirs()
    tmpdir = tmp_path / "tmpdir"  # nothing of the bridge's may appear in $TMPDIR either
    tmpdir.mkdir()
    env = {"TMPDIR": str(tmpdir)}
    block = f"plugin load {inst / plugin.name}\npair_style onnx\npair_coeff * * {model} Li P S Cl"
    res = run_lmp(lmp, deck(block), tmp_path, nprocs=2, env=env)
    assert_ok(res, tmp_path)
    assert_close(thermo_rows(res)[0], morse_ref)
    native = inst / "native"
    published = [p for p in native.iterdir()]
    assert len(published) == 1, published  # one folder, no staging leftovers
    lib = published[0] / "libonnxruntime.so"
    assert (published[0] / ".complete").is_file() and lib.stat().st_size > 1_000_000
    stamp = lib.stat().st_mtime_ns
    res = run_lmp(lmp, deck(block), tmp_path, nprocs=1, env=env)
    assert_ok(res, tmp_path)
    assert lib.stat().st_mtime_ns == stamp, "the libraries were unpacked again instead of reused"
    assert list(native.iterdir()) == published
    assert _ort_temp_dirs() - before == set(), "ONNX Runtime unpacked into /tmp again"
    left = [p for p in tmpdir.iterdir() if "onnxruntime" in p.name or "interphase" in p.name or "java" in p.name]
    assert left == [], f"the bridge left files in $TMPDIR: {left}"  # (Open MPI keeps its own files there)


def test_onnx_runtime_keeps_no_telemetry_store(lmp, plugin, model, morse_ref, tmp_path, monkeypatch):
    """ONNX Runtime's Linux build of the Java package records telemetry events in a SQLite store under
    $XDG_CACHE_HOME/Microsoft/DeveloperTools/.onnxruntime, and each rank that finds it locked writes a
    /tmp/mat-debug-<pid>.log (800 of them in one session of this test suite). The plugin sets
    ORT_DISABLE_TELEMETRY=1 before ONNX Runtime starts, unless the user set it."""
    monkeypatch.delenv("ORT_DISABLE_TELEMETRY", raising=False)
    cache = tmp_path / "xdg-cache"
    cache.mkdir()
    block = f"plugin load {plugin}\npair_style onnx\npair_coeff * * {model} Li P S Cl"
    res = run_lmp(lmp, deck(block), tmp_path, nprocs=2, env={"XDG_CACHE_HOME": str(cache)})
    assert_ok(res, tmp_path)
    assert_close(thermo_rows(res)[0], morse_ref)
    assert not (cache / "Microsoft").exists(), f"ONNX Runtime wrote {sorted(p.name for p in cache.rglob('*'))}"


def test_plugin_resolves_liblammps_of_the_lmp_it_was_built_for(lmp, plugin):
    """RPATH: ldd must resolve liblammps.so.0 to the library next to our lmp, never a system copy."""
    lib_dir = (lmp.parent.parent / "lib").resolve()
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    line = next((l for l in out.splitlines() if "liblammps" in l), None)
    if line is None:  # built without LAMMPS_LIBRARY: symbols come from the host only
        return
    target = Path(line.split("=>")[1].split("(")[0].strip()).resolve()
    assert target.parent == lib_dir, line


def test_lammps_driven_from_java_attaches_to_the_running_jvm(lmp, plugin, model, morse_ref, tmp_path):
    java_home = os.environ.get("JAVA_HOME", "")
    java = Path(java_home) / "bin" / "java"
    if not java.is_file():
        pytest.fail(f"JAVA_HOME={java_home!r} has no bin/java: source scripts/env.sh (JDK >= 22)",
                    pytrace=False)
    liblammps = (lmp.parent.parent / "lib" / "liblammps.so").resolve()
    if not liblammps.is_file():
        pytest.fail(f"{liblammps} missing: the LAMMPS build must have BUILD_SHARED_LIBS=on", pytrace=False)
    inp = tmp_path / "in.lmp"
    inp.write_text(deck(f"plugin load {plugin}\npair_style onnx\npair_coeff * * {model} Li P S Cl"))
    res = subprocess.run([str(java), "--enable-native-access=ALL-UNNAMED",
                          str(Path(__file__).with_name("DriveLammps.java")), str(liblammps), str(inp)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert res.returncode == 0, res.stdout + res.stderr
    m = re.search(r"pe=(\S+) press=(\S+)", res.stdout)
    assert m, res.stdout + res.stderr
    assert float(m.group(1)) == pytest.approx(morse_ref[1], rel=1e-9)
    assert float(m.group(2)) == pytest.approx(morse_ref[2], rel=1e-9)


BAD = {
    # name: (pair block (plugin loaded before), environment, text the ERROR line must contain)
    "unknown_keyword": ("pair_style onnx gpus 2", {}, ["unknown keyword 'gpus'", "device", "threads", "chunk", "jvm", "pad"]),
    "device_gpu": ("pair_style onnx device gpu", {}, ["device 'gpu'", "cuda:N"]),
    "threads_negative": ("pair_style onnx threads -1", {}, ["threads -1", ">= 1"]),
    "threads_zero": ("pair_style onnx threads 0", {}, ["threads 0 must be >= 1", "worker threads"]),
    "threads_not_a_number": ("pair_style onnx threads two", {}, ["threads 'two' is not a whole number"]),
    "chunk_negative": ("pair_style onnx chunk -1", {}, ["chunk -1 must be >= 0", "0 = one run per rank"]),
    "chunk_abc": ("pair_style onnx chunk abc", {}, ["chunk 'abc' is not a whole number", "chunk N"]),
    "ort_threads_zero": ("pair_style onnx ort_threads 0", {}, ["ort_threads 0 must be >= 1"]),
    # ONNX Runtime's ScatterND sums race across intra-op threads: refused, with the keyword that is safe
    "ort_threads_two": ("pair_style onnx ort_threads 2", {}, ["ort_threads 2 is refused", "lose force terms", "use threads 2"]),
    "pad_maybe": ("pair_style onnx pad maybe", {}, ["pad 'maybe'", "yes or no"]),
    "keyword_without_value": ("pair_style onnx device", {}, ["'device' needs a value"]),
    "jvm_not_a_library": ("pair_style onnx jvm {data}", {}, ["cannot load", "JDK >= 22"]),
    # the JVM's own first error line is quoted (captured by the vfprintf hook), with the variable to fix
    "bad_jvm_option": ("pair_style onnx", {"INTERPHASE_JVM_OPTS": "-XX:+NoSuchInterphaseOption"},
                       ["failed: Unrecognized VM option 'NoSuchInterphaseOption': fix or unset INTERPHASE_JVM_OPTS "
                        "(now '-XX:+NoSuchInterphaseOption')"]),
    "bad_jvm_x_option": ("pair_style onnx", {"INTERPHASE_JVM_OPTS": "-Xfoo"},
                         ["failed: Unrecognized option: -Xfoo: fix or unset INTERPHASE_JVM_OPTS (now '-Xfoo')"]),
    "bad_jvm_option_with_jvm_keyword": ("pair_style onnx jvm {java_home}", {"INTERPHASE_JVM_OPTS": "-Xmx1g -Xfoo"},
                                        ["failed: Unrecognized option: -Xfoo: fix or unset INTERPHASE_JVM_OPTS (now '-Xmx1g -Xfoo'), "
                                         "and check the JDK given by 'jvm {java_home}'"]),
    "coeff_not_star": ("pair_style onnx\npair_coeff 1 1 {model} Li P S Cl", {}, ["* *"]),
    "coeff_all_null": ("pair_style onnx\npair_coeff * * {model} NULL NULL NULL NULL", {}, ["NULL"]),
}


@pytest.mark.parametrize("nprocs", [1, 2])
@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_shim_input_fails_cleanly(name, nprocs, lmp, plugin, model, tmp_path):
    block, env, expect = BAD[name]
    java_home = os.environ.get("JAVA_HOME", "")
    block = block.format(model=model, data=DATA, java_home=java_home)
    expect = [t.format(java_home=java_home) for t in expect]
    res = run_lmp(lmp, deck(f"plugin load {plugin}\n{block}"), tmp_path, nprocs, env)
    assert res.returncode != 0, res.screen[-2000:]
    errors = [l for l in res.screen.splitlines() if l.startswith("ERROR")]
    assert len(errors) == 1, res.screen[-3000:] + res.stderr[-2000:]
    for text in expect:
        assert text in errors[0], errors[0]
    both = res.screen + res.stderr
    assert "\tat org." not in both and "\tat java." not in both, both[-3000:]
    assert not list(tmp_path.glob("hs_err_pid*.log"))


def test_jvm_start_error_is_quoted_in_log_lammps(lmp, plugin, model, tmp_path):
    """Issue 14: HotSpot's own reason (here 'Unrecognized option: -Xfoo', printed on stderr only and returned as a
    bare JNI_ERR) reaches the ERROR line and therefore log.lammps, naming INTERPHASE_JVM_OPTS."""
    res = run_lmp(lmp, deck(f"plugin load {plugin}\npair_style onnx"), tmp_path, env={"INTERPHASE_JVM_OPTS": "-Xfoo"})
    assert res.returncode == 1, res.screen[-2000:] + res.stderr[-2000:]
    errors = [l for l in (tmp_path / "log.lammps").read_text().splitlines() if l.startswith("ERROR")]
    assert len(errors) == 1, errors
    assert re.match(r"^ERROR: pair_style onnx: starting the JVM from \S+libjvm\.so failed: Unrecognized option: -Xfoo: "
                    r"fix or unset INTERPHASE_JVM_OPTS \(now '-Xfoo'\)", errors[0]), errors[0]
    assert "Unrecognized option: -Xfoo" in res.stderr, "the JVM's line still reaches stderr as before"


def test_jvm_that_ends_the_process_while_starting_still_says_why(lmp, plugin, model, tmp_path):
    """Issue 14: a heap the machine cannot reserve makes HotSpot end the process itself (no JNI error comes back to
    LAMMPS); the shim's abort hook still prints the one ERROR line with the JVM's reason and the variable to fix."""
    res = run_lmp(lmp, deck(f"plugin load {plugin}\npair_style onnx"), tmp_path,
                  env={"INTERPHASE_JVM_OPTS": "-Xmx1000000g"})
    assert res.returncode == 1, res.screen[-2000:] + res.stderr[-2000:]
    errors = [l for l in res.screen.splitlines() if l.startswith("ERROR")]
    assert len(errors) == 1, res.screen[-3000:]
    assert re.fullmatch(r"ERROR: pair_style onnx: starting the JVM from \S+libjvm\.so failed and the JVM ended the process "
                        r"\(exit code 1\): Error occurred during initialization of VM: Could not reserve enough space for "
                        r"\d+ KB object heap: fix or unset INTERPHASE_JVM_OPTS \(now '-Xmx1000000g'\)", errors[0]), errors[0]
