"""Writes resources/fixtures/h5md/zero-atoms.h5: an H5MD file laid out like LAMMPS 'dump h5md' (position, species,
box edges; 2 frames) whose frames have zero atoms, for the 'a frame with zero atoms' error of interphase analyze
(LAMMPS itself cannot write such a file: it fails to create empty chunked datasets).

    .venv/bin/python java-analysis/src/test/python/make_zero_atom_h5md.py
"""
from pathlib import Path

import h5py
import numpy as np

OUT = Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "h5md" / "zero-atoms.h5"

with h5py.File(OUT, "w", track_order=True) as f:
    g = f.create_group("particles/all")
    p = g.create_group("position")
    p["value"] = np.zeros((2, 0, 3))
    p["step"] = np.array([0, 10], dtype=np.int32)
    p["time"] = np.array([0.0, 0.01])
    s = g.create_group("species")
    s["value"] = np.zeros((2, 0), dtype=np.int32)
    s["step"] = p["step"]
    s["time"] = p["time"]
    b = g.create_group("box")
    b.attrs["dimension"] = 3
    b.attrs["boundary"] = np.array([b"periodic"] * 3)
    e = b.create_group("edges")
    e["value"] = np.full((2, 3), 10.0)
    e["step"] = p["step"]
    e["time"] = p["time"]
print(OUT)
