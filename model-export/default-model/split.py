"""Split the labelled frames into train/val/test and fit per-type energy shifts.

Usage: python split.py [--bootstrap SEED] OUT_DIR [DATA.extxyz.xz ...]
  (default: every data/*.extxyz.xz except data/holdout.extxyz.xz, the independent hold-out set
   that only evaluate.py reads)
  --bootstrap SEED: the training frames are a bootstrap replicate (as many frames, drawn with
   replacement by numpy's default_rng(SEED)) of the training split; val and test are unchanged.
   Committee members trained on different replicates disagree where the data are thin.

The split is stratified by (source file, config_type) with a seed derived from the file name,
so a frame's split never changes when more active-learning rounds are added.
Writes OUT_DIR/{train,val,test}.extxyz and OUT_DIR/energy_shifts.txt (a Hydra override value
``{Li: x, P: y, S: z, Cl: w}`` from a least-squares fit of training energies vs composition), and
OUT_DIR/energy_shifts_zbl.txt, the same fit of the energies minus nequip's ZBL term (for configs
with that pair potential: the network then starts from the residual's mean), and
OUT_DIR/energy_shifts_isolated.txt, the labeller's isolated-atom energies (common.isolated_atom_energies;
for configs with ``energy_shifts_from: isolated``: the dissociation limit is then exact).
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


HOLDOUT = C.DATA_DIR / "holdout.extxyz.xz"


def training_files() -> list[Path]:
    """Every labelled data file except the independent hold-out set."""
    return [p for p in sorted(C.DATA_DIR.glob("*.extxyz.xz")) if p.name != HOLDOUT.name]


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


def zbl_energy(frames: list[Atoms], r_max: float = 5.0) -> np.ndarray:
    """Total energy of nequip's own ZBL term (as configured in allegro_lipscl_v2.yaml: metal
    units, cut off at r_max with p = 6) for each frame, eV."""
    import torch
    from nequip.data import AtomicDataDict
    from nequip.nn.pair_potential import ZBL
    from nequip.nn.utils import with_edge_vectors_

    species = list(C.SPECIES)
    C.nequip_ready()
    zbl = ZBL(type_names=species, chemical_species=species, units="metal",
              irreps_in={AtomicDataDict.NORM_LENGTH_KEY: "0e"})
    out = []
    for f in frames:
        data = with_edge_vectors_(C.nequip_graph(f, r_max), with_lengths=True)
        data[AtomicDataDict.NORM_LENGTH_KEY] = data[AtomicDataDict.EDGE_LENGTH_KEY].view(-1, 1) / r_max
        with torch.no_grad():
            out.append(float(zbl(data)[AtomicDataDict.PER_ATOM_ENERGY_KEY].sum()))
    return np.array(out)


def fit_energy_shifts(frames: list[Atoms], prior: np.ndarray | None = None) -> dict[str, float]:
    """Least-squares per-species energy references: E_total - E_prior ~ sum_s n_s mu_s."""
    A = np.array([[sum(1 for s in f.get_chemical_symbols() if s == sp) for sp in C.SPECIES]
                  for f in frames], dtype=float)
    e = np.array([f.get_potential_energy() for f in frames])
    if prior is not None:
        e = e - prior
    mu, *_ = np.linalg.lstsq(A, e, rcond=None)
    return {sp: float(m) for sp, m in zip(C.SPECIES, mu)}


def shifts_text(shifts: dict[str, float]) -> str:
    return "{" + ", ".join(f"{k}: {v:.6f}" for k, v in shifts.items()) + "}"


def bootstrap(frames: list[Atoms], seed: int) -> list[Atoms]:
    """A bootstrap replicate: len(frames) frames drawn with replacement."""
    idx = np.random.default_rng(seed).integers(0, len(frames), size=len(frames))
    return [frames[i] for i in np.sort(idx)]


def main(argv: list[str]) -> None:
    seed = None
    if argv[:1] == ["--bootstrap"]:
        if len(argv) < 2 or not argv[1].isdigit():
            sys.exit("split.py: --bootstrap needs a non-negative integer seed, e.g. --bootstrap 1")
        seed, argv = int(argv[1]), argv[2:]
    if not argv:
        sys.exit("usage: split.py [--bootstrap SEED] OUT_DIR [DATA.extxyz.xz ...]")
    out_dir = Path(argv[0])
    files = [Path(a) for a in argv[1:]] or training_files()
    if not files:
        sys.exit(f"no labelled data found in {C.DATA_DIR}: run make_dataset.py first")
    parts = split_frames(files)
    if seed is not None:
        parts["train"] = bootstrap(parts["train"], seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for key, frames in parts.items():
        write(out_dir / f"{key}.extxyz", frames, format="extxyz")
    text = shifts_text(fit_energy_shifts(parts["train"]))
    (out_dir / "energy_shifts.txt").write_text(text + "\n")
    # for models with nequip's ZBL term: the shifts of what the network has to learn
    zbl_text = shifts_text(fit_energy_shifts(parts["train"], zbl_energy(parts["train"])))
    (out_dir / "energy_shifts_zbl.txt").write_text(zbl_text + "\n")
    (out_dir / "energy_shifts_isolated.txt").write_text(shifts_text(C.isolated_atom_energies()) + "\n")
    print(f"train {len(parts['train'])}  val {len(parts['val'])}  test {len(parts['test'])}  "
          f"shifts {text}  (with ZBL: {zbl_text})")


if __name__ == "__main__":
    main(sys.argv[1:])
