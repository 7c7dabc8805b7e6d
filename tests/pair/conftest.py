"""pytest fixtures for the pair_style onnx integration tests (real LAMMPS, real MPI).

`lmp` and `plugin` come from tests/conftest.py (the harness in tests/harness). When a component
is missing the tests FAIL with the fix, they never skip.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from harness.fixtures import need
from harness import lammps
from harness.lammps import REPO

MODELS = REPO / "tests" / "models"
RUN_TIMEOUT = 150.0  # seconds per LAMMPS run: a hung run fails the test, never the suite


def analytic_model(name: str) -> Path:
    """A model from tests/models (made by tests/models/make_analytic_models.py); fails if absent."""
    path = MODELS / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: run '$INTERPHASE_PYTHON tests/models/make_analytic_models.py'",
                    pytrace=False)
    return path


@pytest.fixture(scope="session")
def morse_params():
    from . import morse
    return need(morse.load_params)


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pair")


def assert_clean_exit(res: lammps.LammpsResult) -> None:
    """The run finished, exit code 0, no ERROR, no crash files."""
    assert not res.timed_out, "LAMMPS hung (killed after timeout)\n" + res.describe()
    assert res.returncode == 0, "LAMMPS failed\n" + res.describe()
    assert not res.error_lines(), res.describe()
    assert not res.crash_files(), f"crash files {res.crash_files()}\n" + res.describe()
