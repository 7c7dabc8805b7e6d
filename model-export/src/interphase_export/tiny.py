"""Tiny Li/P/S/Cl models for tests and fixtures: a synthetic dataset and nequip-train configs.

The dataset is rattled/strained Li6PS5Cl, Li|Li6PS5Cl and Li2S cells labelled with ASE's
smooth Lennard-Jones potential (an analytic stand-in: the models only need to be non-trivial,
not physical). Training uses nequip's own entry point (`nequip-train`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import ase.io
import numpy as np
from ase.calculators.lj import LennardJones
from ase.calculators.singlepoint import SinglePointCalculator

from . import structures

SPECIES = ["Li", "P", "S", "Cl"]


def write_dataset(path: Path, n_frames: int = 16, seed: int = 0) -> Path:
    """Write an extxyz file of labelled frames (energy, forces, stress)."""
    rng = np.random.default_rng(seed)
    bases = [structures.argyrodite(), structures.li2s_conventional().repeat((2, 1, 1))]
    calc = LennardJones(sigma=2.0, epsilon=0.02, rc=5.0, smooth=True)
    frames = []
    for k in range(n_frames):
        atoms = bases[k % len(bases)].copy()
        atoms = structures.strained(atoms, rng.uniform(-0.03, 0.03, size=3))
        atoms = structures.rattled(atoms, 0.1, seed=seed * 1000 + k)
        atoms.calc = calc
        results = {
            "energy": atoms.get_potential_energy(),
            "forces": atoms.get_forces(),
            "stress": atoms.get_stress(),
        }
        atoms.calc = SinglePointCalculator(atoms, **results)
        frames.append(atoms)
    path.parent.mkdir(parents=True, exist_ok=True)
    ase.io.write(path, frames, format="extxyz")
    return path


_COMMON = """
run: [train]
seed: 1
cutoff_radius: {r_max}
model_type_names: [Li, P, S, Cl]
data:
  _target_: nequip.data.datamodule.ASEDataModule
  seed: ${{seed}}
  split_dataset:
    file_path: {data}
    train: 0.75
    val: 0.25
  transforms:
    - _target_: nequip.data.transforms.ChemicalSpeciesToAtomTypeMapper
      model_type_names: ${{model_type_names}}
    - _target_: nequip.data.transforms.NeighborListTransform
      r_max: ${{cutoff_radius}}
  train_dataloader:
    _target_: torch.utils.data.DataLoader
    batch_size: 2
    shuffle: true
  val_dataloader:
    _target_: torch.utils.data.DataLoader
    batch_size: 4
  stats_manager:
    _target_: nequip.data.CommonDataStatisticsManager
    type_names: ${{model_type_names}}
trainer:
  _target_: lightning.Trainer
  accelerator: cpu
  max_epochs: {epochs}
  check_val_every_n_epoch: 1
  log_every_n_steps: 1
  enable_progress_bar: false
  logger: false
  callbacks:
    - _target_: lightning.pytorch.callbacks.ModelCheckpoint
      dirpath: ${{hydra:runtime.output_dir}}
      filename: last
      save_last: false
      save_top_k: 1
      monitor: val0_epoch/weighted_sum
training_module:
  _target_: nequip.train.EMALightningModule
  loss:
    _target_: nequip.train.EnergyForceLoss
    per_atom_energy: true
    coeffs:
      total_energy: 1.0
      forces: 1.0
  val_metrics:
    _target_: nequip.train.EnergyForceMetrics
    coeffs:
      per_atom_energy_mae: 1.0
      forces_mae: 1.0
  optimizer:
    _target_: torch.optim.Adam
    lr: 0.01
  model:
{model}
"""

# The model section of a config: `_target_`, the keys every model takes (_MODEL_HEAD), the
# architecture's own keys, and the energy statistics from the training data (_MODEL_STATS).
_MODEL_HEAD = """    seed: ${seed}
    model_dtype: DTYPE
    type_names: ${model_type_names}
    r_max: ${cutoff_radius}
