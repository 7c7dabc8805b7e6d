"""The exporter's ONNX graph rewrites, on small hand-built graphs, against numpy.

`reductions_to_matmul` turns ReduceSum(Mul(X, W)) over small trailing dimensions into one MatMul;
`scatter_rows_to_scatter_nd` turns row scatter-adds into ScatterND (reference: numpy's add.at).
The reference is numpy's einsum of the same contraction (independent of ONNX Runtime); the rewritten
graph must also still agree with the original graph run by ONNX Runtime, and patterns the rewrite
must leave alone (reduction over the dynamic axis, too many output columns, dynamic inner
dimensions) must stay as they were.
"""
from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from interphase_export.graph import reductions_to_matmul, sigmoid_via_exp

RNG = np.random.default_rng(7)


def _model(x_shape: list, w: np.ndarray | None, axes: list[int], keepdims: int, dtype=np.float64,
           out_name: str = "y") -> onnx.ModelProto:
    elem = TensorProto.DOUBLE if dtype == np.float64 else TensorProto.FLOAT
    inits = [numpy_helper.from_array(np.array(axes, dtype=np.int64), "axes")]
    nodes = []
    src = "x"
    if w is not None:
        inits.append(numpy_helper.from_array(w.astype(dtype), "w"))
        nodes.append(helper.make_node("Mul", ["x", "w"], ["xw"]))
        src = "xw"
    nodes.append(helper.make_node("ReduceSum", [src, "axes"], [out_name], keepdims=keepdims))
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", elem, x_shape)],
        [helper.make_tensor_value_info(out_name, elem, None)], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    return model


