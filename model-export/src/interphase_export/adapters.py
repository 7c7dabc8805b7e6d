"""Model adapters: what the exporter needs from one model architecture, and the registry of them.

An adapter turns a model source (a file path, or a name such as ``sevennet:7net-0``) into

* the model, loaded (``load``),
* a ``ModelInfo`` describing it: species, r_max, hops, per-edge-type cutoffs, dtype, latent (``describe``),
* an energy module that takes edge vectors (``energy_model``): a ``torch.nn.Module`` mapping the nequip-style
  dict ``{EDGE_VECTORS_KEY [E,3], EDGE_INDEX_KEY [2,E], ATOM_TYPE_KEY [N]}`` (``nequip.data.AtomicDataDict``)
  to a dict holding ``PER_ATOM_ENERGY_KEY`` [N,1] (and the key named by ``ModelInfo.latent``, if any).
  ``wrapper.EdgeEnergyForces`` differentiates it and ``graph.to_onnx`` traces it; if the module has a
  ``trace_context()`` context manager, tracing runs inside it (e.g. to patch an operation make_fx cannot
  capture symbolically),
* the model's own ASE calculator, the reference of the export check (``calculator``).

To add an architecture: write a module with a class that implements ``ModelAdapter`` and add one line
"module:Class" to ``ADAPTERS``.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Optional, Protocol, runtime_checkable

import torch

if TYPE_CHECKING:
    from ase.calculators.calculator import Calculator

# Registered adapters ("module:Class", modules of this package), tried in order: the first whose
# recognises(source) is true handles the source.
ADAPTERS: tuple[str, ...] = (
    "sevennet:SevenNetAdapter",
    "loader:NequipAdapter",
)
# Handles every source no adapter recognises: its load() says what is wrong with the file.
FALLBACK = "loader:NequipAdapter"

# optional per-atom latent output (contract: node_latent [N, F], invariant):
# ("edge_sum", key, ()) sums an [E, F] edge latent over each centre's edges (Allegro);
# ("node_channels", key, (c0, c1, ...)) takes the scalar (0e) channels of an [N, C] node latent (NequIP)
LatentSpec = tuple[str, str, tuple[int, ...]]


@dataclass(frozen=True)
class ModelInfo:
    """What the exporter needs to know about a loaded model."""

    source: str
    architecture: str  # "allegro" | "nequip" | "sevennet" (written as interphase.architecture)
    species: tuple[str, ...]
    r_max: float
    per_edge_type_cutoff: Optional[tuple[float, ...]]
    hops: int
    model_dtype: torch.dtype
    latent: Optional[LatentSpec] = None


@runtime_checkable
class ModelAdapter(Protocol):
    """One model architecture (family) the exporter can export; see the module docstring."""

    name: str

    def recognises(self, source: str) -> bool:
        """True if `source` names a model of this adapter (cheap: no loading)."""
        ...

    def load(self, source: str) -> Any:
        """The model of `source`, loaded; raises ExportError (cause and fix in one line) if it cannot be."""
        ...

    def describe(self, model: Any, source: str) -> ModelInfo:
        """Species, cutoffs, hops, dtype and latent of a loaded model; raises ExportError if unsupported."""
        ...

    def energy_model(self, model: Any, info: ModelInfo) -> torch.nn.Module:
        """The loaded model as an edge-vector energy module (eval mode, no parameter gradients)."""
        ...

    def calculator(self, source: str) -> "Calculator":
        """The model's own ASE calculator (energy, energies, forces, stress): the export check's reference."""
        ...


def _resolve(entry: str) -> ModelAdapter:
    module, _, cls = entry.partition(":")
    return getattr(importlib.import_module(f".{module}", __package__), cls)()


def adapter_for(source: str) -> ModelAdapter:
    """The registered adapter that recognises `source` (else the FALLBACK one)."""
    for entry in ADAPTERS:
        adapter = _resolve(entry)
        if adapter.recognises(str(source)):
            return adapter
    return _resolve(FALLBACK)


def load(source: str, adapter: Optional[ModelAdapter] = None) -> tuple[torch.nn.Module, ModelInfo]:
    """Load `source` with its adapter: (edge-vector energy module, description)."""
    adapter = adapter or adapter_for(source)
    model = adapter.load(source)
    info = adapter.describe(model, source)
    return adapter.energy_model(model, info), info


def reference_calculator(source: str) -> "Calculator":
    """The ASE calculator of `source`'s own framework (NequIPCalculator, SevenNetCalculator, ...)."""
    return adapter_for(source).calculator(source)


@contextlib.contextmanager
def quiet(stderr: bool = False) -> Iterator[None]:
    """Silence third-party chatter (logging below ERROR, warnings, stdout; stderr too if asked) while
    loading or exporting a model; errors still propagate."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with contextlib.redirect_stdout(io.StringIO()), (
                contextlib.redirect_stderr(io.StringIO()) if stderr else contextlib.nullcontext()
            ):
                yield
    finally:
        logging.disable(previous)
