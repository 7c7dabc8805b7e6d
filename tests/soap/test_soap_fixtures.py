"""The committed SOAP fixtures are what make_soap_fixtures.py produces with the installed dscribe.

Regenerates every fixture into a temporary folder and compares it with the committed files, so the
values the Java tests compare against are traceable to dscribe (not to our own output).
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "java-analysis" / "src" / "test" / "python" / "make_soap_fixtures.py"
COMMITTED = ROOT / "java-analysis" / "src" / "test" / "resources" / "soap"
SHARED = Path(os.environ.get("INTERPHASE_SHARED", ROOT.parent / "shared"))


def _load_script():
    spec = importlib.util.spec_from_file_location("make_soap_fixtures", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses need the module registered
    spec.loader.exec_module(mod)
    return mod


def _read_values(path: Path) -> dict[int, np.ndarray]:
    rows = {}
    for line in path.read_text().splitlines():
        if line.startswith("centre "):
            parts = line.split()
            rows[int(parts[1])] = np.array([float(x) for x in parts[2:]])
    return rows


def test_fixtures_reproduce_with_dscribe(tmp_path: Path) -> None:
    try:
        import dscribe  # noqa: F401
    except ImportError:
        pytest.fail("dscribe is not installed: pip install -r java-analysis/src/test/python/requirements-soap.txt")

    assert (SHARED / "data" / "Li6PS5Cl_conventional.data").is_file(), f"missing shared data under {SHARED}"
    mod = _load_script()
    assert mod.main(["--shared", str(SHARED), "--out", str(tmp_path)]) == 0
    manifest = [l for l in (COMMITTED / "MANIFEST.txt").read_text().splitlines() if l and not l.startswith("#")]
    fresh = [l for l in (tmp_path / "MANIFEST.txt").read_text().splitlines() if l and not l.startswith("#")]
    assert manifest == fresh
    for name in manifest:
        old, new = _read_values(COMMITTED / "values" / name), _read_values(tmp_path / "values" / name)
        assert old.keys() == new.keys(), name
        for c in old:
            np.testing.assert_allclose(new[c], old[c], rtol=1e-8, atol=1e-12 * np.abs(old[c]).max(), err_msg=f"{name} centre {c}")
    for f in (COMMITTED / "structures").iterdir():
        assert f.read_text() == (tmp_path / "structures" / f.name).read_text(), f.name
