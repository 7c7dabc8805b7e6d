"""Writes metadata-only.onnx: a trivial ONNX model (Identity + an unused 64 KB initializer) whose
metadata_props carry interphase.r_max = 5.5, written by the official `onnx` Python package.
BuildCellTest reads it back with org.interphase.structure.ModelMetadata (an independent writer).
Run: .venv/bin/python make_metadata_fixture.py
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])
pad = numpy_helper.from_array(np.arange(16384, dtype=np.float32), name="unused_weights")
graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "metadata_fixture", [x], [y], [pad])
model = helper.make_model(graph, producer_name="interphase-test", opset_imports=[helper.make_opsetid("", 17)])
for k, v in {"interphase.contract": "1", "interphase.species": "Li P S Cl", "interphase.r_max": "5.5",
             "interphase.hops": "1"}.items():
    model.metadata_props.append(onnx.StringStringEntryProto(key=k, value=v))
onnx.checker.check_model(model)
onnx.save(model, "metadata-only.onnx")
