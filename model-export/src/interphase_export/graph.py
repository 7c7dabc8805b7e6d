"""Trace energy + autograd forces into one flat graph and convert it to ONNX (contract v1)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import onnx
import torch
from torch.fx.experimental.proxy_tensor import make_fx

from . import __version__, structures
from .adapters import ModelInfo, quiet
from .errors import ExportError, first_line
from .wrapper import EdgeEnergyForces

INPUTS = ("edge_vectors", "edge_index", "atom_types", "node_energy_mask")
OUTPUTS = ("atomic_energy", "edge_forces")
LATENT_OUTPUT = "node_latent"  # optional third output: invariant per-atom latent features [N, F]
OPSET = 18


def edge_graph(atoms, r_max: float) -> tuple[np.ndarray, np.ndarray]:
    """Full (both directions) neighbour list within r_max: edge_index [2,E], edge_vectors r_j - r_i [E,3]."""
    from ase.neighborlist import primitive_neighbor_list

    i, j, d = primitive_neighbor_list("ijD", atoms.pbc, atoms.cell.array, atoms.positions, r_max)
    return np.stack([i, j]).astype(np.int64), np.ascontiguousarray(d, dtype=np.float64)


def example_inputs(info: ModelInfo, dtype: torch.dtype, with_mask: bool) -> list[torch.Tensor]:
    atoms = structures.random_structure(info.species, 24, info.r_max, True, False, seed=11)
    index, vectors = edge_graph(atoms, info.r_max)
    types = np.array([info.species.index(s) for s in atoms.get_chemical_symbols()], dtype=np.int64)
    args = [torch.tensor(vectors, dtype=dtype), torch.tensor(index), torch.tensor(types)]
    if with_mask:
        args.append(torch.ones(len(atoms), dtype=dtype))
    return args


@contextlib.contextmanager
def _no_duck_shapes():
    # Without this, a dynamic size equal to a static one (e.g. 16 atoms and 16 features) is specialised.
    cfg = torch.fx.experimental._config
    old = cfg.use_duck_shape
    cfg.use_duck_shape = False
    try:
        yield
    finally:
        cfg.use_duck_shape = old


def _silu_backward(grad_output, x):
    sig = torch.sigmoid(x)
    return grad_output * sig * (1 + x * (1 - sig))


def trace(model: torch.nn.Module, info: ModelInfo, with_mask: bool, latent: bool = False) -> torch.fx.GraphModule:
    """make_fx over forward + torch.autograd.grad: one flat aten graph with symbolic N and E."""
    from torch._decomp import core_aten_decompositions

    table = dict(core_aten_decompositions())
    table[torch.ops.aten.silu_backward.default] = _silu_backward
    wrapper = EdgeEnergyForces(model, with_mask, info.latent if latent else None)
    args = example_inputs(info, info.model_dtype, with_mask)
    hook = getattr(model, "trace_context", None)
    with _no_duck_shapes(), (hook() if hook else contextlib.nullcontext()):
        gm = make_fx(
            wrapper,
            decomposition_table=table,
            tracing_mode="symbolic",
            _allow_non_fake_inputs=True,
        )(*args)
    return gm


_SCALAR_TO_TENSOR_OVERLOAD = {"Scalar": "Tensor", "Tensor_Scalar": "Tensor_Tensor", "default": "Tensor"}


def _const_attr(gm: torch.fx.GraphModule, value: torch.Tensor, counter: list[int]) -> str:
    name = f"_iph_const_{counter[0]}"
    counter[0] += 1
    gm.register_buffer(name, value)
    return name


def promote_float_scalars(gm: torch.fx.GraphModule, dtype: torch.dtype) -> None:
    """Turn Python float constants of float ops into `dtype` tensor constants.

    torch.onnx's translator materialises untyped Python floats as float32 Constants (then CastLike),
    which rounds e.g. pi and sqrt(3) to float32 precision inside a float64 graph (~1e-8 errors).
    """
    counter = [0]
    graph = gm.graph
    for node in list(graph.nodes):
        if node.op != "call_function" or not isinstance(node.target, torch._ops.OpOverload):
            continue
        schema = node.target._schema
        floats = [
            k for k, a in enumerate(node.args) if isinstance(a, float) and float(np.float32(a)) != a
        ]
        if not floats:
            continue
        target = node.target
        arg_types = [str(a.type) for a in schema.arguments]
        needs_tensor = any(k < len(arg_types) and arg_types[k] != "Tensor" for k in floats)
        if needs_tensor:
            alt = _SCALAR_TO_TENSOR_OVERLOAD.get(target._overloadname)
            packet = target.overloadpacket
            if alt is None or not hasattr(packet, alt):
                continue  # leave as is (e.g. clamp(min=1e-12)): only a guard value
            candidate = getattr(packet, alt)
            cand_types = [str(a.type) for a in candidate._schema.arguments]
            if any(k >= len(cand_types) or "Tensor" not in cand_types[k] for k in floats):
                continue
            target = candidate
        new_args = list(node.args)
        with graph.inserting_before(node):
            for k in floats:
                name = _const_attr(gm, torch.tensor(node.args[k], dtype=dtype), counter)
                new_args[k] = graph.get_attr(name)
        node.args = tuple(new_args)
        node.target = target
    graph.lint()
    gm.recompile()


def retarget_dtype(gm: torch.fx.GraphModule, src: torch.dtype, dst: torch.dtype) -> None:
    """Rewrite a traced graph from float dtype `src` to `dst` (constants, dtype arguments)."""
    if src == dst:
        return
    for name, buf in list(gm.named_buffers()) + list(gm.named_parameters()):
        if buf.dtype == src:
            _set_attr(gm, name, buf.detach().to(dst))
    for node in gm.graph.nodes:
        if node.op == "get_attr":
            val = _get_attr(gm, node.target)
            if isinstance(val, torch.Tensor) and val.dtype == src:
                _set_attr(gm, node.target, val.detach().to(dst))
        node.args = tuple(dst if a is src else a for a in node.args)
        node.kwargs = {k: (dst if v is src else v) for k, v in node.kwargs.items()}
    gm.recompile()


def _get_attr(gm: torch.nn.Module, target: str):
    obj = gm
    for part in target.split("."):
        obj = getattr(obj, part)
    return obj


def _set_attr(gm: torch.nn.Module, target: str, value: torch.Tensor) -> None:
    *path, last = target.split(".")
    obj = gm
    for part in path:
        obj = getattr(obj, part)
    if last in getattr(obj, "_parameters", {}):
        obj._parameters[last] = torch.nn.Parameter(value, requires_grad=False)
    elif last in getattr(obj, "_buffers", {}):
        obj._buffers[last] = value
    else:
        setattr(obj, last, value)


def to_onnx(
    model: torch.nn.Module, info: ModelInfo, dtype: torch.dtype, path: Path, latent: bool = True
) -> onnx.ModelProto:
    """Trace `model`, convert to ONNX with dynamic N/E and write it (with metadata) to `path`.

    With `latent` (and a model whose ModelInfo.latent is known) the graph gets the optional
    output `node_latent` [N, F] for `interphase analyze --latent`.
    """
    with_mask = info.hops > 1
    latent = latent and info.latent is not None
    try:
        gm = trace(model, info, with_mask, latent)
    except Exception as exc:
        raise ExportError(
            f"cannot trace the model's energy and forces ({type(exc).__name__}: {first_line(exc)}): the model uses an operation make_fx cannot capture"
        ) from exc
    retarget_dtype(gm, info.model_dtype, dtype)
    if dtype == torch.float64:
        promote_float_scalars(gm, dtype)
    gm.eval()
    args = tuple(example_inputs(info, dtype, with_mask))
    names = list(INPUTS[: len(args)])
    n_dim = torch.export.Dim("N", min=1)
    e_dim = torch.export.Dim("E", min=1)
    dims = {
        "edge_vectors": {0: e_dim},
        "edge_index": {1: e_dim},
        "atom_types": {0: n_dim},
        "node_energy_mask": {0: n_dim},
    }
    try:
        with quiet(stderr=True):
            program = torch.onnx.export(
                gm,
                args,
                dynamo=True,
                input_names=names,
                output_names=list(OUTPUTS) + ([LATENT_OUTPUT] if latent else []),
                dynamic_shapes=tuple(dims[n] for n in names),
                opset_version=OPSET,
                optimize=True,
                verify=False,
            )
    except Exception as exc:
        raise ExportError(
            f"ONNX conversion failed ({type(exc).__name__}: {first_line(exc)}): the model uses an operator torch.onnx cannot express"
        ) from exc
    proto = program.model_proto
    _rename_dynamic_axes(proto)
    batched_contractions_to_matmul(proto)
    reductions_to_matmul(proto)
    scatter_rows_to_scatter_nd(proto)
    elementwise_shortcuts(proto)
    if dtype == torch.float64:
        sigmoid_via_exp(proto)
        block_matmul_scale_fusion(proto)
    outputs_in_input_dtype(proto)
    drop_unused_initializers(proto)
    set_metadata(proto, info, _latent_width(proto) if latent else None)
    onnx.save_model(proto, str(path))
    return proto


# ONNX float element types and their numpy types (the graphs' two precisions)
_FLOAT_TYPES = {onnx.TensorProto.FLOAT: np.float32, onnx.TensorProto.DOUBLE: np.float64}


def _static_shapes(proto: onnx.ModelProto) -> dict[str, list]:
    """Inferred shapes by value name; a dynamic dimension is None."""
    return _inferred(proto)[0]


def _inferred(proto: onnx.ModelProto) -> tuple[dict[str, list], dict[str, type]]:
    """(inferred shapes, inferred float element types) by value name; a dynamic dimension is
    None, a value that is neither float32 nor float64 has no type entry."""
    inferred = onnx.shape_inference.infer_shapes(proto)
    shapes: dict[str, list] = {}
    types: dict[str, type] = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        t = vi.type.tensor_type
        if t.HasField("shape"):
            shapes[vi.name] = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
        if t.elem_type in _FLOAT_TYPES:
            types[vi.name] = _FLOAT_TYPES[t.elem_type]
    return shapes, types


def _constants(proto: onnx.ModelProto) -> dict[str, np.ndarray]:
    from onnx import numpy_helper

    consts = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    for node in proto.graph.node:
        if node.op_type == "Constant":
            for a in node.attribute:
                if a.name == "value":
                    consts[node.output[0]] = numpy_helper.to_array(a.t)
    return consts


def _links(proto: onnx.ModelProto) -> tuple[dict, dict[str, list]]:
    """(producer node by value name, consumer nodes by value name)."""
    producers = {o: n for n in proto.graph.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in proto.graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    return producers, consumers


def _float_type(proto: onnx.ModelProto):
    """numpy float type of the graph's first input, or None when it is not float32/float64."""
    elem = proto.graph.input[0].type.tensor_type.elem_type
    return _FLOAT_TYPES.get(elem)


