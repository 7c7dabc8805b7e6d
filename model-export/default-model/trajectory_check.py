"""The default model against its labeller (SevenNet-0) on frames of its own long run.

Usage: python trajectory_check.py RUN_DIR [--frames N] [--model MODEL.onnx] [--out check.md]
                                   [--save FRAMES.extxyz.xz --config-type NAME]

RUN_DIR is a scripts/long-run.sh directory (cell.data, traj.<step>.lammpstrj[.xz], model_devi.out).
N frames spread evenly over the trajectory are labelled by SevenNet-0 (the sevenn wheel, offline) and
evaluated with the model (ONNX Runtime). Per frame: the energy difference per atom, the force MAE and
the largest force error, next to the committee's avg_devi_f and max_devi_f at that step. These frames
are the model's own MD, never trained on: the check tells whether the trajectory stays where the model
is accurate, which the committee deviation can only estimate. --save keeps the labelled frames (energy,
forces, stress of SevenNet-0; info config_type NAME, source, step) as training data for the next round.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np
from ase.io import read

import common as C

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import long_run_report as R  # noqa: E402  (the one reader of a long run's frames)

SPECIES_OF_TYPE = {1: "Li", 2: "P", 3: "S", 4: "Cl"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run", type=Path)
    ap.add_argument("--frames", type=int, default=4)
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "li-p-s-cl-allegro.f32.onnx")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--save", type=Path)
    ap.add_argument("--config-type", default="interface")
    a = ap.parse_args()
    from interphase_export.check import OnnxPotential

    blocks = list(R.frames(str(a.run)))
    if not blocks:
        sys.exit(f"trajectory_check.py: no frames in {a.run}: the run keeps them as traj.<step>.lammpstrj[.xz]")
    pick = sorted({round(i * (len(blocks) - 1) / max(a.frames - 1, 1)) for i in range(a.frames)})
    devi = {}
    if (a.run / "model_devi.out").exists():
        for row in np.loadtxt(a.run / "model_devi.out", comments="#", ndmin=2):
            devi[int(row[0])] = (row[6], row[4])
    pot = OnnxPotential(a.model)
    out = [f"Model {a.model.name} against {C.LABELLER_NAME} on {len(pick)} frames of {a.run.name} "
           f"(never trained on)", "",
           "| step | time (ps) | dE (meV/atom) | F MAE (meV/A) | max abs(dF) (eV/A) | avg_devi_f | max_devi_f |",
           "|---|---|---|---|---|---|---|"]
    labelled = []
    for k in pick:
        step, text = blocks[k]
        atoms = read(io.StringIO(text), format="lammps-dump-text", index=0)
        atoms.set_chemical_symbols([SPECIES_OF_TYPE[int(t)] for t in atoms.get_atomic_numbers()])
        atoms.pbc = True
        ref = C.label(atoms, a.config_type)
        ref.info.update(source=a.run.name, step=step)
        labelled.append(ref)
        e_ref, f_ref = ref.get_potential_energy(), ref.get_forces()
        got = pot.evaluate(atoms)
        de = 1000 * (got.energy - e_ref) / len(atoms)
        df = got.forces - f_ref
        t = step * float(R.read_properties(a.run / "run.conf")["dt"])
        # the committee's row of the same step; a dump step between deviation rows has none
        av, mx = (f"{devi[step][0]:.4f}", f"{devi[step][1]:.3f}") if step in devi else ("-", "-")
        out.append(f"| {step} | {t:.1f} | {de:+.1f} | {1000 * np.abs(df).mean():.0f} | "
                   f"{np.linalg.norm(df, axis=1).max():.3f} | {av} | {mx} |")
        print(out[-1], flush=True)
    text = "\n".join(out) + "\n"
    print(text, end="")
    if a.out:
        a.out.write_text(text)
    if a.save:
        C.write_xz(a.save, labelled)


if __name__ == "__main__":
    main()
