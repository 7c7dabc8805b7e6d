"""Every bad input: one-line error naming cause and fix, non-zero exit, no model file left behind."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import torch

from interphase_export import cli, graph, loader
from interphase_export.errors import ExportError


def _run(capsys, *argv) -> tuple[int, str]:
    code = cli.main([str(a) for a in argv])
    err = capsys.readouterr().err
    return code, err


def _assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("interphase-export: error: ")
    assert "Traceback" not in err
    for n in needles:
        assert n in lines[0], lines[0]


def test_missing_model_file(capsys, tmp_path):
    code, err = _run(capsys, tmp_path / "nope.ckpt", "-o", tmp_path / "m.onnx")
    _assert_one_line_error(code, err, "does not exist", ".nequip.zip")
    assert not (tmp_path / "m.onnx").exists()


def test_unknown_extension(capsys, tmp_path):
    bad = tmp_path / "model.txt"
    bad.write_text("hello")
    code, err = _run(capsys, bad, "-o", tmp_path / "m.onnx")
    _assert_one_line_error(code, err, "unknown model file type")


def test_garbage_checkpoint(capsys, tmp_path):
    bad = tmp_path / "model.ckpt"
    bad.write_bytes(b"\x00garbage" * 100)
    code, err = _run(capsys, bad, "-o", tmp_path / "m.onnx")
    _assert_one_line_error(code, err, "not a valid PyTorch checkpoint")


def test_zip_that_is_not_a_nequip_package(capsys, tmp_path):
    bad = tmp_path / "model.nequip.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("readme.txt", "not a model")
    code, err = _run(capsys, bad, "-o", tmp_path / "m.onnx")
    _assert_one_line_error(code, err, "cannot load", "nequip 0.19")
    assert list(tmp_path.iterdir()) == [bad]


def test_unreadable_model_file(capsys, tmp_path):
    import os

    bad = tmp_path / "model.ckpt"
    bad.write_bytes(b"x")
    bad.chmod(0)
    if os.access(bad, os.R_OK):  # root ignores permissions: use a directory instead
        bad.chmod(0o644)
        bad.unlink()
        bad.mkdir()
        code, err = _run(capsys, bad, "-o", tmp_path / "m.onnx")
        _assert_one_line_error(code, err, "is a directory")
    else:
        code, err = _run(capsys, bad, "-o", tmp_path / "m.onnx")
        _assert_one_line_error(code, err, "not readable")


def test_compiled_model_is_rejected(capsys, tmp_path):
    bad = tmp_path / "model.nequip.pt2"
    bad.write_bytes(b"x")
    code, err = _run(capsys, bad, "-o", tmp_path / "m.onnx")
    _assert_one_line_error(code, err, "nequip-compile", ".ckpt")


def test_remote_model_id_is_rejected(capsys, tmp_path):
    code, err = _run(capsys, "nequip.net:mir-group/model:0.1", "-o", tmp_path / "m.onnx")
    _assert_one_line_error(code, err, "remote model ids are not supported")


def test_species_that_are_not_elements(capsys, tmp_path, nequip_ckpt):
    ckpt = torch.load(nequip_ckpt, weights_only=False, map_location="cpu")
    ckpt["hyper_parameters"]["model"]["type_names"] = ["Li", "P", "S", "X1"]
    bad = tmp_path / "renamed.ckpt"
    torch.save(ckpt, bad)
    code, err = _run(capsys, bad, "-o", tmp_path / "m.onnx")
    _assert_one_line_error(code, err, "not chemical element symbols", "X1")
    assert not (tmp_path / "m.onnx").exists()


def test_failed_export_check_leaves_no_file(capsys, tmp_path, allegro_ckpt):
    """float32 graphs deviate ~1e-7 from the float64 model: a 1e-12 tolerance must fail the check."""
    out = tmp_path / "m.onnx"
    code, err = _run(capsys, allegro_ckpt, "-o", out, "--dtype", "float32", "--tolerance", "1e-12", "-q")
    _assert_one_line_error(code, err, "export check failed", "no model written")
    assert code == 3
    assert list(tmp_path.iterdir()) == []  # neither the model nor a temp file


def test_output_folder_missing(capsys, tmp_path, allegro_ckpt):
    code, err = _run(capsys, allegro_ckpt, "-o", tmp_path / "no" / "m.onnx")
    _assert_one_line_error(code, err, "does not exist", "create it")


def test_check_structure_with_foreign_species(capsys, tmp_path, allegro_ckpt):
    import ase.io
    from ase import Atoms

    xyz = tmp_path / "cu.extxyz"
    ase.io.write(xyz, Atoms("Cu2", positions=[[0, 0, 0], [2.5, 0, 0]], cell=[8, 8, 8], pbc=True))
    code, err = _run(capsys, allegro_ckpt, "-o", tmp_path / "m.onnx", "--check-structures", xyz)
    _assert_one_line_error(code, err, "['Cu']", "does not know")
    assert not (tmp_path / "m.onnx").exists()


def test_unsupported_architecture():
    """A nequip model without Allegro or NequIP message-passing layers (ZBL pair potential only)."""
    from nequip.model import ZBLPairPotential
    from nequip.utils.global_state import set_global_state

    set_global_state()
    model = ZBLPairPotential(
        seed=1, model_dtype="float64", type_names=["Li", "S"], r_max=4.0, units="metal", chemical_species=["Li", "S"]
    )
    with pytest.raises(ExportError, match="unsupported architecture"):
        loader.describe(model, "zbl.ckpt")


class _EigModel(torch.nn.Module):
    """Energy model using an eigen-decomposition, which torch.onnx cannot express."""

    def forward(self, data):
        from nequip.data import AtomicDataDict

        v = data[AtomicDataDict.EDGE_VECTORS_KEY]
        m = v.T @ v
        w = torch.linalg.eigvalsh(m + torch.eye(3, dtype=v.dtype))
        n = data[AtomicDataDict.ATOM_TYPE_KEY].shape[0]
        e = (w.sum() / n) * torch.ones(n, 1, dtype=v.dtype)
        return {AtomicDataDict.PER_ATOM_ENERGY_KEY: e}


def test_unsupported_operator(tmp_path):
    info = loader.ModelInfo(
        source="eig.ckpt",
        architecture="allegro",
        species=("Li", "S"),
        r_max=4.0,
        per_edge_type_cutoff=None,
        hops=1,
        model_dtype=torch.float64,
    )
    with pytest.raises(ExportError) as exc:
        graph.to_onnx(_EigModel(), info, torch.float64, tmp_path / "m.onnx")
    msg = str(exc.value)
    assert "\n" not in msg
    assert "cannot express" in msg or "cannot capture" in msg
    assert not (tmp_path / "m.onnx").exists()
