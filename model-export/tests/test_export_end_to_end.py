"""CI end-to-end: train a few steps (nequip-train), export, and check against nequip's calculator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest

from interphase_export import check, structures, tiny
from interphase_export.graph import edge_graph

SPECIES = ["Li", "P", "S", "Cl"]


def _cli() -> str:
    return str(Path(sys.executable).with_name("interphase-export"))


def test_console_script_exports_packaged_allegro_float32(allegro_ckpt, tmp_path_factory, tmp_path):
    """A nequip-package'd model (.nequip.zip, as the default model is delivered) through the console script."""
    package = tiny.package(allegro_ckpt, tmp_path_factory.mktemp("pkg") / "allegro.nequip.zip")
    out = tmp_path / "allegro.f32.onnx"
    proc = subprocess.run([_cli(), str(package), "-o", str(out), "--dtype", "float32"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "check passed" in proc.stdout
    model = onnx.load(str(out))
    assert model.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    ref = check.nequip_reference(structures.rattled(structures.argyrodite(), 0.05, 7), check.nequip_calculator(str(package)))
    got = check.OnnxPotential(out).evaluate(structures.rattled(structures.argyrodite(), 0.05, 7))
    assert abs(got.energy - ref.energy) < 1e-4
    assert np.abs(got.forces - ref.forces).max() < 1e-4
    assert [p.name for p in tmp_path.iterdir()] == ["allegro.f32.onnx"]  # no temp file left


@pytest.mark.parametrize("name, hops", [("allegro", 1), ("nequip", 2)])
def test_contract_signature_and_metadata(exported, name, hops):
    model = onnx.load(str(exported[name]))
    onnx.checker.check_model(model)
    assert model.opset_import[0].version >= 17
    meta = {p.key: p.value for p in model.metadata_props}
    assert meta["interphase.contract"] == "1"
    assert meta["interphase.species"] == "Li P S Cl"
    assert float(meta["interphase.r_max"]) == 4.0
    assert meta["interphase.hops"] == str(hops)
    assert meta["interphase.nequip_version"] == "0.19.1"
    # ONNX Runtime's measured peak memory per edge, which sizes pair_style onnx's default chunks
    assert 100 < float(meta["interphase.activation_bytes_per_edge"]) < 1e7
    inputs = {i.name: i for i in model.graph.input}
    expected = ["edge_vectors", "edge_index", "atom_types"] + (["node_energy_mask"] if hops > 1 else [])
    assert [i.name for i in model.graph.input] == expected
    assert [o.name for o in model.graph.output] == ["atomic_energy", "edge_forces", "node_latent"]
    latent = model.graph.output[2].type.tensor_type
    width = int(meta["interphase.node_latent"])
    assert [d.dim_param or d.dim_value for d in latent.shape.dim] == ["N", width] and width > 0
    assert meta["interphase.node_latent_source"]
    ev = inputs["edge_vectors"].type.tensor_type
    assert ev.elem_type == onnx.TensorProto.DOUBLE
    assert [d.dim_param or d.dim_value for d in ev.shape.dim] == ["E", 3]
    ei = inputs["edge_index"].type.tensor_type
    assert ei.elem_type == onnx.TensorProto.INT64
    assert [d.dim_param or d.dim_value for d in ei.shape.dim] == [2, "E"]
    assert [d.dim_param or d.dim_value for d in inputs["atom_types"].type.tensor_type.shape.dim] == ["N"]
    if name == "allegro":
        # the tiny Allegro uses a 3.0 A S-P cutoff (row S = index 2, column P = index 1) inside r_max 4.0
        cut = np.array(meta["interphase.per_edge_type_cutoff"].split(), dtype=float).reshape(4, 4)
        assert cut[2, 1] == 3.0 and cut[1, 2] == 4.0 and cut.max() == 4.0
    else:
        assert "interphase.per_edge_type_cutoff" not in meta


@pytest.mark.parametrize("name", ["allegro", "nequip"])
@pytest.mark.parametrize(
    "structure",
    ["interface", "triclinic", "cluster", "strained"],
)
def test_onnx_matches_nequip_calculator(exported, allegro_ckpt, nequip_ckpt, name, structure):
    """Structures the export check did not use: energy, per-atom energy, forces and virial to 1e-10."""
    atoms = {
        "interface": lambda: structures.rattled(structures.interface(), 0.05, 1),
        "triclinic": lambda: structures.rattled(structures.triclinic_li2s(), 0.05, 2),
        "cluster": lambda: structures.cluster(),
        "strained": lambda: structures.strained(structures.argyrodite(), (0.02, -0.01, 0.03)),
    }[structure]()
    ckpt = {"allegro": allegro_ckpt, "nequip": nequip_ckpt}[name]
    ref = check.nequip_reference(atoms, check.nequip_calculator(str(ckpt)))
    got = check.OnnxPotential(exported[name]).evaluate(atoms)
    assert np.isfinite(got.energy)
    assert abs(got.energy - ref.energy) < 1e-10 * max(1.0, len(atoms) / 10)
    np.testing.assert_allclose(got.energies, ref.energies, rtol=0, atol=1e-10)
    np.testing.assert_allclose(got.forces, ref.forces, rtol=0, atol=1e-10)
    if ref.virial is not None:
        np.testing.assert_allclose(got.virial, ref.virial, rtol=0, atol=1e-9)
    assert np.abs(ref.forces).max() > 1e-3  # the model is not trivially zero


def _ghosted(atoms, shell: float):
    """Local atoms + explicit periodic images within `shell` of any local atom (like a LAMMPS ghost shell)."""
    cell = atoms.cell.array
    widths = atoms.cell.volume / np.linalg.norm(np.cross(cell[[1, 2, 0]], cell[[2, 0, 1]]), axis=1)
    reps = [int(np.ceil(shell / w)) for w in widths]
    pos, owner = [atoms.positions], [np.arange(len(atoms))]
    for a in range(-reps[0], reps[0] + 1):
        for b in range(-reps[1], reps[1] + 1):
            for c in range(-reps[2], reps[2] + 1):
                if a == b == c == 0:
                    continue
                p = atoms.positions + np.array([a, b, c]) @ cell
                d = np.linalg.norm(p[:, None, :] - atoms.positions[None, :, :], axis=2).min(axis=1)
                keep = d <= shell
                pos.append(p[keep])
                owner.append(np.arange(len(atoms))[keep])
    from ase import Atoms

    owner = np.concatenate(owner)
    pos = np.concatenate(pos)
    pos -= pos.min(axis=0) - 1.0
    big = Atoms(
        symbols=[atoms.get_chemical_symbols()[k] for k in owner],
        positions=pos,
        pbc=False,
        cell=np.diag(pos.max(axis=0) + 1.0),
    )
    return big, owner


def test_node_energy_mask_gives_exact_forces_with_ghost_shell(exported, nequip_ckpt):
    """C3: with mask 1 on local atoms and 0 on a hops*r_max ghost shell, summed edge forces are exact."""
    atoms = structures.rattled(structures.argyrodite(), 0.05, 3)
    pot = check.OnnxPotential(exported["nequip"])
    assert "node_energy_mask" in pot.inputs
    big, owner = _ghosted(atoms, 2 * pot.r_max + 0.5)
    n_local = len(atoms)
    index, vectors = edge_graph(big, pot.r_max)
    types = np.array([SPECIES.index(s) for s in big.get_chemical_symbols()], dtype=np.int64)
    mask = np.zeros(len(big))
    mask[:n_local] = 1.0
    e, fe = pot.session.run(
        ["atomic_energy", "edge_forces"], {"edge_vectors": vectors, "edge_index": index, "atom_types": types, "node_energy_mask": mask}
    )
    forces_big = np.zeros((len(big), 3))
    np.add.at(forces_big, index[0], fe)
    np.add.at(forces_big, index[1], -fe)
    forces = np.zeros((n_local, 3))
    np.add.at(forces, owner, forces_big)  # reverse communication: ghost forces back to their owners
    ref = check.nequip_reference(atoms, check.nequip_calculator(str(nequip_ckpt)))
    assert abs(e[:n_local].sum() - ref.energy) < 1e-9
    np.testing.assert_allclose(e[:n_local], ref.energies, rtol=0, atol=1e-10)
    np.testing.assert_allclose(forces, ref.forces, rtol=0, atol=1e-10)
    # without the mask (all ones) the ghost energies leak into the forces: the mask matters
    e2, fe2 = pot.session.run(
        ["atomic_energy", "edge_forces"], {"edge_vectors": vectors, "edge_index": index, "atom_types": types, "node_energy_mask": np.ones(len(big))}
    )
    assert np.abs(fe2 - fe).max() > 1e-6


def test_padding_dummy_node_does_not_change_results(exported):
    """C4: one dummy node (species 0, mask 0) with a dummy self-edge at 1.5 r_max leaves real outputs unchanged."""
    atoms = structures.rattled(structures.argyrodite(), 0.05, 5)
    for name in ("allegro", "nequip"):
        pot = check.OnnxPotential(exported[name])
        feeds = pot.feeds(atoms)
        base = pot.session.run(["atomic_energy", "edge_forces"], feeds)
        n = len(atoms)
        padded = dict(feeds)
        padded["atom_types"] = np.append(feeds["atom_types"], 0)
        padded["edge_index"] = np.concatenate([feeds["edge_index"], np.array([[n, n], [n, n]])], axis=1)
        padded["edge_vectors"] = np.concatenate([feeds["edge_vectors"], np.array([[1.5 * pot.r_max, 0, 0]] * 2)])
        if "node_energy_mask" in feeds:
            padded["node_energy_mask"] = np.append(feeds["node_energy_mask"], 0.0)
        out = pot.session.run(["atomic_energy", "edge_forces"], padded)
        np.testing.assert_allclose(out[0][:n], base[0], rtol=0, atol=1e-12)
        np.testing.assert_allclose(out[1][:-2], base[1], rtol=0, atol=1e-12)


def _rotation(seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))
    return q if np.linalg.det(q) > 0 else -q


@pytest.mark.parametrize("name", ["allegro", "nequip"])
def test_node_latent_is_invariant_and_matches_the_torch_model(exported, allegro_ckpt, nequip_ckpt, name):
    """node_latent against the nequip model's own features (eager torch, same edges), and rotation
    invariance: a descriptor for clustering must not depend on the orientation of the cell."""
    import onnxruntime as ort
    import torch
    from nequip.data import AtomicDataDict

    from interphase_export.graph import edge_graph
    from interphase_export.loader import load_energy_model
    from interphase_export.structures import check_structures
    from interphase_export.wrapper import node_latent

    model, info = load_energy_model({"allegro": allegro_ckpt, "nequip": nequip_ckpt}[name])
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1  # ONNX Runtime's ScatterND sums race across intra-op threads
    sess = ort.InferenceSession(str(exported[name]), opts, providers=["CPUExecutionProvider"])
    atoms = check_structures(info.species, info.r_max)["argyrodite-rattled"]
    index, vectors = edge_graph(atoms, info.r_max)
    types = np.array([info.species.index(s) for s in atoms.get_chemical_symbols()], dtype=np.int64)
    feeds = {"edge_vectors": vectors, "edge_index": index, "atom_types": types}
    if info.hops > 1:
        feeds["node_energy_mask"] = np.ones(len(atoms))
    (got,) = sess.run(["node_latent"], feeds)
    out = model({AtomicDataDict.EDGE_VECTORS_KEY: torch.tensor(vectors).requires_grad_(True),
                 AtomicDataDict.EDGE_INDEX_KEY: torch.tensor(index),
                 AtomicDataDict.ATOM_TYPE_KEY: torch.tensor(types)})
    ref = node_latent(out, info.latent, len(atoms), torch.tensor(index)).numpy()
    assert got.shape == ref.shape and ref.shape[1] > 0
    assert np.max(np.abs(got - ref)) < 1e-10 * max(1.0, np.max(np.abs(ref)))
    assert np.max(np.abs(ref)) > 1e-3  # not a trivially zero feature set
    (rotated,) = sess.run(["node_latent"], dict(feeds, edge_vectors=vectors @ _rotation(3).T))
    assert np.max(np.abs(rotated - got)) < 1e-10 * max(1.0, np.max(np.abs(got)))


def test_no_latent_flag_leaves_the_output_out(allegro_ckpt, tmp_path):
    from interphase_export.cli import export

    path = tmp_path / "allegro.nolatent.onnx"
    export(str(allegro_ckpt), str(path), "float64", log=lambda *_: None, latent=False)
    model = onnx.load(str(path))
    assert [o.name for o in model.graph.output] == ["atomic_energy", "edge_forces"]
    assert "interphase.node_latent" not in {p.key for p in model.metadata_props}


def test_float32_model_with_zbl_exports_and_matches_nequip(train_dir, dataset, tmp_path):
    """The default model's v2 shape: float32 weights plus nequip's ZBL core repulsion, whose sums
    run in float64 inside the float32 graph. The exporter's ReduceSum-to-MatMul rewrite once gave
    such a sum a float32 block, and ONNX Runtime refused to load the file; then atomic_energy came
    out in float64, and pair_style onnx refused the file."""
    from interphase_export.cli import export

    ckpt = tiny.train(train_dir, "allegro-zbl-f32", dataset, epochs=1)
    calc = check.nequip_calculator(str(ckpt))
    # a P-S pair pushed to 1.4 A, where the ZBL term is a large part of the energy and force
    atoms = structures.rattled(structures.argyrodite(), 0.05, 11)
    sym = atoms.get_chemical_symbols()
    p, s = sym.index("P"), sym.index("S")
    d = atoms.get_distance(p, s, mic=True, vector=True)
    atoms.positions[s] = atoms.positions[p] + d * (1.4 / np.linalg.norm(d))
    ref = check.nequip_reference(atoms, calc)
    for dtype in ("float32", "float64"):
        out = tmp_path / f"zbl.{dtype}.onnx"
        export(str(ckpt), str(out), dtype, log=lambda *_: None)
        # the contract: every output in the dtype of edge_vectors (pair_style onnx refuses others)
        graph = onnx.load(str(out)).graph
        want = graph.input[0].type.tensor_type.elem_type
        assert want == (onnx.TensorProto.FLOAT if dtype == "float32" else onnx.TensorProto.DOUBLE)
        assert {o.name: o.type.tensor_type.elem_type for o in graph.output} == {o.name: want for o in graph.output}
        got = check.OnnxPotential(out).evaluate(atoms)
        # the model computes in float32: agreement to float32 rounding of the largest terms
        scale = max(1.0, float(np.abs(ref.forces).max()))
        assert abs(got.energy - ref.energy) < 1e-5 * max(1.0, abs(ref.energy))
        assert np.abs(got.forces - ref.forces).max() < 1e-5 * scale
