"""Export check: ONNX Runtime vs the model's own ASE calculator (from its adapter) on sample structures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Optional

import numpy as np
from ase import Atoms
from ase.calculators.calculator import Calculator

from .adapters import ModelInfo, reference_calculator
from .graph import edge_graph
from .loader import calculator as nequip_calculator  # noqa: F401  (NequIPCalculator; used by scripts and tests)

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class Evaluation:
    energy: float
    energies: np.ndarray  # [N]
    forces: np.ndarray  # [N,3]
    virial: Optional[np.ndarray]  # [3,3] sum_i r_i (x) f_i, None if non-periodic


@dataclass(frozen=True)
class Comparison:
    structure: str
    natoms: int
    d_energy: float  # |dE| eV
    d_energies: float  # max |de_i| eV
    d_forces: float  # max |dF| eV/A
    d_virial: float  # max |dW| eV (0 if non-periodic)

    @property
    def worst(self) -> float:
        """Largest deviation, with total energy and virial per atom (so the bound does not grow with N)."""
        n = max(1, self.natoms)
        return max(self.d_energy / n, self.d_energies, self.d_forces, self.d_virial / n)


class OnnxPotential:
    """Evaluates a contract-v1 ONNX model on ASE Atoms with an ASE neighbour list (numpy scatter)."""

    def __init__(self, path: Path):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        # one intra-op thread: ONNX Runtime's ScatterND sums race across threads (docs/native-bridge.md)
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        self.species = meta["interphase.species"].split()
        self.r_max = float(meta["interphase.r_max"])
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.dtype = np.float64 if self.session.get_inputs()[0].type == "tensor(double)" else np.float32

    def feeds(self, atoms: Atoms) -> dict[str, np.ndarray]:
        index, vectors = edge_graph(atoms, self.r_max)
        try:
            types = np.array([self.species.index(s) for s in atoms.get_chemical_symbols()], dtype=np.int64)
        except ValueError as exc:
            raise ValueError(f"structure has species not in the model {self.species}") from exc
        feeds = {"edge_vectors": vectors.astype(self.dtype), "edge_index": index, "atom_types": types}
        if "node_energy_mask" in self.inputs:
            feeds["node_energy_mask"] = np.ones(len(atoms), dtype=self.dtype)
        return feeds

    def evaluate(self, atoms: Atoms) -> Evaluation:
        feeds = self.feeds(atoms)
        atomic_energy, edge_forces = self.session.run(["atomic_energy", "edge_forces"], feeds)
        return assemble(atoms, feeds["edge_index"], feeds["edge_vectors"], atomic_energy, edge_forces)


def assemble(
    atoms: Atoms, edge_index: np.ndarray, edge_vectors: np.ndarray, atomic_energy: np.ndarray, edge_forces: np.ndarray
) -> Evaluation:
    """Forces and virial from edge forces: F_i = sum_{e=(i,j)} f_e - sum_{e=(j,i)} f_e; W = -sum_e r_e (x) f_e."""
    n = len(atoms)
    fe = edge_forces.astype(np.float64)
    forces = np.zeros((n, 3))
    np.add.at(forces, edge_index[0], fe)
    np.add.at(forces, edge_index[1], -fe)
    virial = None
    if atoms.pbc.all():
        virial = -np.einsum("ea,eb->ab", edge_vectors.astype(np.float64), fe)
    e = atomic_energy.astype(np.float64)
    return Evaluation(float(e.sum()), e, forces, virial)


def nequip_reference(atoms: Atoms, calc: Calculator) -> Evaluation:
    """Energy, per-atom energies, forces and virial (= -stress * volume) from the model's own ASE calculator."""
    from ase.stress import voigt_6_to_full_3x3_stress

    atoms = atoms.copy()
    atoms.calc = calc
    energy = float(atoms.get_potential_energy())
    energies = np.asarray(atoms.get_potential_energies(), dtype=np.float64)
    forces = np.asarray(atoms.get_forces(), dtype=np.float64)
    virial = None
    if atoms.pbc.all():
        stress = voigt_6_to_full_3x3_stress(atoms.get_stress())
        virial = -stress * atoms.get_volume()
    return Evaluation(energy, energies, forces, virial)


def compare(name: str, atoms: Atoms, ref: Evaluation, got: Evaluation) -> Comparison:
    dv = 0.0
    if ref.virial is not None and got.virial is not None:
        dv = float(np.abs(ref.virial - got.virial).max())
    return Comparison(
        structure=name,
        natoms=len(atoms),
        d_energy=abs(ref.energy - got.energy),
        d_energies=float(np.abs(ref.energies - got.energies).max()),
        d_forces=float(np.abs(ref.forces - got.forces).max()),
        d_virial=dv,
    )


def run_check(onnx_path: Path, source: str, structures: Mapping[str, Atoms]) -> list[Comparison]:
    pot = OnnxPotential(onnx_path)
    calc = reference_calculator(source)
    out = []
    for name, atoms in structures.items():
        out.append(compare(name, atoms, nequip_reference(atoms, calc), pot.evaluate(atoms)))
    return out


def latent_deviation(
    onnx_path: Path, model: torch.nn.Module, info: ModelInfo, structures: Mapping[str, Atoms]
) -> tuple[float, float]:
    """Largest |node_latent(ONNX) - node_latent(energy model, eager torch)| over the structures, and
    the largest |feature| (for a relative bound). Same edges for both."""
    import torch
    from nequip.data import AtomicDataDict

    from .wrapper import node_latent

    pot = OnnxPotential(onnx_path)
    worst, scale = 0.0, 0.0
    dtype = info.model_dtype
    for atoms in structures.values():
        feeds = pot.feeds(atoms)
        (got,) = pot.session.run(["node_latent"], feeds)
        data = {
            AtomicDataDict.EDGE_VECTORS_KEY: torch.tensor(feeds["edge_vectors"], dtype=dtype),
            AtomicDataDict.EDGE_INDEX_KEY: torch.tensor(feeds["edge_index"]),
            AtomicDataDict.ATOM_TYPE_KEY: torch.tensor(feeds["atom_types"]),
        }
        with torch.enable_grad():
            out = model(data)
        ref = node_latent(out, info.latent, len(atoms), data[AtomicDataDict.EDGE_INDEX_KEY]).numpy()
        worst = max(worst, float(np.max(np.abs(got.astype(np.float64) - ref))) if ref.size else 0.0)
        scale = max(scale, float(np.max(np.abs(ref))) if ref.size else 0.0)
    return worst, scale