def _reductions_with_constant_axes(graph, consts: dict) -> list:
    """ReduceSum nodes whose axes are a constant (and that reduce, not no-op, on empty axes)."""
    return [n for n in graph.node if n.op_type == "ReduceSum" and len(n.input) >= 2 and n.input[1] in consts
            and not any(a.name == "noop_with_empty_axes" and a.i for a in n.attribute)]


def _splice(graph, replace: dict[int, list], drop: set[int]) -> int:
    """Replaces nodes (by id) with their node lists and removes the dropped ones; returns the number replaced."""
    if not replace:
        return 0
    nodes = []
    for n in graph.node:
        if id(n) in replace:
            nodes.extend(replace[id(n)])
        elif id(n) not in drop:
            nodes.append(n)
    del graph.node[:]
    graph.node.extend(nodes)
    return len(replace)


def _batch_then_static(shape: list | None) -> bool:
    """[dynamic, static, static, ...]: a per-edge (or per-atom) tensor with fixed trailing dimensions."""
    return bool(shape) and len(shape) >= 2 and shape[0] is None and all(d is not None and d >= 1 for d in shape[1:])


def reductions_to_matmul(proto: onnx.ModelProto, max_cols: int = 8) -> int:
    """Rewrite small per-edge (or per-atom) contractions as one MatMul each.

    The decomposed e3nn/Allegro tensor products arrive as ``ReduceSum(Mul(X, W), axes)`` (or a bare
    ``ReduceSum``) over small static trailing dimensions of an [E, ...] tensor. ONNX Runtime's CPU
    ReduceSum over a middle axis of such tiny dimensions is slow: it was ~26 % of the default
    Allegro model's kernel time. Each one becomes ``Reshape(X, [-1, R]) @ M -> Reshape`` where M
    ([R, C], R the product of X's trailing dimensions, C that of the kept ones) holds W (or 1) at
    (input element, output element) and zeros elsewhere: the same products, summed by MLAS. Only
    when C <= max_cols, since the MatMul does C times the multiplications. Products are
    unchanged; only the summation order can differ (the export check still holds to 1e-10).
    Returns the number of rewritten ReduceSum nodes.
    """
    from onnx import helper, numpy_helper

    graph = proto.graph
    ftype = _float_type(proto)
    if ftype is None:
        return 0
    shapes, types = _inferred(proto)
    consts = _constants(proto)
    producers, consumers = _links(proto)
    replace: dict[int, list] = {}
    drop: set[int] = set()
    for node in _reductions_with_constant_axes(graph, consts):
        x_name, weight, mul = node.input[0], None, producers.get(node.input[0])
        if mul is not None and mul.op_type == "Mul" and len(consumers.get(mul.output[0], [])) == 1:
            a, b = mul.input
            for dyn, c in ((a, b), (b, a)):
                if c in consts and dyn not in consts and consts[c].dtype == ftype:
                    x_name, weight = dyn, consts[c]
        if not _batch_then_static(shapes.get(x_name)):
            x_name, weight = node.input[0], None  # rewrite the bare ReduceSum, keep the Mul
            if not _batch_then_static(shapes.get(x_name)):
                continue
        if types.get(x_name) != ftype:
            # a sum in another precision than the graph's (a float64 term such as nequip's ZBL
            # inside a float32 model): the block would not match it, so it is left alone
            continue
        xs = shapes[x_name]
        dims = list(xs[1:])
        k = len(dims)
        if weight is not None:
            w = weight
            if w.ndim > k:
                if any(s != 1 for s in w.shape[: w.ndim - k]):
                    continue
                w = w.reshape(w.shape[w.ndim - k:])
            try:
                if list(np.broadcast_shapes(tuple(dims), w.shape)) != dims:
                    continue
            except ValueError:
                continue
            flat_w = np.broadcast_to(w, dims).reshape(-1)
        else:
            flat_w = np.ones(int(np.prod(dims)), dtype=ftype)
        axes = sorted({int(a) % (k + 1) for a in np.atleast_1d(consts[node.input[1]])})
        if not axes or 0 in axes:
            continue
        reduced = [a - 1 for a in axes]
        kept = [i for i in range(k) if i not in reduced]
        kept_dims = [dims[i] for i in kept]
        rows, cols = int(np.prod(dims)), int(np.prod(kept_dims)) if kept_dims else 1
        if cols > max_cols:
            continue
        index = np.unravel_index(np.arange(rows), dims)
        col = (np.ravel_multi_index(tuple(index[i] for i in kept), kept_dims) if kept_dims
               else np.zeros(rows, dtype=np.int64))
        block = np.zeros((rows, cols), dtype=ftype)
        block[np.arange(rows), col] = flat_w
        keepdims = next((a.i for a in node.attribute if a.name == "keepdims"), 1)
        out_dims = [1 if i in reduced else dims[i] for i in range(k)] if keepdims else kept_dims
        p = f"{node.output[0]}_iph_mm"
        graph.initializer.extend([
            numpy_helper.from_array(block, p + "_block"),
            numpy_helper.from_array(np.array([-1, rows], dtype=np.int64), p + "_in_shape"),
            numpy_helper.from_array(np.array([-1] + out_dims, dtype=np.int64), p + "_out_shape"),
        ])
        replace[id(node)] = [
            helper.make_node("Reshape", [x_name, p + "_in_shape"], [p + "_flat"], name=p + "_flatten"),
            helper.make_node("MatMul", [p + "_flat", p + "_block"], [p + "_sum"], name=p),
            helper.make_node("Reshape", [p + "_sum", p + "_out_shape"], [node.output[0]], name=p + "_unflatten"),
        ]
        if x_name != node.input[0]:
            drop.add(id(mul))
    return _splice(graph, replace, drop)


