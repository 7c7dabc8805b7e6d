"""Shared fixtures: tiny Allegro (hops 1, per-edge-type cutoffs) and NequIP (2 layers, hops 2) models
trained for a couple of epochs with nequip's own `nequip-train` on a synthetic Li/P/S/Cl dataset."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from interphase_export import structures, tiny


@pytest.fixture(scope="session", autouse=True)
def _shared_data():
    data = structures.shared_data_dir() / "Li6PS5Cl_conventional.data"
    if not data.is_file():
        pytest.fail(
            f"{data} is missing: set INTERPHASE_SHARED to the shared folder (source scripts/env.sh)",
            pytrace=False,
        )
    os.environ.setdefault("OMP_NUM_THREADS", "1")


@pytest.fixture(scope="session")
def train_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("tiny-models")


@pytest.fixture(scope="session")
def dataset(train_dir) -> Path:
    return tiny.write_dataset(train_dir / "data.extxyz", n_frames=12)


@pytest.fixture(scope="session")
def allegro_ckpt(train_dir, dataset) -> Path:
    return tiny.train(train_dir, "allegro", dataset, epochs=2)


@pytest.fixture(scope="session")
def nequip_ckpt(train_dir, dataset) -> Path:
    return tiny.train(train_dir, "nequip", dataset, epochs=2)


@pytest.fixture(scope="session")
def exported(tmp_path_factory, allegro_ckpt, nequip_ckpt) -> dict[str, Path]:
    """Both models exported once through the public `export` entry point (float64)."""
    from interphase_export.cli import export

    out = tmp_path_factory.mktemp("exported")
    paths = {}
    for name, ckpt in (("allegro", allegro_ckpt), ("nequip", nequip_ckpt)):
        paths[name] = out / f"{name}.onnx"
        export(str(ckpt), str(paths[name]), "float64", log=lambda *_: None)
    return paths
