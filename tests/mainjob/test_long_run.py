"""scripts/long-run.sh: a run split over several calls equals the same run made in one call.

Real LAMMPS and the real plugin, with the analytic Morse models (tests/models) as model 0 and a second
committee member, on a small Li | Li6PS5Cl | Li cell. The reference is LAMMPS itself: the uninterrupted
run. A continued run must reproduce its thermo rows (the Nose-Hoover state must come back from the
restart file), its model-deviation rows and its dump frames, each once.
"""
from __future__ import annotations

import lzma
import os
from pathlib import Path

import numpy as np
import pytest

from .conftest import REPO, run
from .test_bad_inputs import one_line_error

LONG = REPO / "scripts" / "long-run.sh"
MORSE = REPO / "tests" / "models" / "morse_f64.onnx"
MORSE_B = REPO / "tests" / "models" / "morse_b_f64.onnx"
# 0.1 ps NVT + 0.06 ps NVE of 1 fs: 160 steps; dumps and deviation rows every 20 steps
PHYSICS = ["--model", MORSE, "--committee", MORSE_B, "--temperature", "600", "--ps", "0.1", "--nve-ps", "0.06",
           "--dump-every", "20", "--devi-every", "20", "--thermo-every", "20"]


@pytest.fixture(scope="module")
def small_cell(tmp_path_factory, cli) -> Path:
    d = tmp_path_factory.mktemp("longcell")
    p = run([cli, "build-cell", "-o", d / "cell.data", "--model", MORSE, "--nx", "1", "--ny", "1",
             "--electrolyte", "1", "--metal", "4"], timeout=120)
    assert p.returncode == 0, p.stderr
    return d / "cell.data"


def long_run(out: Path, *args, timeout: float = 600):
    e = dict(os.environ)
    return run(["bash", LONG, "--out", out, "--np", "1", *args], timeout=timeout, env=e)


def thermo(out: Path) -> np.ndarray:
    return np.loadtxt(out / "thermo.csv", delimiter=",", skiprows=1)


def devi(out: Path) -> np.ndarray:
    return np.loadtxt(out / "model_devi.out", comments="#")


def trajectory(out: Path, tmp: Path) -> Path:
    """The run's whole trajectory, assembled by long_run_report.py --trajectory."""
    path = tmp / f"{out.name}.lammpstrj"
    p = run([os.environ.get("INTERPHASE_PYTHON", "python3"), REPO / "scripts" / "long_run_report.py", out,
             "--trajectory", path], timeout=120)
    assert p.returncode == 0, p.stderr
    return path


