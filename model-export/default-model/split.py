"""Split the labelled frames into train/val/test and fit per-type energy shifts.

Usage: python split.py OUT_DIR [DATA.extxyz.xz ...]   (default: every data/*.extxyz.xz)

The split is stratified by (source file, config_type) with a seed derived from the file name,
so a frame's split never changes when more active-learning rounds are added.
Writes OUT_DIR/{train,val,test}.extxyz and OUT_DIR/energy_shifts.txt (a Hydra override value
``{Li: x, P: y, S: z, Cl: w}`` from a least-squares fit of training energies vs composition).
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.io import write

import common as C

TEST_FRACTION = 0.10
VAL_FRACTION = 0.10


def split_frames(files: list[Path]) -> dict[str, list[Atoms]]:
    out: dict[str, list[Atoms]] = {"train": [], "val": [], "test": []}
    for path in files:
        frames = C.read_xz(path)
        fams: dict[str, list[Atoms]] = {}
        for f in frames:
            f.info["source"] = path.name.split(".")[0]
            fams.setdefault(str(f.info["config_type"]), []).append(f)
        for fam, group in sorted(fams.items()):
            rng = np.random.default_rng(zlib.crc32(f"{path.name}:{fam}".encode()))
            idx = rng.permutation(len(group))
            n_test = int(round(TEST_FRACTION * len(group)))
            n_val = max(1, int(round(VAL_FRACTION * len(group)))) if len(group) > 2 else 0
            for k, i in enumerate(idx):
                key = "test" if k < n_test else ("val" if k < n_test + n_val else "train")
                out[key].append(group[i])
    return out


def fit_energy_shifts(frames: list[Atoms]) -> dict[str, float]:
    """Least-squares per-species energy references: E_total ~ sum_s n_s mu_s."""
    A = np.array([[sum(1 for s in f.get_chemical_symbols() if s == sp) for sp in C.SPECIES]
                  for f in frames], dtype=float)
    e = np.array([f.get_potential_energy() for f in frames])
    mu, *_ = np.linalg.lstsq(A, e, rcond=None)
    return {sp: float(m) for sp, m in zip(C.SPECIES, mu)}


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit("usage: split.py OUT_DIR [DATA.extxyz.xz ...]")
    out_dir = Path(argv[0])
    files = [Path(a) for a in argv[1:]] or sorted(C.DATA_DIR.glob("*.extxyz.xz"))
    if not files:
        sys.exit(f"no labelled data found in {C.DATA_DIR}: run make_dataset.py first")
    parts = split_frames(files)
    out_dir.mkdir(parents=True, exist_ok=True)
    for key, frames in parts.items():
        write(out_dir / f"{key}.extxyz", frames, format="extxyz")
    shifts = fit_energy_shifts(parts["train"])
    text = "{" + ", ".join(f"{k}: {v:.6f}" for k, v in shifts.items()) + "}"
    (out_dir / "energy_shifts.txt").write_text(text + "\n")
    print(f"train {len(parts['train'])}  val {len(parts['val'])}  test {len(parts['test'])}  "
          f"shifts {text}")


if __name__ == "__main__":
    main(sys.argv[1:])
