"""Re-fit the per-type energy shifts of a trained checkpoint on its TRAINING frames.

Usage: python refit_shifts.py IN.ckpt TRAIN.extxyz OUT.ckpt

A short training run leaves a composition-dependent energy offset (the network's mean atomic
output per species is not yet zero). The shifts are non-trainable buffers, so we fit the
residual E_label - E_model of the training frames by least squares against composition,
E_res ~ sum_s n_s d_s, and add d_s to the shifts (forces are unchanged). Test frames are never
used. Prints the correction and the training-set energy MAE before/after.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import torch
from ase import Atoms
from ase.io import read

from evaluate import load_calculator

warnings.filterwarnings("ignore")
SHIFT_KEY_SUFFIX = "per_type_energy_scale_shift.shifts"


def model_energies(ckpt: Path, frames: list[Atoms]) -> np.ndarray:
    calc = load_calculator(ckpt)
    out = []
    for f in frames:
        a = Atoms(f.get_chemical_symbols(), positions=f.get_positions(), cell=f.cell, pbc=f.pbc)
        a.calc = calc
        out.append(a.get_potential_energy())
    return np.array(out)


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        sys.exit("usage: refit_shifts.py IN.ckpt TRAIN.extxyz OUT.ckpt")
    src, train, dst = Path(argv[0]), Path(argv[1]), Path(argv[2])
    ck = torch.load(src, map_location="cpu", weights_only=False)
    type_names = list(ck["hyper_parameters"]["model"]["type_names"])
    frames = list(read(train, index=":", format="extxyz"))
    e_ref = np.array([f.get_potential_energy() for f in frames])
    n_at = np.array([len(f) for f in frames])
    A = np.array([[f.get_chemical_symbols().count(t) for t in type_names] for f in frames], float)
    e_mod = model_energies(src, frames)
    delta, *_ = np.linalg.lstsq(A, e_ref - e_mod, rcond=None)
    keys = [k for k in ck["state_dict"] if k.endswith(SHIFT_KEY_SUFFIX)]
    if len(keys) != 1:
        sys.exit(f"error: expected one '{SHIFT_KEY_SUFFIX}' buffer in {src}, found {keys}")
    shifts = ck["state_dict"][keys[0]]
    ck["state_dict"][keys[0]] = shifts + torch.tensor(delta, dtype=shifts.dtype).reshape(shifts.shape)
    old = ck["hyper_parameters"]["model"].get("per_type_energy_shifts")
    if isinstance(old, dict):
        ck["hyper_parameters"]["model"]["per_type_energy_shifts"] = {
            t: float(old[t]) + float(d) for t, d in zip(type_names, delta)}
    torch.save(ck, dst)
    e_new = model_energies(dst, frames)
    before = 1000 * np.mean(np.abs(e_ref - e_mod) / n_at)
    after = 1000 * np.mean(np.abs(e_ref - e_new) / n_at)
    print("shift corrections (eV): " + ", ".join(f"{t} {d:+.4f}" for t, d in zip(type_names, delta)))
    print(f"training energy MAE: {before:.1f} -> {after:.1f} meV/atom ({len(frames)} frames)")


if __name__ == "__main__":
    main(sys.argv[1:])