def _folded(name: str, consts: dict[str, np.ndarray], producers: dict) -> np.ndarray | None:
    """The value of `name` when it is a constant, or a Reshape/Transpose/Unsqueeze/Squeeze/Identity chain of one."""
    if name in consts:
        return consts[name]
    node = producers.get(name)
    if node is None or node.op_type not in ("Reshape", "Transpose", "Unsqueeze", "Squeeze", "Identity"):
        return None
    x = _folded(node.input[0], consts, producers)
    if x is None:
        return None
    if node.op_type == "Identity":
        return x
    if node.op_type == "Transpose":
        perm = next((list(a.ints) for a in node.attribute if a.name == "perm"), None)
        return np.transpose(x, perm)
    arg = consts.get(node.input[1]) if len(node.input) > 1 else None
    if node.op_type == "Reshape":
        if arg is None or any(a.name == "allowzero" and a.i == 0 for a in node.attribute) and 0 in arg:
            return None
        return x.reshape([int(d) for d in arg])
    if arg is None:
        return None
    axes = sorted(int(a) for a in np.atleast_1d(arg))
    if node.op_type == "Unsqueeze":
        for a in axes:
            x = np.expand_dims(x, a % (x.ndim + 1))
        return x
    return np.squeeze(x, axis=tuple(a % x.ndim for a in axes))


