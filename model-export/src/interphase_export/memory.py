"""ONNX Runtime's peak memory per edge of a model, measured and stored as metadata (contract v2:
the largest over its layers' VJP graphs, written into the manifest).

pair_style onnx chooses its default chunk (centre atoms per ONNX Runtime run) so that one run's
activations stay near a fixed budget: chunk = budget / (bytes per edge x neighbours per atom)
(org.interphase.pair.PairKeywords.autoChunk). The bytes per edge differ by two orders of
magnitude between a small and a production-size model, so the exporter measures them and writes
``interphase.activation_bytes_per_edge``.

The measurement runs in a child process (a fresh address space) with the session options of
the pair style (1 thread, CPU arena on, memory pattern off): synthetic graphs of growing edge
count E (random species, edge vectors of random direction and length 1.5 A .. 0.9 r_max, 20 edges
per node) until the resident set after a run (ONNX Runtime's arena keeps its high-water mark)
grew by at least 64 MB or E reached 2^17; the result is the slope between the last two sizes,
rounded to two significant digits, and at least 64 bytes.
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

KEY = "interphase.activation_bytes_per_edge"
GROWTH_BYTES = 64 << 20
MAX_EDGES = 1 << 17
FLOOR = 64.0  # bytes per edge reported when the growth is below what can be measured


def _resident_bytes() -> int:
    """The process's resident set now. ONNX Runtime's CPU arena keeps what a run allocated, so
    after a run this is the arena's high-water mark (plus the fixed part)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _probe(path: str) -> float:
    """In the child: the peak resident set per edge (bytes)."""
    import numpy as np
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.enable_mem_pattern = False
    opts.log_severity_level = 3
    session = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    nspecies = len(meta["interphase.species"].split())
    r_max = float(meta["interphase.r_max"])
    if meta.get("interphase.contract") == "2":
        # contract v2: a step runs one stage at a time; the layers' VJP graphs hold the most
        widths = [int(w) for w in meta["interphase.feature_widths"].split()]
        graphs = meta["interphase.layer_graphs"].split()
        worst = 0.0
        for k in range(len(widths) - 1):
            vjp = ort.InferenceSession(str(Path(path).with_name(graphs[2 * k + 1])), opts,
                                       providers=["CPUExecutionProvider"])
            worst = max(worst, _slope(vjp, nspecies, r_max, (widths[k], widths[k + 1]), ["edge_forces"]))
            del vjp
        return worst
    return _slope(session, nspecies, r_max, None, ["atomic_energy", "edge_forces"])


def _slope(session, nspecies: int, r_max: float, widths, outputs: list) -> float:
    """The resident-set growth per edge of one session, on synthetic graphs (module docstring);
    widths (F_in, F_out) adds the node-feature inputs of a contract-v2 layer VJP graph."""
    import numpy as np

    inputs = {i.name: i for i in session.get_inputs()}
    dtype = np.float64 if inputs["edge_vectors"].type == "tensor(double)" else np.float32
    rng = np.random.default_rng(12345)

    def run(edges: int) -> int:
        nodes = max(8, edges // 20)
        centre = np.repeat(np.arange(nodes), -(-edges // nodes))[:edges]
        neighbour = (centre + 1 + rng.integers(0, nodes - 1, edges)) % nodes
        direction = rng.normal(size=(edges, 3))
        direction /= np.linalg.norm(direction, axis=1, keepdims=True)
        length = rng.uniform(1.5, 0.9 * r_max, size=(edges, 1))
        feeds = {"edge_vectors": (direction * length).astype(dtype),
                 "edge_index": np.stack([centre, neighbour]).astype(np.int64),
                 "atom_types": rng.integers(0, nspecies, nodes).astype(np.int64)}
        if "node_energy_mask" in inputs:
            feeds["node_energy_mask"] = np.ones(nodes, dtype=dtype)
        if widths is not None:
            feeds["node_features"] = rng.normal(size=(nodes, widths[0])).astype(dtype)
            feeds["grad_node_features_out"] = rng.normal(size=(nodes, widths[1])).astype(dtype)
        session.run(outputs, feeds)
        return _resident_bytes()

    edges, peak = 256, run(256)
    while True:
        more = min(2 * edges, MAX_EDGES)
        grown = run(more)
        if grown - peak >= GROWTH_BYTES or more >= MAX_EDGES:
            return max(grown - peak, 0) / (more - edges)
        edges, peak = more, grown


def measure(path: Path) -> float:
    """Bytes per edge, measured in a child process; two significant digits."""
    proc = subprocess.run([sys.executable, "-m", "interphase_export.memory", str(path)], capture_output=True,
                          text=True, timeout=1800, env={**os.environ, "OMP_NUM_THREADS": "1"})
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"measuring the memory per edge of {path.name} failed: {last}")
    value = float(json.loads(proc.stdout)["bytes_per_edge"])
    # a model whose activations do not grow the arena measurably up to 2^17 edges: a floor
    value = max(value, FLOOR)
    digits = 2 - int(math.floor(math.log10(value))) - 1
    return round(value, digits)


def stamp(path: Path) -> float:
    """Measures the model and writes the metadata key into the file (atomically)."""
    import onnx

    value = measure(path)
    proto = onnx.load(str(path))
    for prop in list(proto.metadata_props):
        if prop.key == KEY:
            proto.metadata_props.remove(prop)
    entry = proto.metadata_props.add()
    entry.key, entry.value = KEY, f"{value:g}"
    tmp = path.with_name(f".{path.name}.stamp.tmp")
    onnx.save(proto, str(tmp))
    os.replace(tmp, path)
    return value


if __name__ == "__main__":
    print(json.dumps({"bytes_per_edge": _probe(sys.argv[1])}))
