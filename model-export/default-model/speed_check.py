"""Time one ONNX Runtime evaluation (1 thread) of a contract-v1 model on a ~2k-atom Li | Li6PS5Cl cell.

Usage: python speed_check.py MODEL.onnx [--repeat 10]
Reports only the OrtSession.run time (the neighbour list is built once, outside the timing).
This is an informal size check for models/README.md; the product benchmarks live in benchmarks/.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

import common as C
from interphase_export.graph import edge_graph


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    if not args.model.exists():
        raise SystemExit(f"error: {args.model} does not exist")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(args.model), opts, providers=["CPUExecutionProvider"])
    meta = sess.get_modelmeta().custom_metadata_map
    species = meta["interphase.species"].split()
    r_max = float(meta["interphase.r_max"])
    dtype = np.float64 if sess.get_inputs()[0].type == "tensor(double)" else np.float32
    atoms = C.interface().repeat((2, 2, 2))  # 992 atoms ... doubled below
    atoms = atoms.repeat((1, 1, 2))          # 1984 atoms
    index, vectors = edge_graph(atoms, r_max)
    feeds = {"edge_vectors": vectors.astype(dtype), "edge_index": index,
             "atom_types": np.array([species.index(s) for s in atoms.get_chemical_symbols()],
                                    dtype=np.int64)}
    if "node_energy_mask" in [i.name for i in sess.get_inputs()]:
        feeds["node_energy_mask"] = np.ones(len(atoms), dtype=dtype)
    sess.run(["atomic_energy", "edge_forces"], feeds)  # warm-up
    times, cpu = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        sess.run(["atomic_energy", "edge_forces"], feeds)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    # on a shared machine wall time includes waiting for a core; CPU time is the cost on 1 core
    print(f"{args.model.name}: N={len(atoms)} E={index.shape[1]} dtype={dtype.__name__} "
          f"wall median {1000 * np.median(times):.1f} ms, CPU median {1000 * np.median(cpu):.1f} ms "
          f"min {1000 * np.min(cpu):.1f} ms (1 thread)")


if __name__ == "__main__":
    main()