def batched_contractions_to_matmul(proto: onnx.ModelProto) -> int:
    """Rewrite per-channel tensor products, ``ReduceSum(Mul(X, W), axes)`` with a constant W that
    shares channel axes with X, as one batched MatMul each.

    Allegro's tensor product of a production-size model arrives as X [E, u, i, j, 1] times W [u, i, j, k]
    (broadcast to [E, u, i, j, k]) summed over (i, j): ONNX Runtime materialises the broadcast product
    (914 MB for 9.8k edges) and then reduces it, 55 % of the model's kernel time; its backward pass
    contracts an Expand of [E, u, 1, 1, k] with the same W, and the Expand is skipped (Mul broadcasts
    by itself). Axes of the product
    are classified as batch (in X and W, kept), contracted (in X and W, reduced), output (only in W)
    and row (only in X, kept); X becomes [batch, E x rows, contracted] (Transpose + Reshape), W the
    constant [batch, contracted, output], and their MatMul gives the same sums (another summation
    order: 1e-16 relative) without the product tensor. Only when there is something to contract and
    a batch or output axis; an axis reduced on one side only is left alone.
    Returns the number of rewritten ReduceSum nodes.
    """
    from onnx import helper, numpy_helper

    graph = proto.graph
    ftype = _float_type(proto)
    if ftype is None:
        return 0
    shapes = _static_shapes(proto)
    consts = _constants(proto)
    producers, consumers = _links(proto)
    replace: dict[int, list] = {}
    drop: set[int] = set()
    for node in _reductions_with_constant_axes(graph, consts):
        mul = producers.get(node.input[0])
        if mul is None or mul.op_type != "Mul" or len(consumers.get(mul.output[0], [])) != 1:
            continue
        x_name = w = None
        for dyn, c in (tuple(mul.input), tuple(reversed(mul.input))):
            try:
                folded = _folded(c, consts, producers)
            except (ValueError, TypeError, IndexError):
                folded = None  # a shape this folder does not follow: not a constant to it
            if folded is not None and _batch_then_static(shapes.get(dyn)) and folded.dtype == ftype:
                x_name, w = dyn, folded
                break
        if x_name is None:
            continue
        skipped = None
        expand = producers.get(x_name)
        if expand is not None and expand.op_type == "Expand" and len(consumers.get(x_name, [])) == 1:
            # Mul broadcasts by itself: contract the Expand's input instead of the tensor it materialises
            x0 = shapes.get(expand.input[0])
            if _batch_then_static(x0) and len(x0) == len(shapes[x_name]):
                try:
                    same = list(np.broadcast_shapes(tuple(x0[1:]), w.shape)) == list(shapes[mul.output[0]][1:])
                except (ValueError, TypeError):
                    same = False
                if same:
                    x_name, skipped = expand.input[0], expand
        xd = list(shapes[x_name][1:])
        k = len(xd)
        if w.ndim > k:
            if any(s != 1 for s in w.shape[: w.ndim - k]):
                continue
            w = w.reshape(w.shape[w.ndim - k:])
        wd = [1] * (k - w.ndim) + list(w.shape)
        w = w.reshape(wd)
        if any(a != b and 1 not in (a, b) for a, b in zip(xd, wd)):
            continue
        reduced = {int(a) % (k + 1) - 1 for a in np.atleast_1d(consts[node.input[1]])}
        if -1 in reduced:
            continue
        kind = []
        for i in range(k):
            both, in_x, in_w = xd[i] > 1 and wd[i] > 1, xd[i] > 1, wd[i] > 1
            if i in reduced:
                kind.append("R" if both else ("1" if not in_x and not in_w else "?"))
            else:
                kind.append("B" if both else "M" if in_x else "K" if in_w else "1")
        if "?" in kind or "R" not in kind or not ({"B", "K"} & set(kind)):
            continue
        ax = {t: [i for i in range(k) if kind[i] == t] for t in "BRKM1"}
        size = {t: int(np.prod([max(xd[i], wd[i]) for i in ax[t]])) for t in "BRKM"}
        # X: [E, ...] -> [B..., E, M..., R..., K/1 axes (size 1)] -> [nB, E*nM, nR]
        perm = [1 + i for i in ax["B"]] + [0] + [1 + i for i in ax["M"] + ax["R"] + ax["K"] + ax["1"]]
        wb = np.transpose(np.broadcast_to(w, [max(xd[i], wd[i]) if kind[i] in "BRK" else wd[i] for i in range(k)]),
                          ax["B"] + ax["R"] + ax["K"] + ax["M"] + ax["1"])
        wb = np.ascontiguousarray(wb.reshape(size["B"], size["R"], size["K"]), dtype=ftype)
        keepdims = next((a.i for a in node.attribute if a.name == "keepdims"), 1)
        kept = [i for i in range(k) if i not in reduced]
        # MatMul out [nB, E*nM, nK] -> [B..., E, M..., K...] -> [E, kept axes in order] -> output shape
        mid = [max(xd[i], wd[i]) for i in ax["B"]] + [-1] + [xd[i] for i in ax["M"]] + [wd[i] for i in ax["K"]]
        order = ax["B"] + ["E"] + ax["M"] + ax["K"]
        back = [order.index("E")] + [order.index(i) for i in kept if kind[i] != "1"]
        out_dims = [1 if (i in reduced or kind[i] == "1") else max(xd[i], wd[i]) for i in range(k)] if keepdims else \
            [1 if kind[i] == "1" else max(xd[i], wd[i]) for i in kept]
        p = f"{node.output[0]}_iph_bmm"
        graph.initializer.extend([
            numpy_helper.from_array(wb, p + "_w"),
            numpy_helper.from_array(np.array([size["B"], -1, size["R"]], dtype=np.int64), p + "_in_shape"),
            numpy_helper.from_array(np.array(mid, dtype=np.int64), p + "_mid_shape"),
            numpy_helper.from_array(np.array([-1] + out_dims, dtype=np.int64), p + "_out_shape"),
        ])
        replace[id(node)] = [
            helper.make_node("Transpose", [x_name], [p + "_xt"], name=p + "_xt", perm=perm),
            helper.make_node("Reshape", [p + "_xt", p + "_in_shape"], [p + "_x3"], name=p + "_x3"),
            helper.make_node("MatMul", [p + "_x3", p + "_w"], [p + "_y3"], name=p),
            helper.make_node("Reshape", [p + "_y3", p + "_mid_shape"], [p + "_ymid"], name=p + "_ymid"),
            helper.make_node("Transpose", [p + "_ymid"], [p + "_yt"], name=p + "_yt", perm=back),
            helper.make_node("Reshape", [p + "_yt", p + "_out_shape"], [node.output[0]], name=p + "_out"),
        ]
        drop.add(id(mul))
        if skipped is not None:
            drop.add(id(skipped))
    return _splice(graph, replace, drop)


