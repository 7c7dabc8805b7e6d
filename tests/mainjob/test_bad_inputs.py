"""Bad inputs of the main job: each gives ONE line naming the cause and the fix, and a non-zero exit."""
from __future__ import annotations

import os
from pathlib import Path

from .conftest import REPO, run

DEMO = REPO / "scripts" / "demo.sh"
MORSE = REPO / "tests" / "models" / "morse_f64.onnx"  # r_max 6.0 (tests/models/morse_params.json)


def one_line_error(p, *fragments: str) -> str:
    assert p.returncode != 0, f"exit code 0\nstdout: {p.stdout}\nstderr: {p.stderr}"
    lines = [ln for ln in p.stderr.strip().splitlines() if ln.strip() and not ln.startswith(("== [", "   "))]
    assert len(lines) == 1, f"expected one error line, got:\n{p.stderr}"
    line = lines[0]
    assert line.startswith("interphase"), line
    for f in fragments:
        assert f in line, f"'{f}' not in: {line}"
    assert "Traceback" not in p.stderr and "Exception" not in p.stderr and "at org." not in p.stderr
    return line


def demo(tmp_path: Path, *args: str, env: dict[str, str] | None = None):
    e = dict(os.environ)
    e["INTERPHASE_NO_SETUP"] = "1"  # the test command has already run scripts/setup.sh
    e.update(env or {})
    return run(["bash", DEMO, "--out", tmp_path / "demo", *args], timeout=300, env=e)


def test_demo_missing_model(tmp_path):
    p = demo(tmp_path, "--model", str(tmp_path / "nowhere.onnx"))
    one_line_error(p, "nowhere.onnx not found", "scripts/setup.sh")


def test_demo_missing_lammps(tmp_path):
    p = demo(tmp_path, "--model", str(MORSE), env={"INTERPHASE_LMP": str(tmp_path / "no-lammps" / "lmp")})
    one_line_error(p, "LAMMPS not found", "no-lammps/lmp", "scripts/setup.sh")


def test_demo_missing_plugin(tmp_path):
    p = demo(tmp_path, "--model", str(MORSE), env={"INTERPHASE_PLUGIN": str(tmp_path / "none.so")})
    one_line_error(p, "plugin", "none.so", "scripts/setup.sh")


def test_demo_full_disk(tmp_path):
    # ask for more free space than any disk has: the check must stop the demo before anything runs
    p = demo(tmp_path, "--model", str(MORSE), env={"INTERPHASE_DEMO_MIN_MB": "999999999"})
    one_line_error(p, "MB free under", "needs 999999999 MB", "--out")
    assert not (tmp_path / "demo" / "cell.data").exists()


def test_demo_bad_option(tmp_path):
    one_line_error(demo(tmp_path, "--np", "zero"), "--np")
    one_line_error(demo(tmp_path, "--bogus"), "unknown option '--bogus'")
    one_line_error(demo(tmp_path, "--temperature", "-5"), "--temperature")


def test_demo_surfaces_lammps_errors(tmp_path):
    # a model whose contract version the plugin rejects at pair_coeff: LAMMPS stops with an ERROR line,
    # the demo reports that line (and not a later symptom such as a missing trajectory)
    bad = REPO / "tests" / "models" / "bad_contract_version.onnx"
    p = demo(tmp_path, "--model", str(bad), "--ps", "0.01", "--eq-ps", "0.01")
    line = one_line_error(p, "LAMMPS failed: ERROR")
    assert "log.lammps" in line


def test_build_cell_narrower_than_the_model_is_written_with_a_note(tmp_path, cli):
    # issue 14: a 1x1 lateral cell is shorter than 2*r_max + skin, which pair_style onnx handles exactly (several
    # periodic images among LAMMPS's ghost atoms): written, with a note that gives the numbers
    p = run([cli, "build-cell", "-o", tmp_path / "c.data", "--model", MORSE, "--nx", "1", "--ny", "1"], timeout=120)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert ("  note: lateral box 10.28 x 10.28 A is smaller than 2*r_max + skin = 2*6.00 + 2.00 = 14.00 A "
            "(r_max from the metadata of morse_f64.onnx): LAMMPS ghost atoms hold several periodic images of an atom, "
            "which pair_style onnx handles exactly; --nx/--ny >= 2 avoids it") in p.stdout, p.stdout
    assert (tmp_path / "c.data").is_file()


def test_build_cell_nonsense_thickness_and_unwritable_output(tmp_path, cli):
    one_line_error(run([cli, "build-cell", "-o", tmp_path / "c.data", "--electrolyte", "-2"], timeout=120),
                   "--electrolyte")
    one_line_error(run([cli, "build-cell", "-o", tmp_path / "nodir" / "c.data"], timeout=120),
                   "cannot write", "does not exist")