def _session(model: onnx.ModelProto) -> ort.InferenceSession:
    """One intra-op thread: ONNX Runtime's ScatterND sums race across threads (docs/native-bridge.md)."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])


def _run(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    sess = _session(model)
    return sess.run(None, {"x": x})[0]


def _ops(model: onnx.ModelProto) -> list[str]:
    return [n.op_type for n in model.graph.node]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_weighted_middle_axis_contraction_becomes_matmul(dtype):
    # Allegro's pattern: [E,4,4,1] * W[4,4,1], summed over axis 2 -> [E,4,1]
    w = RNG.normal(size=(4, 4, 1))
    x = RNG.normal(size=(37, 4, 4, 1)).astype(dtype)
    model = _model(["E", 4, 4, 1], w, [2], keepdims=0, dtype=dtype)
    before = _run(model, x)
    assert reductions_to_matmul(model) == 1
    assert "ReduceSum" not in _ops(model) and "Mul" not in _ops(model) and "MatMul" in _ops(model)
    after = _run(model, x)
    ref = np.einsum("eabc,abc->eac", x.astype(np.float64), w)
    tol = 1e-14 if dtype == np.float64 else 1e-5
    assert after.shape == ref.shape == before.shape
    np.testing.assert_allclose(after, ref, rtol=tol, atol=tol)
    np.testing.assert_allclose(after, before, rtol=tol, atol=tol)


@pytest.mark.parametrize("axes,keepdims", [([1], 1), ([1], 0), ([2], 1), ([1, 2], 0), ([-1], 1)])
def test_plain_reduction_over_static_axes(axes, keepdims):
    x = RNG.normal(size=(11, 4, 3))
    model = _model(["E", 4, 3], None, axes, keepdims)
    assert reductions_to_matmul(model) == 1
    got = _run(model, x)
    ref = np.sum(x, axis=tuple(axes), keepdims=bool(keepdims))
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, rtol=1e-14, atol=1e-14)


def test_broadcast_weight_with_leading_one():
    w = RNG.normal(size=(1, 1, 3))  # broadcast over E and the reduced axis
    x = RNG.normal(size=(5, 6, 3))
    model = _model(["E", 6, 3], w, [1], keepdims=1)
    assert reductions_to_matmul(model) == 1
    np.testing.assert_allclose(_run(model, x), np.sum(x * w, axis=1, keepdims=True), rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("x_shape,axes", [
    (["E", 4, 4], [0]),        # the dynamic axis itself: a scatter-like sum, not a small contraction
    (["E", 16, 16], [1]),      # 16 output columns: more multiplications than it saves
    (["E", "K", 4], [1]),      # dynamic inner dimension
])
def test_patterns_left_alone(x_shape, axes):
    model = _model(x_shape, None, axes, keepdims=1)
    before = model.SerializeToString()
    assert reductions_to_matmul(model) == 0
    assert model.SerializeToString() == before


def test_shared_mul_is_kept():
    """A Mul whose output has another consumer must survive (only the ReduceSum is rewritten)."""
    model = _model(["E", 4, 2], RNG.normal(size=(4, 2)), [1], keepdims=1)
    model.graph.node.append(helper.make_node("Identity", ["xw"], ["z"]))
    model.graph.output.append(helper.make_tensor_value_info("z", TensorProto.DOUBLE, None))
    assert reductions_to_matmul(model) == 1
    assert "Mul" in _ops(model)
    x = RNG.normal(size=(3, 4, 2))
    sess = _session(model)
    y, z = sess.run(None, {"x": x})
    w = numpy_helper.to_array(next(i for i in model.graph.initializer if i.name == "w"))
    np.testing.assert_allclose(z, x * w, rtol=0, atol=0)
    np.testing.assert_allclose(y, np.sum(x * w, axis=1, keepdims=True), rtol=1e-14, atol=1e-14)


def _sigmoid_model(elem: int) -> onnx.ModelProto:
    graph = helper.make_graph(
        [helper.make_node("Sigmoid", ["x"], ["y"])], "g",
        [helper.make_tensor_value_info("x", elem, ["E", 4])], [helper.make_tensor_value_info("y", elem, ["E", 4])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    return model


def test_float64_sigmoid_is_exact_over_the_whole_range():
    x = np.concatenate([np.linspace(-745, 745, 4000), RNG.normal(scale=5, size=4000)]).reshape(-1, 4)
    model = _sigmoid_model(TensorProto.DOUBLE)
    assert sigmoid_via_exp(model) == 1
    assert "Sigmoid" not in _ops(model)
    got = _run(model, x)
    ref = np.array([float(1 / (1 + mpmath_exp(-v))) for v in x.ravel()]).reshape(x.shape)
    assert np.all(np.isfinite(got))
    normal = ref > 1e-300  # below that exp(-x) overflows (x < -709): 1/inf = 0, off by < 1e-300
    assert np.max(np.abs(got[normal] - ref[normal]) / ref[normal]) < 1e-15
    assert np.max(np.abs(got[~normal] - ref[~normal])) < 1e-300


def test_float32_sigmoid_is_left_to_onnx_runtime():
    model = _sigmoid_model(TensorProto.FLOAT)
    assert sigmoid_via_exp(model) == 0
    assert _ops(model) == ["Sigmoid"]


def mpmath_exp(v: float):
    """exp in extended precision (Python's decimal), so the reference is not numpy's own formula."""
    from decimal import Decimal, getcontext
    getcontext().prec = 40
    return Decimal(v).exp()


# ---- batched_contractions_to_matmul: per-channel tensor products (production-size Allegro) ----------

def _chain_model(x_shape: list, w: np.ndarray, axes: list[int], keepdims: int, expand_to: list | None = None) -> onnx.ModelProto:
    """ReduceSum(Mul(X or Expand(X), Transpose(Reshape(W0))), axes): W reaches the Mul through a constant chain, as in
    the exported production model (view_16 = Reshape(Transpose(Reshape(bmm))))."""
    w0 = np.transpose(w, list(range(w.ndim))[::-1]).copy()   # stored transposed, undone by the Transpose
    inits = [numpy_helper.from_array(np.array(axes, dtype=np.int64), "axes"),
             numpy_helper.from_array(w0.reshape(-1), "w_flat"),
             numpy_helper.from_array(np.array(w0.shape, dtype=np.int64), "w_shape")]
    nodes = [helper.make_node("Reshape", ["w_flat", "w_shape"], ["w0"]),
             helper.make_node("Transpose", ["w0"], ["w"], perm=list(range(w.ndim))[::-1])]
    src = "x"
    if expand_to is not None:
        nodes += [helper.make_node("Shape", ["x"], ["x_shape"]),
                  helper.make_node("Slice", ["x_shape", "s0", "s1"], ["e_dim"]),
                  helper.make_node("Concat", ["e_dim", "rest"], ["to"], axis=0),
                  helper.make_node("Expand", ["x", "to"], ["xe"])]
        inits += [numpy_helper.from_array(np.array([0], dtype=np.int64), "s0"),
                  numpy_helper.from_array(np.array([1], dtype=np.int64), "s1"),
                  numpy_helper.from_array(np.array(expand_to, dtype=np.int64), "rest")]
        src = "xe"
    nodes += [helper.make_node("Mul", [src, "w"], ["xw"]),
              helper.make_node("ReduceSum", ["xw", "axes"], ["y"], keepdims=keepdims)]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.DOUBLE, x_shape)],
                              [helper.make_tensor_value_info("y", TensorProto.DOUBLE, None)], initializer=inits)
    if expand_to is not None:  # the exported graphs carry the Expand's shape as value_info, as torch.onnx writes it
        graph.value_info.append(helper.make_tensor_value_info("xe", TensorProto.DOUBLE, ["E"] + list(expand_to)))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    return model


@pytest.mark.parametrize("case", [
    # (x shape, w shape, axes, keepdims, einsum, expand_to): the forward product of a production Allegro layer,
    # Y[e,u,k] = sum_ij X[e,u,i,j] W[u,i,j,k]
    (["E", 4, 3, 3, 1], (4, 3, 3, 5), [2, 3], 0, "euija,uijk->euk", None),
    # its backward: X[e,u,1,1,k] expanded to [e,u,i,j,k], Y[e,u,i,j] = sum_k X[e,u,k] W[u,i,j,k]
    (["E", 4, 1, 1, 5], (4, 3, 3, 5), [4], 0, "euabk,uijk->euij", [4, 3, 3, 5]),
    # keepdims, an X-only (row) axis and the output axis before the contracted one
    (["E", 2, 1, 3, 4], (2, 5, 1, 4), [4], 1, "euakr,ubar->eubk", None),
])
def test_batched_tensor_product_becomes_one_batched_matmul(case):
    from interphase_export.graph import batched_contractions_to_matmul
    x_shape, w_shape, axes, keepdims, spec, expand_to = case
    w = RNG.normal(size=w_shape)
    x = RNG.normal(size=[29] + x_shape[1:])
    model = _chain_model(x_shape, w, axes, keepdims, expand_to)
    before = _run(model, x)
    assert batched_contractions_to_matmul(model) == 1
    # (ONNX Runtime loading and running the graph below is the structural check)
    ops = _ops(model)
    assert "ReduceSum" not in ops and "Mul" not in ops and "Expand" not in ops and ops.count("MatMul") == 1, ops
    after = _run(model, x)
    ref = np.einsum(spec, x, w)
    if keepdims:
        ref = np.expand_dims(ref, axes)
    assert after.shape == before.shape == ref.shape
    np.testing.assert_allclose(after, ref, rtol=1e-13, atol=1e-13)   # a sum of a few O(1) products
    np.testing.assert_allclose(after, before, rtol=1e-13, atol=1e-13)


def test_batched_rewrite_leaves_single_side_reductions_and_plain_products_alone():
    from interphase_export.graph import batched_contractions_to_matmul
    w = RNG.normal(size=(4, 3, 5))
    # axis 2 is reduced but only W has it (X is 1 there): not a contraction of X and W
    model = _chain_model(["E", 4, 1, 5], w, [2], 0)
    assert batched_contractions_to_matmul(model) == 0
    # nothing shared to contract (elementwise product, sum over an X-only axis)
    model = _chain_model(["E", 4, 3, 1], np.ones((4, 1, 5)), [2], 0)
    assert batched_contractions_to_matmul(model) == 0


# ---- scatter_rows_to_scatter_nd: edge-to-atom sums -------------------------------------------------

def _scatter_model(trailing: list[int], data_trailing: list[int] | None = None, index_trailing: list[int] | None = None,
                   expand: bool = True, axis: int = 0, reduction: str = "add") -> onnx.ModelProto:
    """out = ScatterElements(zeros[N, *data_trailing], Expand(idx[E, 1, ...]), upd[E, *trailing]) as nequip's
    index_add arrives from torch.onnx; N comes from a data input so the shapes stay dynamic."""
    data_trailing = trailing if data_trailing is None else data_trailing
    index_trailing = [1] * len(trailing) if index_trailing is None else index_trailing
    inits = [numpy_helper.from_array(np.array([-1, *index_trailing], dtype=np.int64), "idx_shape")]
    nodes = [helper.make_node("Reshape", ["idx", "idx_shape"], ["idx_r"])]
    index = "idx_r"
    if expand:
        nodes += [helper.make_node("Shape", ["upd"], ["upd_shape"]),
                  helper.make_node("Expand", ["idx_r", "upd_shape"], ["idx_e"])]
        index = "idx_e"
    nodes.append(helper.make_node("ScatterElements", ["data", index, "upd"], ["y"], axis=axis, reduction=reduction))
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info("data", TensorProto.DOUBLE, ["N", *data_trailing]),
         helper.make_tensor_value_info("idx", TensorProto.INT64, ["E"]),
         helper.make_tensor_value_info("upd", TensorProto.DOUBLE, ["E", *trailing])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, None)], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    return model


def _run_feed(model: onnx.ModelProto, feed: dict) -> np.ndarray:
    sess = _session(model)
    return sess.run(None, feed)[0]


@pytest.mark.parametrize("trailing", [[4, 4], [32], [1]])
def test_row_scatter_add_becomes_scatter_nd_with_the_same_sums(trailing):
    from interphase_export.graph import scatter_rows_to_scatter_nd

    n, e = 37, 500
    feed = {"data": RNG.normal(size=(n, *trailing)), "idx": RNG.integers(0, n, e),
            "upd": RNG.normal(size=(e, *trailing))}
    model = _scatter_model(trailing, expand=trailing != [1])
    before = _run_feed(model, feed)
    assert scatter_rows_to_scatter_nd(model) == 1
    assert "ScatterElements" not in _ops(model) and "ScatterND" in _ops(model)
    after = _run_feed(model, feed)
    ref = feed["data"].copy()
    np.add.at(ref, feed["idx"], feed["upd"])  # numpy's unbuffered in-order sum: the independent reference
    np.testing.assert_allclose(after, ref, rtol=1e-14, atol=1e-14)
    assert np.array_equal(after, before)  # one ONNX Runtime thread: same edge order, bitwise equal


@pytest.mark.parametrize("case", ["partial_rows", "axis1", "no_reduction", "per_element_index"])
def test_scatters_that_are_not_whole_row_sums_are_left_alone(case):
    from interphase_export.graph import scatter_rows_to_scatter_nd

    model = {
        "partial_rows": lambda: _scatter_model([4], data_trailing=[8]),     # updates cover part of a row
        "axis1": lambda: _scatter_model([4, 4], axis=1),
        "no_reduction": lambda: _scatter_model([4, 4], reduction="none"),
        "per_element_index": lambda: _scatter_model([4, 4], index_trailing=[4, 4], expand=False),
    }[case]()
    assert scatter_rows_to_scatter_nd(model) == 0
    assert "ScatterElements" in _ops(model)


# ---- elementwise_shortcuts: Pow by constants, Where of an expanded column ------------------------------

def _pow_model(c: float) -> onnx.ModelProto:
    graph = helper.make_graph(
        [helper.make_node("Pow", ["x", "c"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, ["E", 3])], [helper.make_tensor_value_info("y", TensorProto.DOUBLE, None)],
        initializer=[numpy_helper.from_array(np.array(c, dtype=np.float64), "c")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    return model


@pytest.mark.parametrize("c", [1.0, 0.5, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0])
def test_constant_powers_become_cheaper_ops_with_the_same_values(c):
    from interphase_export.graph import elementwise_shortcuts

    x = RNG.normal(size=(200, 3)) * 2
    if c == 0.5:
        x = np.abs(x)
    model = _pow_model(c)
    assert elementwise_shortcuts(model) == 1
    assert "Pow" not in _ops(model)
    got = _run(model, x)
    np.testing.assert_allclose(got, np.power(x, c), rtol=8e-16 * max(c, 1), atol=0)  # a few roundings of the chain


@pytest.mark.parametrize("c", [2.5, 9.0, -1.0])
def test_other_powers_are_left_to_onnx_runtime(c):
    from interphase_export.graph import elementwise_shortcuts

    model = _pow_model(c)
    assert elementwise_shortcuts(model) == 0
    assert _ops(model) == ["Pow"]


def _where_model(zero: float) -> onnx.ModelProto:
    """Where(mask[1,3], Expand(x[E,1], shape(v)), Expand(zero, shape(v))): one column of v's shape."""
    nodes = [helper.make_node("Shape", ["v"], ["vs"]),
             helper.make_node("Expand", ["x", "vs"], ["xe"]),
             helper.make_node("Expand", ["z", "vs"], ["ze"]),
             helper.make_node("Where", ["mask", "xe", "ze"], ["y"])]
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info("x", TensorProto.DOUBLE, ["E", 1]), helper.make_tensor_value_info("v", TensorProto.DOUBLE, ["E", 3])],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, None)],
        initializer=[numpy_helper.from_array(np.array([[False, True, False]]), "mask"),
                     numpy_helper.from_array(np.array(zero, dtype=np.float64), "z")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    return model


def test_where_of_an_expanded_column_becomes_a_masked_product():
    from interphase_export.graph import elementwise_shortcuts

    x, v = RNG.normal(size=(50, 1)), RNG.normal(size=(50, 3))
    model = _where_model(0.0)
    sess = _session(model)
    before = sess.run(None, {"x": x, "v": v})[0]
    assert elementwise_shortcuts(model) == 1
    assert "Where" not in _ops(model)
    sess = _session(model)
    after = sess.run(None, {"x": x, "v": v})[0]
    ref = np.where(np.array([[False, True, False]]), np.broadcast_to(x, (50, 3)), 0.0)
    assert np.array_equal(after, ref) and np.array_equal(before, ref)


def test_where_with_a_non_zero_alternative_is_left_alone():
    from interphase_export.graph import elementwise_shortcuts

    model = _where_model(1.0)
    assert elementwise_shortcuts(model) == 0
    assert "Where" in _ops(model)