def scatter_rows_to_scatter_nd(proto: onnx.ModelProto) -> int:
    """Rewrite row scatter-adds, ``ScatterElements(data, Expand(idx), updates, axis=0, add)``, as ScatterND.

    nequip's edge-to-atom sums (``index_add`` / ``scatter``) arrive as ScatterElements whose index
    tensor is one atom index per edge ([E, 1, ..., 1]) broadcast over the feature dimensions.
    ONNX Runtime's ScatterElements walks every element with generic index arithmetic: 7 % of the
    default model's float64 kernel time at 0.01 GB/s (results/ort-profile.md). ScatterND with
    indices [E, 1] adds whole rows, the same sums in the same (edge) order, so the results are
    bitwise equal. Only when data is [N, d1, ...] with the same static trailing dimensions as the
    updates (ScatterND adds full rows).
    Returns the number of rewritten nodes.
    """
    from onnx import helper, numpy_helper

    graph = proto.graph
    shapes = _static_shapes(proto)
    producers, _ = _links(proto)
    replace: dict[int, list] = {}
    row = "iph_scatter_row_shape"
    for n in graph.node:
        if n.op_type != "ScatterElements":
            continue
        attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
        if attrs.get("axis", 0) != 0 or attrs.get("reduction", b"none") != b"add":
            continue
        data, idx, upd = n.input
        ds, us = shapes.get(data), shapes.get(upd)
        if not (_batch_then_static(ds) and _batch_then_static(us)) or ds[1:] != us[1:]:
            continue
        source = producers.get(idx)
        index = source.input[0] if source is not None and source.op_type == "Expand" else idx
        ishape = shapes.get(index)
        if not ishape or ishape[0] is not None or any(d != 1 for d in ishape[1:]):
            continue
        p = f"{n.output[0]}_iph_rows"
        replace[id(n)] = [
            helper.make_node("Reshape", [index, row], [p + "_index"], name=p + "_index"),
            helper.make_node("ScatterND", [data, p + "_index", upd], list(n.output), name=p, reduction="add"),
        ]
    if replace:
        graph.initializer.append(numpy_helper.from_array(np.array([-1, 1], dtype=np.int64), row))
    return _splice(graph, replace, set())


