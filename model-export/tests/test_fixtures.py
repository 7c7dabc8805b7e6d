"""The committed C6 fixtures: well-formed, reproducible with nequip's calculator, matched by the ONNX files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest

from interphase_export import check, fixtures
from interphase_export.cli import _read_lammps_data

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TINY = FIXTURES / "nequip-tiny"
STRUCTURES = ["argyrodite", "interface", "triclinic", "cluster", "rattled", "strained"]


def _atoms(name: str):
    atoms = _read_lammps_data(TINY / f"{name}.data")
    if fixtures.read_ref(TINY / f"{name}.ref")["pbc"] == "f f f":
        atoms.pbc = False
    return atoms


@pytest.fixture(scope="module")
def calc():
    return check.nequip_calculator(str(TINY / "model.ckpt"))


@pytest.mark.parametrize("name", STRUCTURES)
def test_ref_header_and_shape(name):
    ref = fixtures.read_ref(TINY / f"{name}.ref")
    lines = (TINY / f"{name}.ref").read_text().splitlines()
    assert lines[0] == "# interphase reference v1"
    assert ref["species"] == "Li P S Cl"
    assert ref["source"] == "nequip 0.19.1 NequIPCalculator float64"
    assert (TINY / ref["model"]).is_file()
    atoms = _atoms(name)
    assert ref["natoms"] == len(atoms) == len(ref["forces"])
    assert list(ref["ids"]) == list(range(1, len(atoms) + 1))
    assert ref["elements"] == atoms.get_chemical_symbols()
    assert ref["virial"].shape == (6,)
    assert abs(ref["energies"].sum() - ref["energy"]) < 1e-9
    assert np.abs(ref["forces"].sum(axis=0)).max() < 1e-9  # Newton's third law
    assert (ref["pbc"] == "f f f") == (name == "cluster")


@pytest.mark.parametrize("name", STRUCTURES)
def test_ref_reproduced_by_nequip_calculator(calc, name):
    atoms = _atoms(name)
    ref = fixtures.read_ref(TINY / f"{name}.ref")
    now = check.nequip_reference(atoms, calc)
    assert abs(now.energy - ref["energy"]) < 1e-10
    np.testing.assert_allclose(now.forces, ref["forces"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(now.energies, ref["energies"], rtol=0, atol=1e-10)
    if now.virial is not None:
        w = now.virial
        np.testing.assert_allclose([w[0, 0], w[1, 1], w[2, 2], w[0, 1], w[0, 2], w[1, 2]], ref["virial"], rtol=0, atol=1e-9)


@pytest.mark.parametrize("dtype, tol", [("f64", 1e-10), ("f32", 1e-4)])
@pytest.mark.parametrize("name", STRUCTURES)
def test_onnx_matches_ref(dtype, tol, name):
    path = TINY / f"nequip-tiny.{dtype}.onnx"
    meta = {p.key: p.value for p in onnx.load(str(path), load_external_data=False).metadata_props}
    assert meta["interphase.hops"] == "2"
    atoms = _atoms(name)
    ref = fixtures.read_ref(TINY / f"{name}.ref")
    got = check.OnnxPotential(path).evaluate(atoms)
    assert abs(got.energy - ref["energy"]) < tol * max(1, len(atoms) / 10)
    np.testing.assert_allclose(got.forces, ref["forces"], rtol=0, atol=tol)
    np.testing.assert_allclose(got.energies, ref["energies"], rtol=0, atol=tol)
    if got.virial is not None:
        w = got.virial
        np.testing.assert_allclose([w[0, 0], w[1, 1], w[2, 2], w[0, 1], w[0, 2], w[1, 2]], ref["virial"], rtol=0, atol=10 * tol)
