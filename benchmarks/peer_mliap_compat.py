"""Adapter between nequip 0.19.1's LAMMPS ML-IAP wrapper and LAMMPS 4Feb2025's (non-Kokkos) ML-IAP.

Benchmark-only (benchmarks/peer_mliap.py). nequip's ``NequIPLAMMPSMLIAPWrapper.compute_forces``
targets a newer ML-IAP Python API than the one in LAMMPS 4Feb2025's ``mliap_unified_couple.pyx``:

* it calls ``data.update_pair_forces_gpu(torch_tensor)``; 4Feb2025 (non-Kokkos) only has
  ``update_pair_forces(double[:, ::1])`` (same C++ routine: f_i += f_ij, f_j -= f_ij, v_tally);
* it reads ``data.eatoms`` to copy per-atom energies in place; in 4Feb2025 ``eatoms`` is a
  write-only property (assignment copies ``nlistatoms`` values).

``NequIPMLIAPCompat`` keeps nequip's model code path untouched (same graph, same autograd call,
same sign convention) and only translates those two calls through a thin proxy of the LAMMPS data
object. Everything else is forwarded unchanged. The pickled artefact references this module, so
``benchmarks/`` must be on PYTHONPATH of the LAMMPS process (peer_mliap.py does that).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from nequip.integrations.lammps_mliap.lmp_mliap_wrapper import NequIPLAMMPSMLIAPWrapper


class _DataProxy:
    """Forwards attribute access to the LAMMPS ``MLIAPDataPy`` object, adapting two members."""

    __slots__ = ("_data", "eatoms", "energy", "_forces_set")

    def __init__(self, data: Any) -> None:
        object.__setattr__(self, "_data", data)
        # readable per-atom energy buffer (nequip does torch.as_tensor(data.eatoms).copy_(...))
        object.__setattr__(self, "eatoms", np.zeros(data.nlistatoms, dtype=np.float64))
        object.__setattr__(self, "energy", None)
        object.__setattr__(self, "_forces_set", False)

    def __getattr__(self, name: str) -> Any:  # only called for names not in __slots__
        return getattr(self._data, name)

    def update_pair_forces_gpu(self, fij: torch.Tensor) -> None:
        arr = np.ascontiguousarray(fij.detach().cpu().numpy(), dtype=np.float64)
        self._data.update_pair_forces(arr)
        object.__setattr__(self, "_forces_set", True)

    def flush(self) -> None:
        """Hand energies back to LAMMPS through the 4Feb2025 write-only properties."""
        if self.energy is not None:
            self._data.energy = float(self.energy)
        self._data.eatoms = self.eatoms


class NequIPMLIAPCompat(NequIPLAMMPSMLIAPWrapper):
    """nequip's wrapper, called through ``_DataProxy`` (see module docstring)."""

    def compute_forces(self, lmp_data: Any) -> None:
        if lmp_data.nlocal == 0 or lmp_data.npairs <= 1:
            # nequip returns early here too (energy/forces stay zero); keep the lazy init behaviour
            if self.model is None:
                self._initialize_model(lmp_data)
            return
        proxy = _DataProxy(lmp_data)
        super().compute_forces(proxy)
        proxy.flush()


def convert(src: str, dst: str) -> None:
    """Re-save an artefact written by ``nequip-prepare-lmp-mliap`` with the adapter class."""
    obj = torch.load(src, weights_only=False)
    if not isinstance(obj, NequIPLAMMPSMLIAPWrapper):
        raise SystemExit(f"peer_mliap_compat: {src} is not a nequip ML-IAP artefact (got {type(obj).__name__}).")
    obj.__class__ = NequIPMLIAPCompat
    torch.save(obj, dst)
