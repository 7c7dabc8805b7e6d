#!/usr/bin/env python3
"""Deflate-compressed H5MD fixture for the Java H5MD reader.

LAMMPS's `dump h5md` cannot compress, so this runs the project's LAMMPS ($INTERPHASE_LMP) on a small Li/Cl box
(1100 atoms: the atom axis is chunked in blocks of 256, so frames span several chunks), writing the same frames as
`dump h5md` and as a `dump custom` text dump (%.17g), then copies the H5MD file with h5py, keeping LAMMPS's layout
(groups, attributes, chunk shapes, step/time hard links) but with gzip (deflate) + shuffle filters on every
time-dependent dataset. The Java test compares the deflated file with the text dump bit for bit.

Writes java-analysis/src/test/resources/fixtures/h5md/{deflated.h5,deflated.lammpstrj}.
Run: source scripts/env.sh; $INTERPHASE_PYTHON java-analysis/src/test/python/make_deflated_h5md.py
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import h5py

OUT = Path(__file__).resolve().parents[1] / "resources/fixtures/h5md"

SCRIPT = """
units metal
atom_style atomic
boundary p p p
lattice sc 2.6
region box block 0 10 0 10 0 11
create_box 2 box
create_atoms 1 box
set type 1 type/fraction 2 0.4 1234
mass 1 6.94
mass 2 35.45
pair_style lj/cut 5.0
pair_coeff * * 0.01 2.3
velocity all create 600 4928459
timestep 0.001
fix 1 all nve
fix 2 all deform 1 x final 0.0 26.5 remap x
dump d1 all h5md 10 traj.h5 position species
dump d2 all custom 10 traj.lammpstrj id type x y z
dump_modify d2 sort id format float %.17g time yes
run 20
"""


def copy(src: h5py.Group, dst: h5py.Group, done: dict[int, str]) -> None:
    for k, v in src.attrs.items():
        dst.attrs[k] = v
    for name, obj in src.items():
        addr = h5py.h5o.get_info(obj.id).addr if hasattr(h5py.h5o.get_info(obj.id), "addr") else obj.id.__hash__()
        if isinstance(obj, h5py.Dataset) and addr in done:
            dst[name] = dst.file[done[addr]]  # hard link, as LAMMPS links step/time between elements
            continue
        if isinstance(obj, h5py.Group):
            copy(obj, dst.create_group(name), done)
        else:
            kw = {}
            if obj.chunks is not None:
                kw = dict(chunks=obj.chunks, maxshape=obj.maxshape, compression="gzip", compression_opts=6, shuffle=True)
            d = dst.create_dataset(name, data=obj[()], dtype=obj.dtype, **kw)
            for k, v in obj.attrs.items():
                d.attrs[k] = v
            done[addr] = d.name


def main() -> None:
    lmp = os.environ.get("INTERPHASE_LMP")
    if not lmp:
        raise SystemExit("INTERPHASE_LMP is not set: source scripts/env.sh")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "in.lmp").write_text(SCRIPT)
        subprocess.run([lmp, "-in", "in.lmp", "-log", "none", "-screen", "none"], cwd=tmp, check=True)
        with h5py.File(Path(tmp) / "traj.h5", "r") as src, h5py.File(OUT / "deflated.h5", "w") as dst:
            copy(src, dst, {})
        (OUT / "deflated.lammpstrj").write_text((Path(tmp) / "traj.lammpstrj").read_text())
    with h5py.File(OUT / "deflated.h5", "r") as f:
        pos = f["particles/all/position/value"]
        print("position", pos.shape, "chunks", pos.chunks, "compression", pos.compression,
              "| box edges", f["particles/all/box/edges/value"].compression)


if __name__ == "__main__":
    main()
