"""The shipped default model (C7) against held-out labels of its labeller (SevenNet-0).

The reference values are the SevenNet-0 energies/forces stored in
model-export/default-model/data/{initial,al_round1}.extxyz.xz, the files the model was trained
with (held-out test split, never trained on; made by default-model/make_dataset.py and round 1
of active_learning.py), i.e. independent of the model and of
the exporter. Error bounds are about 1.5x the errors measured when the model was made
(models/README.md), so a broken export, a wrong species order or a wrong model file fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from interphase_export.check import OnnxPotential

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
DEFAULT_MODEL_DIR = REPO / "model-export" / "default-model"
F64 = MODELS / "li-p-s-cl-allegro.f64.onnx"
F32 = MODELS / "li-p-s-cl-allegro.f32.onnx"

# bounds on the held-out test split (all families pooled)
MAX_ENERGY_MAE_MEV_PER_ATOM = 200.0  # measured 134
MAX_FORCE_MAE_MEV_PER_A = 230.0  # measured 152


def _require(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(f"{path} is missing: regenerate it with model-export/default-model/package_and_export.sh",
                    pytrace=False)
    return path


TRAINED_ON = ("al_round1.extxyz.xz", "initial.extxyz.xz")


@pytest.fixture(scope="module")
def test_frames():
    sys.path.insert(0, str(DEFAULT_MODEL_DIR))
    try:
        import split  # noqa: E402  (default-model/split.py: deterministic stratified split)
    finally:
        sys.path.pop(0)
    # the files the shipped model was trained with (models/README.md); later active-learning
    # rounds (al_round2, ...) are data for the next model, not this model's held-out split
    files = [DEFAULT_MODEL_DIR / "data" / name for name in TRAINED_ON]
    if not all(f.is_file() for f in files):
        pytest.fail(f"no labelled data in {DEFAULT_MODEL_DIR / 'data'}", pytrace=False)
    frames = split.split_frames(files)["test"]
    assert len(frames) >= 10
    return frames


@pytest.mark.parametrize("path", [F64, F32], ids=["f64", "f32"])
def test_metadata(path: Path) -> None:
    pot = OnnxPotential(_require(path))
    meta = pot.session.get_modelmeta().custom_metadata_map
    assert meta["interphase.contract"] == "1"
    assert meta["interphase.species"] == "Li P S Cl"
    assert float(meta["interphase.r_max"]) == pytest.approx(5.0)
    assert meta["interphase.hops"] == "1"
    assert pot.dtype == (np.float64 if path == F64 else np.float32)


def test_f64_matches_labeller_on_held_out_frames(test_frames) -> None:
    pot = OnnxPotential(_require(F64))
    de, df = [], []
    for atoms in test_frames:
        got = pot.evaluate(atoms)
        de.append(abs(got.energy - atoms.get_potential_energy()) / len(atoms))
        df.append(np.abs(got.forces - atoms.get_forces()).ravel())
    e_mae = 1000 * float(np.mean(de))
    f_mae = 1000 * float(np.mean(np.concatenate(df)))
    assert e_mae < MAX_ENERGY_MAE_MEV_PER_ATOM, f"energy MAE {e_mae:.1f} meV/atom"
    assert f_mae < MAX_FORCE_MAE_MEV_PER_A, f"force MAE {f_mae:.0f} meV/A"


def test_f32_agrees_with_f64(test_frames) -> None:
    p64, p32 = OnnxPotential(_require(F64)), OnnxPotential(_require(F32))
    for atoms in test_frames[:6]:
        a, b = p64.evaluate(atoms), p32.evaluate(atoms)
        assert abs(a.energy - b.energy) / len(atoms) < 1e-5
        assert np.abs(a.forces - b.forces).max() < 1e-3
