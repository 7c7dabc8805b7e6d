"""Contract v2 (interphase-export --contract 2): one graph per message-passing layer.

* The NequIP test checkpoint exported per layer: the exporter's own check against NequIPCalculator
  passes, and composing the stages (layered.LayeredPotential) agrees with the contract-v1 export of
  the same checkpoint.
* The committed NequIP fixture (model-export/fixtures/nequip-tiny/contract-v2) is what the exporter
  writes today: re-exported from its model.ckpt, every stage gives the same outputs.
* The shipped SevenNet-0 per-layer export (models/sevennet-0/): re-exporting one layer from the
  sevenn wheel reproduces the committed graph; every committed layer and VJP agrees with sevenn's own
  modules run eagerly in PyTorch (float32: features of order 1 to 1e-4).
* Bad inputs: --contract 2 for a strictly local Allegro model; an output name without .onnx.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
import torch

from interphase_export import cli, graph, layered, structures

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "model-export" / "fixtures" / "nequip-tiny"
SEVENNET = REPO / "models" / "sevennet-0" / "sevennet-0.f32.onnx"


def _session(path: Path) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1  # ScatterND sums race across threads (docs/native-bridge.md)
    opts.log_severity_level = 3
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def _cell(species, r_max: float, dtype):
    atoms = structures.check_structures(species, r_max)["argyrodite-rattled"]
    index, vectors = graph.edge_graph(atoms, r_max)
    types = np.array([species.index(s) for s in atoms.get_chemical_symbols()], dtype=np.int64)
    return atoms, vectors.astype(dtype), index, types


def test_nequip_layered_export_checks_and_matches_contract_v1(tmp_path, nequip_ckpt, exported):
    out = tmp_path / "nequip.onnx"
    results = layered.export(str(nequip_ckpt), str(out), "float64", log=lambda *_: None)
    assert max(r.worst for r in results) <= 1e-10
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["nequip.layer0.onnx", "nequip.layer0.vjp.onnx", "nequip.layer1.onnx", "nequip.layer1.vjp.onnx",
                     "nequip.onnx", "nequip.readout.onnx"]
    from interphase_export.check import OnnxPotential

    v1 = OnnxPotential(exported["nequip"])
    v2 = layered.LayeredPotential(out)
    for name, atoms in structures.check_structures(v1.species, v1.r_max).items():
        a, b = v1.evaluate(atoms), v2.evaluate(atoms)
        assert np.max(np.abs(a.forces)) > 1e-3, name
        assert np.max(np.abs(a.forces - b.forces)) <= 1e-12, name
        assert np.max(np.abs(a.energies - b.energies)) <= 1e-12, name


def test_committed_nequip_fixture_is_what_the_exporter_writes(tmp_path):
    manifest = FIXTURE / "contract-v2" / "nequip-tiny.f64.onnx"
    out = tmp_path / "nequip-tiny.f64.onnx"
    layered.export(str(FIXTURE / "model.ckpt"), str(out), "float64", log=lambda *_: None)
    for committed in sorted(manifest.parent.glob("nequip-tiny.f64*.onnx")):
        fresh, old = _session(out.with_name(committed.name)), _session(committed)
        rng = np.random.default_rng(3)
        feeds = {}
        for i in old.get_inputs():
            shape = [d if isinstance(d, int) else {"N": 30, "E": 200}[d] for d in i.shape]
            if i.name == "edge_index":
                feeds[i.name] = rng.integers(0, 30, size=shape).astype(np.int64)
            elif i.name == "atom_types":
                feeds[i.name] = rng.integers(0, 4, size=shape).astype(np.int64)
            else:
                feeds[i.name] = rng.normal(size=shape) * (1.5 if i.name == "edge_vectors" else 1.0)
        for a, b in zip(fresh.run(None, feeds), old.run(None, feeds)):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, err_msg=committed.name)


@pytest.fixture(scope="module")
def sevennet_stages():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from interphase_export import sevennet

    # SevenNet-0 is a float32 model; the nequip tests of this session leave float64 as the default
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float32)
    try:
        adapter = sevennet.SevenNetAdapter()
        model = adapter.load("sevennet:7net-0")
        info = adapter.describe(model, "sevennet:7net-0")
        yield info, adapter.stages(model, info)
    finally:
        torch.set_default_dtype(previous)


def test_committed_sevennet_layers_match_sevenn(sevennet_stages):
    info, stages = sevennet_stages
    assert SEVENNET.is_file(), f"{SEVENNET} is missing (models/README.md says how to export it)"
    meta = _session(SEVENNET).get_modelmeta().custom_metadata_map
    assert meta["interphase.contract"] == "2" and meta["interphase.hops"] == "5"
    files = meta["interphase.layer_graphs"].split()
    atoms, ev, ei, types = _cell(list(info.species), info.r_max, np.float32)
    t_ev, t_ei, t_types = torch.tensor(ev), torch.tensor(ei), torch.tensor(types)
    with torch.no_grad():
        h = stages.embed(t_types)
    (h_onnx,) = _session(SEVENNET).run(None, {"atom_types": types})
    np.testing.assert_allclose(h_onnx, h.numpy(), rtol=0, atol=1e-5)
    rng = np.random.default_rng(7)
    for k, layer in enumerate(stages.layers):
        feeds = {"node_features": h.numpy(), "edge_vectors": ev, "edge_index": ei, "atom_types": types}
        with torch.no_grad():
            ref = layer(h, t_ev, t_ei, t_types)
        (got,) = _session(SEVENNET.with_name(files[2 * k])).run(None, feeds)
        scale = float(np.max(np.abs(ref.numpy())))
        assert scale > 1e-2
        np.testing.assert_allclose(got, ref.numpy(), rtol=0, atol=1e-4 * max(1.0, scale), err_msg=f"layer {k}")
        g = rng.normal(size=ref.shape).astype(np.float32)
        gh, gev = layered.LayerVJP(layer)(h, t_ev, t_ei, t_types, torch.tensor(g))
        got_gh, got_gev = _session(SEVENNET.with_name(files[2 * k + 1])).run(
            None, {**feeds, "grad_node_features_out": g})
        for a, b, what in ((got_gh, gh, "grad_node_features"), (got_gev, gev, "edge_forces")):
            s = float(np.max(np.abs(b.numpy())))
            np.testing.assert_allclose(a, b.numpy(), rtol=0, atol=1e-4 * max(1.0, s), err_msg=f"layer {k} {what}")
        h = ref


def test_reexported_sevennet_layer_reproduces_the_committed_graph(tmp_path, sevennet_stages):
    info, stages = sevennet_stages
    k = len(stages.layers) - 1  # the last layer (480 -> 128 features): the cheapest to trace
    atoms, ev, ei, types = _cell(list(info.species), info.r_max, np.float32)
    t_ev, t_ei, t_types = torch.tensor(ev), torch.tensor(ei), torch.tensor(types)
    h = torch.tensor(np.random.default_rng(1).normal(size=(len(types), 480)).astype(np.float32))
    proto = layered._export_stage(stages.layers[k], (h, t_ev, t_ei, t_types), layered.LAYER_IO, info,
                                  torch.float32, stages.trace_context, f"layer {k}")
    fresh = tmp_path / "layer.onnx"
    import onnx

    onnx.save_model(proto, str(fresh))
    meta = _session(SEVENNET).get_modelmeta().custom_metadata_map
    committed = SEVENNET.with_name(meta["interphase.layer_graphs"].split()[2 * k])
    feeds = {"node_features": h.numpy(), "edge_vectors": ev, "edge_index": ei, "atom_types": types}
    (a,) = _session(fresh).run(None, feeds)
    (b,) = _session(committed).run(None, feeds)
    # the same float32 graph up to operation order: after nequip has set its global state in the same
    # process the trace differs in summation order (seen: 4e-6 on features of 4, i.e. ~30 ulp); a wrong
    # or different layer differs by O(1)
    scale = float(np.max(np.abs(b)))
    assert scale > 1e-2
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-5 * max(1.0, scale))


def test_contract_2_refuses_a_strictly_local_model(capsys, tmp_path, allegro_ckpt):
    rc = cli.main([str(allegro_ckpt), "--contract", "2", "-o", str(tmp_path / "a.onnx")])
    err = capsys.readouterr().err.strip()
    assert rc != 0 and len(err.splitlines()) == 1
    assert "--contract 2 is for message-passing models" in err and "contract 1" in err, err
    assert not list(tmp_path.iterdir())


def test_contract_2_output_must_be_an_onnx_file(capsys, tmp_path, nequip_ckpt):
    rc = cli.main([str(nequip_ckpt), "--contract", "2", "-o", str(tmp_path / "model")])
    err = capsys.readouterr().err.strip()
    assert rc != 0 and "must end in .onnx" in err, err
    assert not list(tmp_path.iterdir())