def frame_at(path: Path, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions (n, 3) sorted by id and box lengths of the frame at step of a text dump."""
    lines = path.read_text().split(f"ITEM: TIMESTEP\n{step}\n", 1)[1].splitlines()
    n = int(lines[1])
    lo_hi = np.array([[float(w) for w in ln.split()[:2]] for ln in lines[3:6]])
    rows = np.array([[float(w) for w in ln.split()] for ln in lines[7:7 + n]])
    rows = rows[np.argsort(rows[:, 0])]
    return rows[:, 2:5], lo_hi[:, 1] - lo_hi[:, 0]


def dump_steps(path: Path) -> list[int]:
    lines = path.read_text().splitlines()
    return [int(lines[i + 1]) for i, ln in enumerate(lines) if ln.startswith("ITEM: TIMESTEP")]


@pytest.fixture(scope="module")
def runs(tmp_path_factory, small_cell, lmp, plugin):
    base = tmp_path_factory.mktemp("longrun")
    one, split = base / "one", base / "split"
    p = long_run(one, "--cell", small_cell, *PHYSICS)
    assert p.returncode == 0, p.stderr
    # three calls: stop inside the NVT (step 70, not a multiple of the dump interval), stop in the NVE
    # (step 140), then finish; only the first call gives the physics, later ones read run.conf
    p1 = long_run(split, "--cell", small_cell, *PHYSICS, "--steps", "70")
    assert p1.returncode == 0 and "stopped at step 70 of 160" in p1.stderr, p1.stderr
    p2 = long_run(split, "--steps", "70", "--model", MORSE)   # the same model again is not a change
    assert p2.returncode == 0 and "stopped at step 140 of 160" in p2.stderr, p2.stderr
    # a new session has only what is committed (docs/long-runs.md): here the second call's dump is kept
    # compressed, the first call's dump and the crash-safety restarts are gone
    (split / "traj.000000000.lammpstrj").unlink()
    for f in ("restart.a", "restart.b"):
        (split / f).unlink(missing_ok=True)
    second = split / "traj.000000070.lammpstrj"
    second.with_suffix(".lammpstrj.xz").write_bytes(lzma.compress(second.read_bytes()))
    second.unlink()
    p3 = long_run(split)
    assert p3.returncode == 0, p3.stderr
    # paths inside the repository are kept relative to it, so a committed run continues from another clone
    conf = (split / "run.conf").read_text().splitlines()
    assert "model=tests/models/morse_f64.onnx" in conf and "committee=tests/models/morse_b_f64.onnx" in conf, conf
    return one, split, p.stdout, p3.stdout


def test_continued_run_reproduces_the_uninterrupted_one(runs):
    one, split, _, _ = runs
    a, b = thermo(one), thermo(split)
    assert list(a[:, 0].astype(int)) == list(range(0, 161, 20))
    # the split run also prints the steps it stopped at (70, 140)
    assert list(b[:, 0].astype(int)) == sorted(set(range(0, 161, 20)) | {70, 140})
    b = b[np.isin(b[:, 0], a[:, 0])]
    # same trajectory up to summation order (the neighbour lists are rebuilt at each restart); a lost
    # thermostat state would change the kinetic energy by percents within a few steps
    np.testing.assert_allclose(b[:, 2:6], a[:, 2:6], rtol=1e-7, atol=1e-7)


def test_frames_and_deviation_rows_appear_once_in_step_order(runs, tmp_path):
    one, split, _, _ = runs
    steps = list(range(0, 161, 20))
    whole = trajectory(one, tmp_path)
    assert dump_steps(whole) == steps
    # the second call (70-140) wrote 80..140, the third wrote 140 again and 160: the later call wins
    assert dump_steps(trajectory(split, tmp_path)) == [80, 100, 120, 140, 160]
    # the same positions at step 100, up to periodic images (read_restart wraps atoms into the box)
    a, la = frame_at(whole, 100)
    b, _ = frame_at(trajectory(split, tmp_path), 100)
    d = (b - a) - la * np.rint((b - a) / la)
    assert np.abs(d).max() < 2e-4
    # the smallest distance of every frame survives in frames.csv, and equals the uninterrupted run's
    fa = np.loadtxt(one / "frames.csv", delimiter=",", skiprows=1)
    fb = np.loadtxt(split / "frames.csv", delimiter=",", skiprows=1)
    assert list(fb[:, 0].astype(int)) == steps
    assert list(fb[:, 1].astype(int)) == [0, 0, 0, 0, 70, 70, 70, 140, 140]  # the call that wrote each frame
    np.testing.assert_allclose(fb[:, 2], fa[:, 2], atol=1e-4)
    assert (fa[:, 2] > 1.0).all()
    da, db = devi(one), devi(split)
    assert list(db[:, 0].astype(int)) == steps
    np.testing.assert_allclose(db, da, rtol=1e-7, atol=1e-10)
    assert (db[:, 4] > 0).all()  # two different potentials: a non-zero force deviation


def test_summary_reports_atoms_drift_and_deviation(runs, small_cell):
    one, split, out_one, out_split = runs
    natoms = int(small_cell.read_text().split(" atoms", 1)[0].split()[-1])
    for text in (out_one, out_split):
        assert f"atom counts of the runs: {natoms} -> none lost" in text, text
        assert "NVE (0.10-0.16 ps" in text and "drift" in text, text
        assert "committee max_devi_f over 9 rows" in text, text
    assert "segments: 3 (restarts at steps 0, 70, 140)" in out_split
    assert "rows above the default committee's trust level (avg_devi_f > 0.016)" in out_split
    assert (split / "long-run.png").read_bytes()[:4] == b"\x89PNG"
    # the NVE drift printed is the least-squares slope of the thermo rows it summarises
    t = thermo(split)
    nve = t[:, 0] >= 100
    slope = np.polyfit(t[nve, 1] - t[nve, 1][0], t[nve, 5] / natoms, 1)[0] * 1000
    assert f"drift {slope:+.4f} meV/atom/ps" in out_split


def test_a_complete_run_is_not_extended(runs):
    _, split, _, _ = runs
    p = long_run(split)
    assert p.returncode == 0 and "is complete (step 160 of 160)" in p.stderr, p.stderr


def test_bad_inputs(tmp_path, small_cell, runs):
    _, split, _, _ = runs
    one_line_error(long_run(tmp_path / "a", "--bogus"), "unknown option '--bogus'")
    one_line_error(run(["bash", LONG]), "--out DIR is required")
    one_line_error(long_run(tmp_path / "b", "--model", tmp_path / "none.onnx"), "none.onnx not found")
    one_line_error(long_run(tmp_path / "c", "--steps", "0"), "--steps '0'")
    one_line_error(long_run(tmp_path / "d", "--temperature", "5000"), "out of range")
    one_line_error(long_run(tmp_path / "e", "--cell", tmp_path / "no.data"), "no.data", "build-cell")
    # a continuing run refuses other physics and says how to proceed
    one_line_error(long_run(split, "--temperature", "300"), "T=600", "not 300", "new --out DIR")


def test_deviation_rows_equal_a_rerun_of_the_dumped_frames(runs, lmp, plugin, tmp_path):
    # independent reference: LAMMPS 'rerun' of the run's dump with the same committee gives the deviation
    # of each frame from its positions alone (the dump's 1e-4 A positions bound the agreement); the split
    # run's rows equal the uninterrupted run's (test above)
    one, _, _, _ = runs
    deck = tmp_path / "rerun.in"
    deck.write_text(f"""units metal
atom_style atomic
boundary p p p
newton on
plugin load {plugin}
read_data {one / 'cell.data'}
pair_style onnx out_freq 20 out_file {tmp_path / 'rerun_devi.out'}
pair_coeff * * {MORSE} {MORSE_B} Li P S Cl
neighbor 2.0 bin
rerun {trajectory(one, tmp_path)} dump x y z box yes
""")
    p = run([lmp, "-in", deck, "-log", "none", "-screen", "none"], timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    ref = np.loadtxt(tmp_path / "rerun_devi.out", comments="#")
    got = devi(one)
    np.testing.assert_array_equal(got[:, 0], ref[:, 0])
    np.testing.assert_allclose(got[:, [1, 3, 4, 6]], ref[:, [1, 3, 4, 6]], rtol=2e-3)
