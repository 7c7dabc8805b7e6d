"""Reference per-atom latent features for java-analysis's LatentFeaturesTest.

The values come from the nequip model itself (eager PyTorch, in its own precision: float32 for the default model) on an ASE neighbour list,
through the same reduction the exporter puts into the ONNX `node_latent` output
(interphase_export.wrapper.node_latent). They are independent of ONNX Runtime and of the Java
cell list that the test runs.

    .venv/bin/python model-export/scripts/make_latent_fixtures.py \
        [--source model-export/default-model/li-p-s-cl-allegro.nequip.zip] \
        [--out java-analysis/src/test/resources/latent]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from nequip.data import AtomicDataDict

from interphase_export.graph import edge_graph
from interphase_export.loader import load_energy_model
from interphase_export.structures import argyrodite, rattled, triclinic_li2s
from interphase_export.wrapper import node_latent

REPO = Path(__file__).resolve().parents[2]


def latent(model, info, atoms) -> np.ndarray:
    index, vectors = edge_graph(atoms, info.r_max)
    types = np.array([info.species.index(s) for s in atoms.get_chemical_symbols()], dtype=np.int64)
    out = model({AtomicDataDict.EDGE_VECTORS_KEY: torch.tensor(vectors).requires_grad_(True),
                 AtomicDataDict.EDGE_INDEX_KEY: torch.tensor(index),
                 AtomicDataDict.ATOM_TYPE_KEY: torch.tensor(types)})
    return node_latent(out, info.latent, len(atoms), torch.tensor(index)).detach().numpy()


def write(path: Path, atoms, values: np.ndarray, model_rel: str, source_rel: str, precision: str) -> None:
    lines = [f"# interphase latent fixture v1: node_latent of the nequip model (eager torch, {precision}, ASE neighbour list)",
             # the last word of `source` is the precision the model ran in: the Java test's tolerance follows it
             f"model {model_rel}", f"source {source_rel} {precision}", f"natoms {len(atoms)}", f"features {values.shape[1]}", "cell"]
    lines += [" ".join(f"{x:.17g}" for x in row) for row in atoms.cell.array]
    lines.append("pbc " + " ".join(str(int(p)) for p in atoms.pbc))
    lines.append("atoms")
    lines += [f"{s} " + " ".join(f"{x:.17g}" for x in p) for s, p in zip(atoms.get_chemical_symbols(), atoms.positions)]
    lines.append("latent")
    lines += [" ".join(f"{x:.17g}" for x in row) for row in values]
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", default=str(REPO / "model-export/default-model/li-p-s-cl-allegro.nequip.zip"))
    p.add_argument("--model", default="models/li-p-s-cl-allegro.f64.onnx", help="ONNX file the Java test runs (repo-relative)")
    p.add_argument("--out", default=str(REPO / "java-analysis/src/test/resources/latent"))
    args = p.parse_args()
    model, info = load_energy_model(Path(args.source))
    if info.latent is None:
        raise SystemExit(f"{args.source}: no latent features known for this architecture")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    source_rel = str(Path(args.source).resolve().relative_to(REPO))
    for name, atoms in {"argyrodite-rattled": rattled(argyrodite(), 0.1, 11),
                        "li2s-triclinic": rattled(triclinic_li2s().repeat((1, 2, 2)), 0.05, 12)}.items():
        values = latent(model, info, atoms)
        write(out / f"{name}.txt", atoms, values, args.model, source_rel, str(info.model_dtype).replace("torch.", ""))
        print(f"{name}: {len(atoms)} atoms, {values.shape[1]} features, max |f| {np.abs(values).max():.3g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
