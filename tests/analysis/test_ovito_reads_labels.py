"""A real client: OVITO's Python module opens labels.extxyz written by `interphase analyze` and sees the per-atom
`cluster`, `phase` and `prototype` columns as particle properties, with the same values as labels.csv."""
from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("INTERPHASE_CLI", ROOT / "bin" / "interphase"))


def _names(prop) -> list[str]:
    """Per-particle strings of an OVITO property: typed (string columns become types) or plain."""
    if len(prop.types) > 0:
        by_id = {t.id: t.name for t in prop.types}
        return [by_id[int(v)] for v in prop[...]]
    return [str(v) for v in prop[...]]


def test_ovito_sees_cluster_phase_and_prototype(tmp_path: Path) -> None:
    try:
        import ovito.io as ovito_io
    except ImportError:
        pytest.fail("ovito is not installed: pip install -r requirements-test.txt")
    data = tmp_path / "cell.data"
    subprocess.run([str(CLI), "build-cell", "-o", str(data)], check=True, capture_output=True)
    out = tmp_path / "out"
    subprocess.run([str(CLI), "analyze", str(data), "-o", str(out), "-q", "--no-plots", "--temperature", "300"], check=True)
    pipeline = ovito_io.import_file(str(out / "labels.extxyz"))
    frame = pipeline.compute(0)
    props = frame.particles
    # OVITO maps the extxyz column `cluster` onto its standard particle property "Cluster"
    keys = {"cluster": "Cluster", "phase": "phase", "prototype": "prototype"}
    for name, key in keys.items():
        assert key in props.keys(), f"OVITO does not see {name}: {list(props.keys())}"
    with (out / "labels.csv").open() as f:
        rows = [r for r in csv.DictReader(f) if r["frame"] == "0"]
    assert frame.particles.count == len(rows)
    assert [int(c) for c in props["Cluster"][...]] == [int(r["cluster"]) for r in rows]
    assert _names(props["phase"]) == [r["phase"] for r in rows]
    assert _names(props["prototype"]) == [r["prototype"] for r in rows]
    phases = set(_names(props["phase"]))
    assert {"Li", "Li6PS5Cl"} <= phases, phases
    assert "bcc:bcc(2a)" in set(_names(props["prototype"]))
