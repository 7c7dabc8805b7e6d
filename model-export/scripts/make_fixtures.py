#!/usr/bin/env python
"""Regenerate the C6 reference fixtures under model-export/fixtures/.

  # tiny NequIP (2 layers, hops 2) shipped with the fixtures: train (unless model.ckpt exists), export, refs
  python model-export/scripts/make_fixtures.py nequip-tiny [--retrain]

  # default Allegro model (C7): export the packaged model to models/*.onnx and write refs
  python model-export/scripts/make_fixtures.py li-p-s-cl-allegro --source model-export/default-model/<model>.nequip.zip

References are computed with nequip's own ASE calculator (NequIPCalculator) in the model's own precision
(float64, or float32 for a float32-trained model, as the default one), never with the
ONNX graph; the ONNX model is then evaluated on the same structures as a self-check (printed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPORT_ROOT = HERE.parent
REPO = EXPORT_ROOT.parent
sys.path.insert(0, str(EXPORT_ROOT / "src"))

from interphase_export import check, fixtures, layered, tiny  # noqa: E402
from interphase_export.cli import export  # noqa: E402


def _self_check(folder: Path, onnx_path: Path, refs) -> float:
    pot = check.OnnxPotential(onnx_path)
    worst = 0.0
    for name in refs:
        atoms = _atoms_from_fixture(folder / f"{name}.data", folder / f"{name}.ref")
        got = pot.evaluate(atoms)
        ref = fixtures.read_ref(folder / f"{name}.ref")
        d = max(abs(got.energy - ref["energy"]), abs(got.forces - ref["forces"]).max(), abs(got.energies - ref["energies"]).max())
        worst = max(worst, d)
        print(f"  {name:<12s} N={len(atoms):<4d} onnx-vs-ref max dev {d:.2e}")
    return worst


def _atoms_from_fixture(data: Path, ref: Path):
    from interphase_export.cli import _read_lammps_data

    atoms = _read_lammps_data(data)
    if fixtures.read_ref(ref)["pbc"] == "f f f":
        atoms.pbc = False
    return atoms


def nequip_tiny(retrain: bool) -> None:
    folder = EXPORT_ROOT / "fixtures" / "nequip-tiny"
    folder.mkdir(parents=True, exist_ok=True)
    ckpt = folder / "model.ckpt"
    if retrain or not ckpt.exists():
        work = Path(tempfile.mkdtemp(prefix="iph-fixture-train-"))
        try:
            data = tiny.write_dataset(work / "data.extxyz", n_frames=16, seed=5)
            trained = tiny.train(work, "nequip", data, epochs=4)
            shutil.copy(trained, ckpt)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    onnx_path = folder / "nequip-tiny.f64.onnx"
    export(str(ckpt), str(onnx_path), "float64")
    export(str(ckpt), str(folder / "nequip-tiny.f32.onnx"), "float32")
    # contract v2 (one graph per layer) of the same checkpoint, against the same references
    (folder / "contract-v2").mkdir(exist_ok=True)
    for dtype in ("float64", "float32"):
        layered.export(str(ckpt), str(folder / "contract-v2" / f"nequip-tiny.{dtype.replace('float', 'f')}.onnx"), dtype)
    calc = check.nequip_calculator(str(ckpt))
    refs = fixtures.make(folder, str(ckpt), onnx_path.name, tiny.SPECIES, calc)
    worst = _self_check(folder, onnx_path, refs)
    print(f"nequip-tiny fixtures written to {folder} (ONNX self-check max dev {worst:.2e})")


def default_allegro(source: str, skip_export: bool) -> None:
    name = "li-p-s-cl-allegro"
    folder = EXPORT_ROOT / "fixtures" / name
    models = REPO / "models"
    models.mkdir(exist_ok=True)
    f64 = models / f"{name}.f64.onnx"
    if not skip_export:
        export(source, str(f64), "float64")
        export(source, str(models / f"{name}.f32.onnx"), "float32")
    calc = check.nequip_calculator(source)
    species = calc.model.metadata["type_names"].split() if hasattr(calc.model, "metadata") else tiny.SPECIES
    rel = os.path.relpath(f64, folder)
    meta = getattr(calc.model, "metadata", {})
    refs = fixtures.make(folder, source, rel, species, calc, meta.get("model_dtype", "float64"))
    worst = _self_check(folder, f64, refs)
    print(f"{name} fixtures written to {folder} (ONNX self-check max dev {worst:.2e})")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("which", choices=["nequip-tiny", "li-p-s-cl-allegro"])
    p.add_argument("--source", help="nequip model (.nequip.zip or .ckpt) for li-p-s-cl-allegro")
    p.add_argument("--retrain", action="store_true", help="nequip-tiny: retrain even if model.ckpt exists")
    p.add_argument("--skip-export", action="store_true", help="li-p-s-cl-allegro: reuse existing models/*.onnx")
    args = p.parse_args()
    if args.which == "nequip-tiny":
        nequip_tiny(args.retrain)
    else:
        if not args.source:
            p.error("li-p-s-cl-allegro needs --source PATH_TO_PACKAGED_MODEL")
        default_allegro(args.source, args.skip_export)
    return 0


if __name__ == "__main__":
    sys.exit(main())
