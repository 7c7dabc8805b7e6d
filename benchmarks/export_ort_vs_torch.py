#!/usr/bin/env python
"""ONNX Runtime (CPU) vs PyTorch time per evaluation for an exported nequip model.

For each structure (Li6PS5Cl supercells of ~1k and ~10k atoms) and dtype it times, with the neighbour
list built once outside the timed region:
  * nequip-eager : nequip's own GraphModel with ForceStressOutput (forces via autograd), float64 only
  * torch-fx     : the exporter's traced energy+edge-force graph run by PyTorch (same math as the ONNX file)
  * onnxruntime  : the exported ONNX graph in ONNX Runtime CPU (default graph optimisations)
and writes a markdown table to results/export-benchmark.md.

  python benchmarks/export_ort_vs_torch.py MODEL.ckpt|MODEL.nequip.zip [--sizes 3 6] [--repeats 3] [--threads 1]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "model-export" / "src"))

import numpy as np  # noqa: E402
import torch  # noqa: E402


def _time(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model")
    p.add_argument("--sizes", type=int, nargs="+", default=[3, 6], help="argyrodite supercell repeats (52*n^3 atoms)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default=str(REPO / "results" / "export-benchmark.md"))
    args = p.parse_args()
    torch.set_num_threads(args.threads)

    import onnxruntime as ort
    from nequip.data import AtomicDataDict

    from interphase_export import check, graph, structures
    from interphase_export.loader import load_energy_model

    energy_model, info = load_energy_model(Path(args.model))
    calc = check.nequip_calculator(args.model)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sessions, fx = {}, {}
        for dtype in ("float64", "float32"):
            tdt = getattr(torch, dtype)
            path = Path(tmp) / f"m.{dtype}.onnx"
            graph.to_onnx(energy_model, info, tdt, path)
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = args.threads
            opts.inter_op_num_threads = 1
            sessions[dtype] = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
            gm = graph.trace(energy_model, info, info.hops > 1)
            graph.retarget_dtype(gm, info.model_dtype, tdt)
            fx[dtype] = gm
        for n in args.sizes:
            atoms = structures.rattled(structures.argyrodite().repeat((n, n, n)), 0.05, seed=n)
            index, vectors = graph.edge_graph(atoms, info.r_max)
            types = np.array([info.species.index(s) for s in atoms.get_chemical_symbols()], dtype=np.int64)
            data = calc.atoms_to_data(atoms)
            t_eager = _time(lambda: calc.model(dict(data)), args.repeats)
            for dtype in ("float64", "float32"):
                npdt = np.float64 if dtype == "float64" else np.float32
                feeds = {"edge_vectors": vectors.astype(npdt), "edge_index": index, "atom_types": types}
                if info.hops > 1:
                    feeds["node_energy_mask"] = np.ones(len(atoms), dtype=npdt)
                targs = [torch.from_numpy(feeds[k]) for k in graph.INPUTS if k in feeds]
                t_fx = _time(lambda: fx[dtype](*targs), args.repeats)
                t_ort = _time(lambda: sessions[dtype].run(["atomic_energy", "edge_forces"], feeds), args.repeats)
                rows.append(
                    (len(atoms), index.shape[1], dtype, t_eager if dtype == "float64" else float("nan"), t_fx, t_ort)
                )
                print(f"N={len(atoms):6d} E={index.shape[1]:8d} {dtype}: eager {t_eager:.3f}s fx {t_fx:.3f}s ort {t_ort:.3f}s", flush=True)
            del data
    header = (
        f"# Exported model: ONNX Runtime vs PyTorch (CPU)\n\n"
        f"Model: `{Path(args.model).name}` ({info.architecture}, species {' '.join(info.species)}, r_max {info.r_max} A, hops {info.hops}). "
        f"Structures: rattled Li6PS5Cl supercells. Median of {args.repeats} runs after one warm-up, "
        f"{args.threads} thread(s), neighbour list excluded. torch {torch.__version__}, onnxruntime {ort.__version__}, "
        f"{platform.processor() or platform.machine()}; the machine was shared with other jobs, so treat ratios, not absolute times, as the result.\n\n"
        "| atoms | edges | dtype | nequip eager (s) | torch fx graph (s) | ONNX Runtime (s) | ORT / fx |\n"
        "|---:|---:|---|---:|---:|---:|---:|\n"
    )
    body = "".join(
        f"| {n} | {e} | {d} | {'-' if np.isnan(te) else f'{te:.3f}'} | {tf:.3f} | {to:.3f} | {to / tf:.2f} |\n"
        for n, e, d, te, tf, to in rows
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(header + body)
    print(header + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
