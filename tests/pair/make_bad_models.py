#!/usr/bin/env python3
"""Write small contract-v1 ONNX models whose *outputs* are bad, for the bad-input tests.

They pass every load-time contract check (inputs, outputs, dtypes, metadata) and only go wrong
when LAMMPS calls compute():
  nan_forces.onnx     edge_forces = edge_vectors * NaN, atomic_energy = 0
  inf_energy.onnx     edge_forces = 0 * edge_vectors, atomic_energy = +Inf
  bad_runtime_shape.onnx  output dims declared dynamic; edge_forces is [E,2] at run time
Usage: python tests/pair/make_bad_models.py OUT_DIR
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SPECIES = "Li P S Cl"


def _model(nodes: list, inits: list, ae_shape: list, ef_shape: list, r_max: float = 5.0) -> onnx.ModelProto:
    d = TensorProto.DOUBLE
    inputs = [
        helper.make_tensor_value_info("edge_vectors", d, ["E", 3]),
        helper.make_tensor_value_info("edge_index", TensorProto.INT64, [2, "E"]),
        helper.make_tensor_value_info("atom_types", TensorProto.INT64, ["N"]),
    ]
    outputs = [
        helper.make_tensor_value_info("atomic_energy", d, ae_shape),
        helper.make_tensor_value_info("edge_forces", d, ef_shape),
    ]
    graph = helper.make_graph(nodes, "bad_output", inputs, outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    for key, value in (("interphase.contract", "1"), ("interphase.species", SPECIES),
                       ("interphase.r_max", repr(r_max)), ("interphase.hops", "1")):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    return model


def _energy_nodes(value: float) -> tuple[list, list]:
    """atomic_energy[N] = value (via Cast(atom_types) * 0 + value)."""
    inits = [numpy_helper.from_array(np.array(0.0), "zero"),
             numpy_helper.from_array(np.array(value), "evalue")]
    nodes = [helper.make_node("Cast", ["atom_types"], ["types_f"], to=TensorProto.DOUBLE),
             helper.make_node("Mul", ["types_f", "zero"], ["zeros_n"]),
             helper.make_node("Add", ["zeros_n", "evalue"], ["atomic_energy"])]
    return nodes, inits


def nan_forces() -> onnx.ModelProto:
    nodes, inits = _energy_nodes(0.0)
    inits.append(numpy_helper.from_array(np.array(np.nan), "nan"))
    nodes.append(helper.make_node("Mul", ["edge_vectors", "nan"], ["edge_forces"]))
    return _model(nodes, inits, ["N"], ["E", 3])


def inf_energy() -> onnx.ModelProto:
    nodes, inits = _energy_nodes(np.inf)
    nodes.append(helper.make_node("Mul", ["edge_vectors", "zero"], ["edge_forces"]))
    return _model(nodes, inits, ["N"], ["E", 3])


def bad_runtime_shape() -> onnx.ModelProto:
    nodes, inits = _energy_nodes(0.0)
    inits += [numpy_helper.from_array(np.array([0], np.int64), "s0"),
              numpy_helper.from_array(np.array([2], np.int64), "s2"),
              numpy_helper.from_array(np.array([1], np.int64), "ax1")]
    nodes.append(helper.make_node("Slice", ["edge_vectors", "s0", "s2", "ax1"], ["edge_forces"]))
    return _model(nodes, inits, [None], [None, None])


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(".")
    out.mkdir(parents=True, exist_ok=True)
    for name, build in (("nan_forces", nan_forces), ("inf_energy", inf_energy),
                        ("bad_runtime_shape", bad_runtime_shape)):
        onnx.save(build(), out / f"{name}.onnx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
