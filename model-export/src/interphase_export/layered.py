"""Contract v2: a message-passing model as one graph per stage, so LAMMPS can exchange node features
between the layers (docs/model-contract.md, *Contract v2*).

A model of K message-passing layers becomes 2K + 2 ONNX files next to each other:

* ``X.onnx``: the embedding, ``atom_types [N] -> node_features [N, F0]``, carrying the metadata;
* ``X.layerK.onnx``: layer k, ``(node_features [N, Fk], edge_vectors, edge_index, atom_types) ->
  node_features_out [N, Fk+1]``; only the rows of nodes whose edges are all in the graph are right;
* ``X.layerK.vjp.onnx``: its vector-Jacobian product, the same inputs plus
  ``grad_node_features_out [N, Fk+1] -> grad_node_features [N, Fk], edge_forces [E, 3]``;
* ``X.readout.onnx``: ``(node_features [N, FK], atom_types) -> atomic_energy [N],
  grad_node_features [N, FK]`` (the gradient of the sum of the atomic energies).

Each layer graph recomputes the edge embeddings (spherical harmonics, radial basis) from the edge
vectors, so the files are independent and every stage is strictly local to one edge hop.
An adapter provides the split through ``stages(model, info)`` (``Stages``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence

import numpy as np
import onnx
import torch
from torch.fx.experimental.proxy_tensor import make_fx

from . import graph, structures
from .adapters import ModelInfo, quiet
from .errors import CheckFailed, ExportError, first_line

CONTRACT = "2"
KEY_LAYER_GRAPHS = "interphase.layer_graphs"
KEY_READOUT_GRAPH = "interphase.readout_graph"
KEY_FEATURE_WIDTHS = "interphase.feature_widths"

EMBED_IO = (("atom_types",), ("node_features",))
LAYER_IO = (("node_features", "edge_vectors", "edge_index", "atom_types"), ("node_features_out",))
VJP_IO = (
    ("node_features", "edge_vectors", "edge_index", "atom_types", "grad_node_features_out"),
    ("grad_node_features", "edge_forces"),
)
READOUT_IO = (("node_features", "atom_types"), ("atomic_energy", "grad_node_features"))


@dataclass(frozen=True)
class Stages:
    """A message-passing model cut at its layers (what an adapter's ``stages`` returns).

    embed: (atom_types [N]) -> node_features [N, F0];
    layers[k]: (node_features [N, Fk], edge_vectors [E, 3], edge_index [2, E], atom_types [N]) -> [N, Fk+1],
      where the output row of node i is exact when every edge (i, j) is in the graph;
    readout: (node_features [N, FK], atom_types [N]) -> atomic_energy [N].
    """

    embed: torch.nn.Module
    layers: tuple[torch.nn.Module, ...]
    readout: torch.nn.Module
    trace_context: Optional[Callable] = None  # a context manager tracing runs in (adapters.py)


class LayerVJP(torch.nn.Module):
    """(layer inputs, grad_out) -> (grad wrt node_features, grad wrt edge_vectors): one layer's backward."""

    def __init__(self, layer: torch.nn.Module):
        super().__init__()
        self.layer = layer

    def forward(self, node_features, edge_vectors, edge_index, atom_types, grad_node_features_out):
        h = node_features.detach().requires_grad_(True)
        ev = edge_vectors.detach().requires_grad_(True)
        out = self.layer(h, ev, edge_index, atom_types)
        gh, gev = torch.autograd.grad([out], [h, ev], grad_outputs=[grad_node_features_out], allow_unused=True)
        if gh is None:
            gh = torch.zeros_like(h)
        if gev is None:
            gev = torch.zeros_like(ev)
        return gh, gev


class ReadoutGrad(torch.nn.Module):
    """(node_features, atom_types) -> (atomic_energy, d sum(atomic_energy) / d node_features)."""

    def __init__(self, readout: torch.nn.Module):
        super().__init__()
        self.readout = readout

    def forward(self, node_features, atom_types):
        h = node_features.detach().requires_grad_(True)
        e = self.readout(h, atom_types).reshape(-1)
        (gh,) = torch.autograd.grad([e.sum()], [h])
        return e, gh


def stage_files(output: Path, layers: int) -> tuple[list[Path], Path]:
    """The layer graph files (forward, VJP per layer) and the readout file of manifest `output`."""
    stem = output.name[: -len(".onnx")] if output.name.endswith(".onnx") else output.name
    files = []
    for k in range(layers):
        files += [output.with_name(f"{stem}.layer{k}.onnx"), output.with_name(f"{stem}.layer{k}.vjp.onnx")]
    return files, output.with_name(f"{stem}.readout.onnx")


def _example(info: ModelInfo, dtype: torch.dtype):
    atoms = structures.random_structure(info.species, 24, info.r_max, True, False, seed=11)
    index, vectors = graph.edge_graph(atoms, info.r_max)
    types = np.array([info.species.index(s) for s in atoms.get_chemical_symbols()], dtype=np.int64)
    return torch.tensor(vectors, dtype=dtype), torch.tensor(index), torch.tensor(types)


def _trace(module: torch.nn.Module, args: Sequence[torch.Tensor], hook) -> torch.fx.GraphModule:
    from torch._decomp import core_aten_decompositions

    table = dict(core_aten_decompositions())
    table[torch.ops.aten.silu_backward.default] = graph._silu_backward
    with graph._no_duck_shapes(), (hook() if hook else contextlib.nullcontext()):
        return make_fx(module, decomposition_table=table, tracing_mode="symbolic", _allow_non_fake_inputs=True)(*args)


_DIMS = {
    "atom_types": (0, "N"),
    "node_features": (0, "N"),
    "grad_node_features_out": (0, "N"),
    "edge_vectors": (0, "E"),
    "edge_index": (1, "E"),
}


def _export_stage(
    module: torch.nn.Module, args: Sequence[torch.Tensor], io: tuple, info: ModelInfo, dtype: torch.dtype, hook, what: str
) -> onnx.ModelProto:
    """Trace one stage with symbolic N and E, convert it to ONNX and apply the exporter's rewrites."""
    inputs, outputs = io
    try:
        gm = _trace(module, args, hook)
    except Exception as exc:
        raise ExportError(
            f"cannot trace the {what} ({type(exc).__name__}: {first_line(exc)}): the model uses an operation make_fx cannot capture"
        ) from exc
    graph.retarget_dtype(gm, info.model_dtype, dtype)
    if dtype == torch.float64:
        graph.promote_float_scalars(gm, dtype)
    gm.eval()
    cast = tuple(a.to(dtype) if a.is_floating_point() else a for a in args)
    n_dim = torch.export.Dim("N", min=1)
    e_dim = torch.export.Dim("E", min=1)
    dims = tuple({_DIMS[n][0]: (n_dim if _DIMS[n][1] == "N" else e_dim)} for n in inputs)
    try:
        with quiet(stderr=True):
            program = torch.onnx.export(
                gm, cast, dynamo=True, input_names=list(inputs), output_names=list(outputs),
                dynamic_shapes=dims, opset_version=graph.OPSET, optimize=True, verify=False,
            )
    except Exception as exc:
        raise ExportError(
            f"ONNX conversion of the {what} failed ({type(exc).__name__}: {first_line(exc)}): the model uses an operator torch.onnx cannot express"
        ) from exc
    proto = program.model_proto
    _name_dims(proto)
    graph.batched_contractions_to_matmul(proto)
    graph.reductions_to_matmul(proto)
    graph.scatter_rows_to_scatter_nd(proto)
    graph.elementwise_shortcuts(proto)
    if dtype == torch.float64:
        graph.sigmoid_via_exp(proto)
        graph.block_matmul_scale_fusion(proto)
    graph.drop_unused_initializers(proto)
    proto.producer_name = "interphase-export"
    return proto


def _name_dims(proto: onnx.ModelProto) -> None:
    """Symbolic dims of the inputs/outputs named N (nodes) and E (edges)."""
    mapping: dict[str, str] = {}
    for vi in proto.graph.input:
        if vi.name in _DIMS:
            axis, label = _DIMS[vi.name]
            d = vi.type.tensor_type.shape.dim[axis]
            if d.dim_param:
                mapping[d.dim_param] = label
    for vi in list(proto.graph.input) + list(proto.graph.output):
        for d in vi.type.tensor_type.shape.dim:
            if d.dim_param in mapping:
                d.dim_param = mapping[d.dim_param]


def _metadata(info: ModelInfo, widths: Sequence[int], layer_files: Sequence[Path], readout: Path) -> dict[str, str]:
    props = graph.base_metadata(info, CONTRACT)
    props[KEY_FEATURE_WIDTHS] = " ".join(str(w) for w in widths)
    props[KEY_LAYER_GRAPHS] = " ".join(p.name for p in layer_files)
    props[KEY_READOUT_GRAPH] = readout.name
    return props


def export_stages(
    stages: Stages, info: ModelInfo, dtype: torch.dtype, output: Path, hook=None
) -> tuple[list[Path], list[int]]:
    """Writes the 2K + 2 graphs of `stages` (the manifest `output` last); returns the files and widths."""
    ev, ei, types = _example(info, info.model_dtype)
    with torch.no_grad():
        h = stages.embed(types)
        features = [h]
        for layer in stages.layers:
            h = layer(h, ev, ei, types)
            features.append(h)
    widths = [int(f.shape[1]) for f in features]
    layer_files, readout_file = stage_files(output, len(stages.layers))
    written: list[Path] = []
    for k, layer in enumerate(stages.layers):
        fwd = _export_stage(layer, (features[k], ev, ei, types), LAYER_IO, info, dtype, hook, f"layer {k}")
        g = torch.randn(features[k + 1].shape, dtype=info.model_dtype, generator=torch.Generator().manual_seed(k))
        vjp = _export_stage(LayerVJP(layer), (features[k], ev, ei, types, g), VJP_IO, info, dtype, hook, f"layer {k} VJP")
        for proto, path in ((fwd, layer_files[2 * k]), (vjp, layer_files[2 * k + 1])):
            onnx.save_model(proto, str(path))
            written.append(path)
    ro = _export_stage(ReadoutGrad(stages.readout), (features[-1], types), READOUT_IO, info, dtype, hook, "readout")
    onnx.save_model(ro, str(readout_file))
    written.append(readout_file)
    emb = _export_stage(stages.embed, (types,), EMBED_IO, info, dtype, hook, "embedding")
    del emb.metadata_props[:]
    for k, v in _metadata(info, widths, layer_files, readout_file).items():
        entry = emb.metadata_props.add()
        entry.key, entry.value = k, v
    onnx.save_model(emb, str(output))
    written.append(output)
    return written, widths


class LayeredPotential:
    """Evaluates a contract-v2 model on ASE Atoms (one process, images folded: the reference of the
    export check and of the tests): embed, layers forward, readout, then the VJPs backward."""

    def __init__(self, manifest: Path):
        import onnxruntime as ort

        def session(path: Path):
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = 1  # ScatterND sums race across threads (docs/native-bridge.md)
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3
            return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

        manifest = Path(manifest)
        self.embed = session(manifest)
        meta = self.embed.get_modelmeta().custom_metadata_map
        if meta.get("interphase.contract") != CONTRACT:
            raise ValueError(f"{manifest} is not a contract v2 model")
        self.species = meta["interphase.species"].split()
        self.r_max = float(meta["interphase.r_max"])
        files = meta[KEY_LAYER_GRAPHS].split()
        self.layers = [(session(manifest.with_name(files[2 * k])), session(manifest.with_name(files[2 * k + 1])))
                       for k in range(len(files) // 2)]
        self.readout = session(manifest.with_name(meta[KEY_READOUT_GRAPH]))
        self.dtype = np.float64 if self.embed.get_outputs()[0].type == "tensor(double)" else np.float32

    def evaluate(self, atoms):
        from .check import assemble

        index, vectors = graph.edge_graph(atoms, self.r_max)
        types = np.array([self.species.index(s) for s in atoms.get_chemical_symbols()], dtype=np.int64)
        ev = vectors.astype(self.dtype)
        (h,) = self.embed.run(None, {"atom_types": types})
        hs = [h]
        for fwd, _ in self.layers:
            (h,) = fwd.run(None, {"node_features": h, "edge_vectors": ev, "edge_index": index, "atom_types": types})
            hs.append(h)
        energy, g = self.readout.run(None, {"node_features": h, "atom_types": types})
        edge_forces = np.zeros(ev.shape, dtype=np.float64)
        for k in range(len(self.layers) - 1, -1, -1):
            g, gev = self.layers[k][1].run(None, {"node_features": hs[k], "edge_vectors": ev, "edge_index": index,
                                                  "atom_types": types, "grad_node_features_out": g})
            edge_forces += gev
        return assemble(atoms, index, vectors, energy, edge_forces)


def export(
    source: str,
    output: str,
    dtype: str = "float64",
    check_files: Sequence[str] = (),
    tolerance: Optional[float] = None,
    log: Callable[[str], None] = print,
) -> list:
    """interphase-export --contract 2: write the stage graphs, check them against the model's own
    calculator, and move them into place only if the check passes."""
    from . import adapters, check, memory
    from .cli import TOLERANCE, _read_structures

    out_path = Path(output)
    if not out_path.name.endswith(".onnx"):
        raise ExportError(f"output {output} must end in .onnx (the manifest; the layer graphs are written next to it)")
    if out_path.is_dir() or not out_path.parent.exists():
        raise ExportError(f"output folder {out_path.parent} does not exist or {output} is a directory: pass a file name such as model.onnx")
    adapter = adapters.adapter_for(source)
    model = adapter.load(source)
    info = adapter.describe(model, source)
    split = getattr(adapter, "stages", None)
    if info.hops < 2 or split is None:
        raise ExportError(
            f"--contract 2 is for message-passing models (hops > 1); {source} is {info.architecture} with hops "
            f"{info.hops}: export it with the default contract 1"
        )
    stages = split(model, info)
    tol = tolerance if tolerance is not None else (
        TOLERANCE["float32"] if info.model_dtype == torch.float32 else TOLERANCE[dtype])
    log(f"loaded {info.architecture} model: species {' '.join(info.species)}, r_max {info.r_max} A, "
        f"{info.hops} layers (contract v2: one graph per layer)")
    sample = structures.check_structures(info.species, info.r_max)
    sample.update(_read_structures(check_files, info.species))
    tmp_dir = Path(tempfile.mkdtemp(prefix=".interphase-export-", dir=str(out_path.parent)))
    try:
        tmp_manifest = tmp_dir / out_path.name
        torch_dtype = {"float64": torch.float64, "float32": torch.float32}[dtype]
        written, widths = export_stages(stages, info, torch_dtype, tmp_manifest, stages.trace_context)
        log(f"exported {dtype} graphs: embedding, {info.hops} layers (+ VJP), readout; feature widths "
            f"{' '.join(map(str, widths))}")
        pot = LayeredPotential(tmp_manifest)
        calc = adapter.calculator(source)
        results = [check.compare(name, atoms, check.nequip_reference(atoms, calc), pot.evaluate(atoms))
                   for name, atoms in sample.items()]
        for r in results:
            log(f"  check {r.structure:<24s} N={r.natoms:<4d} |dE|={r.d_energy:.2e} max|de_i|={r.d_energies:.2e} "
                f"max|dF|={r.d_forces:.2e} max|dW|={r.d_virial:.2e}")
        worst = max(results, key=lambda r: r.worst)
        if not worst.worst <= tol:
            raise CheckFailed(
                f"export check failed: the layer graphs differ from the model by {worst.worst:.3e} on '{worst.structure}' "
                f"(tolerance {tol:.0e}); no model written - report this model/operator combination"
            )
        per_edge = memory.stamp(tmp_manifest)
        log(f"  ONNX Runtime peak memory {per_edge:g} bytes per edge (largest layer VJP, {memory.KEY})")
        umask = os.umask(0)
        os.umask(umask)
        for path in written:
            os.chmod(path, 0o666 & ~umask)
            os.replace(path, out_path.with_name(path.name))
        log(f"wrote {out_path} and {len(written) - 1} layer/readout graphs next to it "
            f"(check passed: max deviation {worst.worst:.2e} <= {tol:.0e})")
        return results
    finally:
        for p in tmp_dir.glob("*"):
            p.unlink()
        tmp_dir.rmdir()
