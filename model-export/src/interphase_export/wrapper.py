"""Edge-vector energy/force wrapper around an adapter's energy module (ONNX contract v1 signature)."""

from __future__ import annotations

from typing import Optional

import torch

from nequip.data import AtomicDataDict

from .adapters import LatentSpec


class EdgeEnergyForces(torch.nn.Module):
    """(edge_vectors, edge_index, atom_types[, node_energy_mask]) -> (atomic_energy, edge_forces).

    `model` is a pure energy model that takes edge vectors: an adapter's energy_model (adapters.py),
    e.g. a nequip GraphModel whose ForceStressOutput has been disabled. nequip computes edge vectors
    from positions only when EDGE_VECTORS_KEY is absent (nequip.nn.utils.with_edge_vectors_), so
    feeding them directly makes them the leaf we differentiate:
    edge_forces = d(sum_i mask_i e_i)/d(edge_vectors).
    """

    def __init__(self, model: torch.nn.Module, with_mask: bool, latent: Optional[LatentSpec] = None):
        super().__init__()
        self.model = model
        self.with_mask = with_mask
        self.latent = latent

    def forward(
        self,
        edge_vectors: torch.Tensor,
        edge_index: torch.Tensor,
        atom_types: torch.Tensor,
        node_energy_mask: Optional[torch.Tensor] = None,
    ) -> tuple[torch.Tensor, ...]:
        if not edge_vectors.requires_grad:
            edge_vectors = edge_vectors.detach().requires_grad_(True)
        data = {
            AtomicDataDict.EDGE_VECTORS_KEY: edge_vectors,
            AtomicDataDict.EDGE_INDEX_KEY: edge_index,
            AtomicDataDict.ATOM_TYPE_KEY: atom_types,
        }
        out = self.model(data)
        atomic_energy = out[AtomicDataDict.PER_ATOM_ENERGY_KEY].reshape(-1)
        if node_energy_mask is not None:
            total = (atomic_energy * node_energy_mask).sum()
        else:
            total = atomic_energy.sum()
        (edge_forces,) = torch.autograd.grad([total], [edge_vectors])
        if self.latent is None:
            return atomic_energy, edge_forces
        return atomic_energy, edge_forces, node_latent(out, self.latent, atom_types.shape[0], edge_index)


def node_latent(out: dict, spec: LatentSpec, n_atoms: int, edge_index: torch.Tensor) -> torch.Tensor:
    """The invariant per-atom latent [N, F] described by `spec` (ModelInfo.latent), detached."""
    kind, key, channels = spec
    feats = out[key].detach()
    if kind == "edge_sum":
        acc = torch.zeros((n_atoms, feats.shape[1]), dtype=feats.dtype, device=feats.device)
        return acc.index_add(0, edge_index[0], feats)
    if kind == "node_channels":
        if channels == tuple(range(feats.shape[1])):
            return feats
        return feats[:, list(channels)]
    raise ValueError(f"unknown latent kind {kind!r}")