"""
_MODEL_STATS = """    avg_num_neighbors: ${training_data_stats:num_neighbors_mean}
    per_type_energy_shifts: ${training_data_stats:per_atom_energy_mean}
    per_type_energy_scales: ${training_data_stats:forces_rms}
"""


def _model(target: str, keys: str, dtype: str = "float64") -> str:
    return f"    _target_: {target}\n" + _MODEL_HEAD.replace("DTYPE", dtype) + keys + _MODEL_STATS


_NEQUIP_MODEL = _model("nequip.model.NequIPGNNModel", """    l_max: 1
    parity: true
    num_layers: 2
    num_features: 8
    radial_mlp_depth: 1
    radial_mlp_width: 8
""")

_ALLEGRO_KEYS = """    per_edge_type_cutoff:
      Li: 4.0
      P: 4.0
      S: {Li: 4.0, P: 3.0, S: 4.0, Cl: 4.0}
      Cl: 4.0
    l_max: 1
    radial_chemical_embed:
      _target_: allegro.nn.TwoBodyBesselScalarEmbed
      num_bessels: 4
    radial_chemical_embed_dim: 8
    scalar_embed_mlp_hidden_layers_depth: 1
    scalar_embed_mlp_hidden_layers_width: 8
    num_layers: 1
    num_scalar_features: 8
    num_tensor_features: 4
    allegro_mlp_hidden_layers_depth: 1
    allegro_mlp_hidden_layers_width: 8
    readout_mlp_hidden_layers_depth: 1
    readout_mlp_hidden_layers_width: 8
"""
_ALLEGRO_MODEL = _model("allegro.model.AllegroModel", _ALLEGRO_KEYS)

# the default model's v2 shape: float32 weights plus nequip's ZBL core repulsion, whose float64
# sums sit inside a float32 graph
_ALLEGRO_ZBL_F32_MODEL = _model("allegro.model.AllegroModel", _ALLEGRO_KEYS + """    pair_potential:
      _target_: nequip.nn.pair_potential.ZBL
      units: metal
      chemical_species: ${model_type_names}
""", dtype="float32")

ARCHITECTURES = {"nequip": _NEQUIP_MODEL, "allegro": _ALLEGRO_MODEL, "allegro-zbl-f32": _ALLEGRO_ZBL_F32_MODEL}


def write_config(workdir: Path, arch: str, data: Path, r_max: float = 4.0, epochs: int = 2) -> Path:
    text = _COMMON.format(r_max=r_max, data=data.resolve(), epochs=epochs, model=ARCHITECTURES[arch])
    path = workdir / f"{arch}.yaml"
    path.write_text(text)
    return path


def train(workdir: Path, arch: str, data: Path, epochs: int = 2, r_max: float = 4.0) -> Path:
    """Train a tiny model with `nequip-train` and return its checkpoint path."""
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    config = write_config(workdir, arch, data, r_max=r_max, epochs=epochs)
    out = workdir / f"run-{arch}"
    if out.exists():
        shutil.rmtree(out)
    exe = Path(sys.executable).with_name("nequip-train")
    cmd = [
        str(exe),
        "-cp", str(workdir),
        "-cn", config.stem,
        f"hydra.run.dir={out}",
    ]
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    proc = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"nequip-train failed for {arch}:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    ckpt = out / "last.ckpt"
    if not ckpt.is_file():
        found = sorted(out.glob("*.ckpt"))
        if not found:
            raise RuntimeError(f"nequip-train produced no checkpoint in {out}")
        ckpt = found[0]
    return ckpt


def package(ckpt: Path, output: Path) -> Path:
    """Package a checkpoint with `nequip-package build` (a .nequip.zip)."""
    exe = Path(sys.executable).with_name("nequip-package")
    cmd = [str(exe), "build", str(ckpt), str(output)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"nequip-package failed:\n{proc.stderr[-5000:]}")
    return output
