"""pytest fixtures for the pair_style onnx integration tests (real LAMMPS, real MPI).

Required: INTERPHASE_LMP (LAMMPS binary) and INTERPHASE_PLUGIN (interphaseplugin.so); both are set
by `source scripts/env.sh`. When one is missing the tests FAIL with the fix, they never skip.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from . import lammps_run
from .lammps_run import MissingComponent, REPO

MODELS = REPO / "tests" / "models"
RUN_TIMEOUT = 150.0  # seconds per LAMMPS run: a hung run fails the test, never the suite


def _need(fn):
    try:
        return fn()
    except MissingComponent as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def lmp() -> Path:
    return _need(lammps_run.lmp_binary)


@pytest.fixture(scope="session")
def plugin(lmp) -> Path:
    """The installed plugin; requesting it also checks the LAMMPS binary (every test needs both)."""
    return _need(lammps_run.plugin_path)


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
    return _need(morse.load_params)


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pair")


def assert_clean_exit(res: lammps_run.LammpsResult) -> None:
    """The run finished, exit code 0, no ERROR, no crash files."""
    assert not res.timed_out, "LAMMPS hung (killed after timeout)\n" + res.describe()
    assert res.returncode == 0, "LAMMPS failed\n" + res.describe()
    assert not res.error_lines(), res.describe()
    assert not res.crash_files(), f"crash files {res.crash_files()}\n" + res.describe()