def _power_chain(x: str, k: int, prefix: str) -> list:
    """Mul nodes computing x**k (k >= 2) by binary exponentiation; the last node's output is x**k."""
    from onnx import helper

    nodes, result, square, step = [], None, x, 0
    while True:
        if k & 1:
            if result is None:
                result = square
            else:
                step += 1
                nodes.append(helper.make_node("Mul", [result, square], [f"{prefix}_{step}"], name=f"{prefix}_{step}"))
                result = f"{prefix}_{step}"
        k >>= 1
        if not k:
            return nodes
        step += 1
        nodes.append(helper.make_node("Mul", [square, square], [f"{prefix}_{step}"], name=f"{prefix}_{step}"))
        square = f"{prefix}_{step}"


def elementwise_shortcuts(proto: onnx.ModelProto, max_power: int = 8) -> int:
    """Cheaper forms of two element-wise patterns the autograd trace leaves behind.

    - ``Pow(x, c)`` with a constant scalar c: ONNX Runtime's CPU Pow calls std::pow per element
      (~20 ns; ``Pow(edge_vectors, 1.0)`` of the backward pass alone took 1 % of the default model's
      float64 kernel time). c = 1 becomes Identity, 0.5 Sqrt, an integer 2..max_power a chain of
      Muls by squaring (at most 2 log2(c) roundings, ~1e-16 relative each).
    - ``Where(C, Expand(x), zeros)`` with a constant condition C (the backward of selecting one
      column of the edge vectors): ``Mul(x, float(C))``, the same values without the Expand,
      since x is finite wherever the result is used (a non-finite x would be non-finite in the
      selected column too).
    Returns the number of rewritten nodes.
    """
    from onnx import helper, numpy_helper

    graph = proto.graph
    ftype = _float_type(proto)
    if ftype is None:
        return 0
    consts = _constants(proto)
    producers, _ = _links(proto)
    shapes = _static_shapes(proto)
    replace: dict[int, list] = {}
    extra: list = []
    for n in graph.node:
        p = f"{n.output[0]}_iph_short"
        if n.op_type == "Pow" and n.input[1] in consts and consts[n.input[1]].size == 1:
            c = float(consts[n.input[1]].reshape(()))
            x, y = n.input[0], n.output[0]
            if c == 1.0:
                replace[id(n)] = [helper.make_node("Identity", [x], [y], name=p)]
            elif c == 0.5:
                replace[id(n)] = [helper.make_node("Sqrt", [x], [y], name=p)]
            elif c.is_integer() and 2 <= c <= max_power:
                nodes = _power_chain(x, int(c), p)
                nodes[-1].output[0] = y
                replace[id(n)] = nodes
        elif n.op_type == "Where" and n.input[0] in consts:
            cond, a, z = n.input
            zero = producers.get(z)
            expand = producers.get(a)
            zero_value = consts.get(zero.input[0]) if zero is not None and zero.op_type == "Expand" else consts.get(z)
            if zero_value is None or zero_value.size != 1 or float(zero_value.reshape(())) != 0.0:
                continue
            if expand is None or expand.op_type != "Expand":
                continue
            x = expand.input[0]
            xs, out = shapes.get(x), shapes.get(n.output[0])
            c = consts[cond]
            if xs is None or out is None or len(xs) != len(out) or c.ndim > len(out):
                continue
            cs = [1] * (len(out) - c.ndim) + list(c.shape)
            if [d if k == 1 else (k if d == 1 or d == k else -1) for d, k in zip(xs, cs)] != out:
                continue
            mask = f"{p}_mask"
            extra.append(numpy_helper.from_array(c.astype(ftype), mask))
            replace[id(n)] = [helper.make_node("Mul", [x, mask], list(n.output), name=p)]
    graph.initializer.extend(extra)
    return _splice(graph, replace, set())


