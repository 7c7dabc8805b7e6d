"""pytest side of the harness: the session fixtures `lmp` and `plugin` (registered for every
suite by tests/conftest.py) and `need`, which turns a missing component into a failure that
names its fix. Nothing is skipped."""
from __future__ import annotations

from pathlib import Path

import pytest

from . import lammps


def need(fn):
    """fn(), with the harness's MissingComponent turned into a test failure that names the fix."""
    try:
        return fn()
    except lammps.MissingComponent as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def lmp() -> Path:
    return need(lammps.lmp_binary)


@pytest.fixture(scope="session")
def plugin(lmp) -> Path:
    """The installed plugin; requesting it also checks the LAMMPS binary (every test needs both)."""
    return need(lammps.plugin_path)