def sigmoid_via_exp(proto: onnx.ModelProto) -> int:
    """Float64 graphs: Sigmoid(x) -> Reciprocal(Exp(Neg(x)) + 1).

    ONNX Runtime's CPU Sigmoid for double is a slow path (15 ms for 33k x 32 values, against 9 ms for
    the four vectorised element-wise kernels; 16 % of the default model's float64 run) and loses
    relative accuracy for x < -3 (3e-12 relative at x = -8, 0 instead of 1e-16 below -36.7). The
    rewrite is faster and exact to ~3e-16 relative everywhere; exp overflow for x < -709 gives
    1/inf = 0, never NaN. Only float Sigmoid nodes of a float64 graph are touched.
    Returns the number of rewritten nodes.
    """
    from onnx import helper, numpy_helper

    graph = proto.graph
    if graph.input[0].type.tensor_type.elem_type != onnx.TensorProto.DOUBLE:
        return 0
    one = "iph_one_f64"
    nodes, rewritten = [], 0
    for n in graph.node:
        if n.op_type != "Sigmoid":
            nodes.append(n)
            continue
        x, y = n.input[0], n.output[0]
        p = f"{y}_iph_sigmoid"
        nodes += [
            helper.make_node("Neg", [x], [p + "_neg"], name=p + "_neg"),
            helper.make_node("Exp", [p + "_neg"], [p + "_exp"], name=p + "_exp"),
            helper.make_node("Add", [p + "_exp", one], [p + "_den"], name=p + "_den"),
            helper.make_node("Reciprocal", [p + "_den"], [y], name=p),
        ]
        rewritten += 1
    if rewritten:
        graph.initializer.append(numpy_helper.from_array(np.array(1.0, dtype=np.float64), one))
        del graph.node[:]
        graph.node.extend(nodes)
    return rewritten


def block_matmul_scale_fusion(proto: onnx.ModelProto) -> int:
    """Keep ONNX Runtime's MatMulScaleFusion away from float64 scalar scales.

    That fusion folds Mul(MatMul(a, b), c) (or MatMul(Mul(a, c), b)) into FusedMatMul with a float32
    `alpha` attribute, rounding c (e.g. 1/sqrt(8)) to float32 and costing ~1e-9 in float64 graphs.
    It only fires for single-element scales, so the scalar is replaced by a vector of the static
    trailing size of the other Mul operand (the same values, broadcast identically).
    Returns the number of rewritten Mul nodes.
    """
    from onnx import numpy_helper

    shapes = _static_shapes(proto)
    consts = _constants(proto)
    producers, consumers = _links(proto)
    rewritten = 0
    for node in proto.graph.node:
        if node.op_type != "Mul" or len(node.input) != 2:
            continue
        for k in (0, 1):
            c = consts.get(node.input[k])
            other = node.input[1 - k]
            if c is None or c.dtype != np.float64 or c.size != 1:
                continue
            near_matmul = (producers.get(other) is not None and producers[other].op_type == "MatMul") or any(
                n.op_type == "MatMul" for n in consumers.get(node.output[0], [])
            )
            shape = shapes.get(other)
            if not near_matmul:
                continue
            if not shape or shape[-1] is None or shape[-1] < 2:
                if _fold_scale_into_weights(proto, node, k, c, consts, producers, consumers):
                    rewritten += 1
                    break
                continue
            name = f"{node.output[0]}_iph_scale"
            vec = np.full((shape[-1],), c.reshape(()), dtype=np.float64)
            proto.graph.initializer.append(numpy_helper.from_array(vec, name))
            node.input[k] = name
            rewritten += 1
            break
    return rewritten


def _fold_scale_into_weights(proto, mul, k, c, consts, producers, consumers) -> bool:
    """Mul(MatMul(a, W), c) -> MatMul(a, W*c) (or MatMul(Mul(a, c), W) -> MatMul(a, W*c)), W constant."""
    from onnx import numpy_helper

    other = mul.input[1 - k]
    matmuls = []
    prod = producers.get(other)
    if prod is not None and prod.op_type == "MatMul" and len(consumers.get(other, [])) == 1:
        matmuls.append(prod)  # Mul(MatMul(a, W), c)
    users = consumers.get(mul.output[0], [])
    if len(users) == 1 and users[0].op_type == "MatMul" and users[0].input[0] == mul.output[0]:
        matmuls.append(users[0])  # MatMul(Mul(a, c), W)
    for mm in matmuls:
        w = consts.get(mm.input[1])
        if w is not None and w.dtype == np.float64:
            name = f"{mm.input[1]}_iph_scaled_{mul.output[0]}"
            proto.graph.initializer.append(numpy_helper.from_array(w * c.reshape(()), name))
            mm.input[1] = name
            _make_identity(mul, other)
            return True
    return False


def outputs_in_input_dtype(proto: onnx.ModelProto) -> int:
    """Cast every float output to the dtype of the inputs (the contract's rule: outputs use the
    dtype of edge_vectors). A float32 model with a float64 term (nequip's ZBL sums in float64)
    otherwise traces to a float64 atomic_energy, which pair_style onnx refuses. Returns the number
    of outputs cast."""
    from onnx import helper

    ftype = _float_type(proto)
    if ftype is None:
        return 0
    to_elem = {v: k for k, v in _FLOAT_TYPES.items()}
    graph = proto.graph
    cast = 0
    for out in graph.output:
        t = out.type.tensor_type
        if t.elem_type not in _FLOAT_TYPES or t.elem_type == to_elem[ftype]:
            continue
        raw = out.name + "_iph_uncast"
        for node in graph.node:
            node.output[:] = [raw if o == out.name else o for o in node.output]
            node.input[:] = [raw if i == out.name else i for i in node.input]
        graph.node.append(helper.make_node("Cast", [raw], [out.name], to=to_elem[ftype],
                                           name=out.name + "_iph_cast"))
        t.elem_type = to_elem[ftype]
        cast += 1
    return cast


def drop_unused_initializers(proto: onnx.ModelProto) -> None:
    used = {i for n in proto.graph.node for i in n.input} | {o.name for o in proto.graph.output}
    keep = [i for i in proto.graph.initializer if i.name in used]
    del proto.graph.initializer[:]
    proto.graph.initializer.extend(keep)


def _make_identity(node, source: str) -> None:
    node.op_type = "Identity"
    del node.input[:]
    node.input.append(source)
    del node.attribute[:]


def _rename_dynamic_axes(proto: onnx.ModelProto) -> None:
    """Name the symbolic dims N and E on inputs/outputs (the exporter may call them s0, s1...)."""
    mapping: dict[str, str] = {}
    for vi in proto.graph.input:
        dims = vi.type.tensor_type.shape.dim
        if vi.name == "edge_vectors" and dims[0].dim_param:
            mapping[dims[0].dim_param] = "E"
        if vi.name == "atom_types" and dims[0].dim_param:
            mapping[dims[0].dim_param] = "N"
    for vi in list(proto.graph.input) + list(proto.graph.output):
        for d in vi.type.tensor_type.shape.dim:
            if d.dim_param in mapping:
                d.dim_param = mapping[d.dim_param]


def _latent_width(proto: onnx.ModelProto) -> int:
    out = next(o for o in proto.graph.output if o.name == LATENT_OUTPUT)
    dims = out.type.tensor_type.shape.dim
    if len(dims) != 2 or not dims[1].HasField("dim_value"):
        raise ExportError(f"{LATENT_OUTPUT} has no static feature width: export with --no-latent")
    return int(dims[1].dim_value)


def base_metadata(info: ModelInfo, contract: str) -> dict[str, str]:
    """The metadata every exported model carries (contracts v1 and v2)."""
    import nequip

    props = {
        "interphase.contract": contract,
        "interphase.species": " ".join(info.species),
        "interphase.r_max": repr(info.r_max),
        "interphase.hops": str(info.hops),
        "interphase.architecture": info.architecture,
        "interphase.source": Path(info.source).name,
        "interphase.nequip_version": nequip.__version__,
        "interphase.exporter_version": __version__,
    }
    if info.per_edge_type_cutoff is not None:
        props["interphase.per_edge_type_cutoff"] = " ".join(repr(x) for x in info.per_edge_type_cutoff)
    return props


def set_metadata(proto: onnx.ModelProto, info: ModelInfo, latent_width: int | None = None) -> None:
    props = base_metadata(info, "1")
    if latent_width is not None and info.latent is not None:
        props["interphase.node_latent"] = str(latent_width)
        props["interphase.node_latent_source"] = {
            "edge_sum": f"sum over each centre's edges of the model's {info.latent[1]}",
            "node_channels": f"scalar (0e) channels of the model's final {info.latent[1]}",
        }[info.latent[0]]
    del proto.metadata_props[:]
    for k, v in props.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = k, v
    proto.producer_name = "interphase-export"


def read_metadata(path: Path) -> dict[str, str]:
    proto = onnx.load(str(path), load_external_data=False)
    return {p.key: p.value for p in proto.metadata_props}


def count_ops(proto: onnx.ModelProto) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in proto.graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return counts
