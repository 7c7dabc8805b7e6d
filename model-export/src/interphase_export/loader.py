"""The nequip adapter: load a nequip model (checkpoint or package; Allegro or NequIP) and describe it
for the ONNX contract."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import torch
from ase.data import chemical_symbols

from .adapters import LatentSpec, ModelInfo, quiet
from .errors import ExportError, first_line

if TYPE_CHECKING:
    from ase.calculators.calculator import Calculator

    from .layered import Stages

__all__ = ["ModelInfo", "NequipAdapter", "calculator", "describe", "load_energy_model"]

_ELEMENTS = set(chemical_symbols[1:])

# Message-passing layer classes (one hop each) and strictly local architectures, by class name:
# packaged models are loaded through torch.package, so isinstance() against the installed
# classes does not work; class names do.
_MP_LAYERS = {"ConvNetLayer"}
_LOCAL_MARKERS = {"Allegro_Module"}


class NequipAdapter:
    """nequip 0.19 GraphModels (allegro AllegroModel, nequip NequIPGNNModel) from a checkpoint (.ckpt)
    or package (.nequip.zip). The registry's FALLBACK: its load() explains what is wrong with any source."""

    name = "nequip"

    def recognises(self, source: str) -> bool:
        return str(source).endswith((".ckpt", ".nequip.zip"))

    def load(self, source: str) -> Any:
        return _load_graph_model(Path(source))

    def describe(self, model: Any, source: str) -> ModelInfo:
        return describe(model, str(Path(source)))

    def energy_model(self, model: Any, info: ModelInfo) -> torch.nn.Module:
        return _energy_only(model, Path(info.source))

    def calculator(self, source: str) -> "Calculator":
        return calculator(source)

    def stages(self, model: Any, info: ModelInfo) -> "Stages":
        """A NequIP model cut at its ConvNetLayers (contract v2, layered.py)."""
        return nequip_stages(_energy_only(model, Path(info.source)), info)


def load_energy_model(path: Path) -> tuple[torch.nn.Module, ModelInfo]:
    """Load `path` as an eager nequip GraphModel with force/stress output disabled (pure energy model)."""
    from .adapters import load

    return load(str(Path(path)), NequipAdapter())


def calculator(source: str) -> "Calculator":
    """nequip's own ASE calculator (NequIPCalculator) for a checkpoint or package."""
    from nequip.integrations.ase import NequIPCalculator

    with quiet():
        return NequIPCalculator._from_saved_model(source, device="cpu")


def _validate_path(path: Path) -> None:
    name = path.name
    if str(path).startswith("nequip.net:"):
        raise ExportError(
            f"{path}: remote model ids are not supported; download the model and pass the local .nequip.zip file"
        )
    if not path.exists():
        raise ExportError(f"model file {path} does not exist: pass a nequip checkpoint (.ckpt) or package (.nequip.zip)")
    if path.is_dir():
        raise ExportError(f"{path} is a directory: pass a nequip checkpoint (.ckpt) or package (.nequip.zip) file")
    if not os.access(path, os.R_OK):
        raise ExportError(f"model file {path} is not readable: check its permissions")
    if name.endswith((".nequip.pt2", ".nequip.pth", ".pth", ".pt2")):
        raise ExportError(
            f"{path} looks like a nequip-compile output, which cannot be re-exported: pass the .ckpt or .nequip.zip it was compiled from"
        )
    if name.endswith(".nequip.zip"):
        if not zipfile.is_zipfile(path):
            raise ExportError(f"{path} is not a valid nequip package (not a zip file): re-create it with nequip-package build")
    elif name.endswith(".ckpt"):
        if not zipfile.is_zipfile(path):
            raise ExportError(f"{path} is not a valid PyTorch checkpoint: pass a .ckpt written by nequip-train")
    else:
        raise ExportError(
            f"{path}: unknown model file type; pass a nequip checkpoint (.ckpt) or package (.nequip.zip)"
        )


def _load_graph_model(path: Path) -> Any:
    """`path` as an eager nequip GraphModel (with its ForceStressOutput)."""
    _validate_path(path)
    from nequip.model.saved_models.load_utils import load_saved_model
    from nequip.utils.global_state import set_global_state

    set_global_state(allow_tf32=False)
    try:
        with quiet():
            model = load_saved_model(str(path), compile_mode="eager")
    except ExportError:
        raise
    except Exception as exc:  # nequip/lightning/torch raise many types for bad files
        raise ExportError(
            f"cannot load {path} as a nequip 0.19 model ({type(exc).__name__}: {first_line(exc)}): pass a .ckpt or .nequip.zip written by nequip 0.19"
        ) from exc
    if not getattr(model, "is_graph_model", False) or not hasattr(model, "metadata"):
        raise ExportError(f"{path} does not hold a nequip GraphModel: pass a nequip checkpoint or package")
    return model


def _energy_only(model: Any, path: Path) -> torch.nn.Module:
    """The GraphModel with its ForceStressOutput disabled, in eval mode, without parameter gradients."""
    from nequip.model.modify_utils import get_all_modifiers, modify

    modifiers = get_all_modifiers(model)
    if "disable_ForceStressOutput" in modifiers:
        with quiet():
            model = modify(model, [{"modifier": "disable_ForceStressOutput"}])
    elif hasattr(model, "model") and hasattr(model.model, "func"):
        model.model = model.model.func
    else:
        raise ExportError(
            f"{path}: the model has no ForceStressOutput to disable, so it is not a nequip energy model this exporter supports"
        )
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def describe(model: torch.nn.Module, source: str) -> ModelInfo:
    """Species, cutoffs, hops and dtype of a nequip GraphModel; rejects unsupported ones."""
    meta = model.metadata
    names = meta["type_names"].split()
    bad = [n for n in names if n not in _ELEMENTS]
    if bad:
        raise ExportError(
            f"model type names {bad} are not chemical element symbols: retrain with model_type_names set to elements (e.g. [Li, P, S, Cl])"
        )
    classes = [type(m).__name__ for m in model.modules()]
    n_mp = sum(1 for c in classes if c in _MP_LAYERS)
    if any(c in _LOCAL_MARKERS for c in classes) and n_mp == 0:
        architecture, hops = "allegro", 1
    elif n_mp > 0:
        architecture, hops = "nequip", n_mp
    else:
        raise ExportError(
            f"unsupported architecture in {source} (neither Allegro nor NequIP message passing layers found): only nequip NequIPGNNModel and allegro AllegroModel can be exported"
        )
    pec = meta.get("per_edge_type_cutoff")
    per_edge = tuple(float(x) for x in pec.split()) if pec else None
    if per_edge is not None and len(per_edge) != len(names) ** 2:
        raise ExportError(f"{source}: per_edge_type_cutoff has {len(per_edge)} values, expected {len(names) ** 2}")
    dtype = {"float32": torch.float32, "float64": torch.float64}[meta.get("model_dtype", "float64")]
    return ModelInfo(
        latent=_latent_spec(model, architecture),
        source=source,
        architecture=architecture,
        species=tuple(names),
        r_max=float(meta["r_max"]),
        per_edge_type_cutoff=per_edge,
        hops=hops,
        model_dtype=dtype,
    )


def _latent_spec(model: torch.nn.Module, architecture: str) -> Optional[LatentSpec]:
    """Where the model's invariant per-atom latent lives (see ModelInfo.latent), or None."""
    if architecture == "allegro":
        # the final edge latent of Allegro's scalar track: invariant, [E, latent width]
        return ("edge_sum", "edge_features", ())
    irreps = None
    for module in model.modules():
        out = getattr(module, "irreps_out", None)
        if isinstance(out, dict) and out.get("node_features") is not None:
            irreps = out["node_features"]  # the last module that sets node_features wins
    if irreps is None:
        return None
    channels: list[int] = []
    start = 0
    for mul, ir in irreps:
        dim = mul * ir.dim
        if ir.l == 0 and ir.p == 1:
            channels.extend(range(start, start + dim))
        start += dim
    return ("node_channels", "node_features", tuple(channels)) if channels else None


def nequip_stages(model: torch.nn.Module, info: ModelInfo) -> "Stages":
    """The embedding (NodeTypeEmbed), each ConvNetLayer (with the edge modules before the first
    layer, recomputed per layer) and the readout (the modules after the last layer, without the
    total-energy sum) of an energy-only NequIP GraphModel."""
    from .layered import Stages

    seq = model.model
    while hasattr(seq, "func"):
        seq = seq.func
    names = list(seq._modules)
    kinds = [type(seq._modules[n]).__name__ for n in names]
    mp = [k for k, c in enumerate(kinds) if c in _MP_LAYERS]
    if not mp or mp != list(range(mp[0], mp[-1] + 1)):
        raise ExportError(f"{info.source}: the message-passing layers are not one contiguous block, so the model cannot be cut per layer: export it with contract 1")
    prelude = [seq._modules[n] for n in names[: mp[0]]]
    node = [m for m in prelude if type(m).__name__ == "NodeTypeEmbed"]
    if len(node) != 1:
        raise ExportError(f"{info.source}: no single NodeTypeEmbed before the layers: export it with contract 1")
    readout = [seq._modules[n] for n, c in zip(names[mp[-1] + 1 :], kinds[mp[-1] + 1 :]) if c != "AtomwiseReduce"]
    layers = tuple(_NequipLayer(prelude, seq._modules[names[k]]) for k in mp)
    return Stages(embed=_NequipEmbed(node), layers=layers, readout=_NequipReadout(node, readout))


class _NequipEmbed(torch.nn.Module):
    def __init__(self, node: list):
        super().__init__()
        self.node = torch.nn.ModuleList(node)

    def forward(self, atom_types: torch.Tensor) -> torch.Tensor:
        from nequip.data import AtomicDataDict

        data = {AtomicDataDict.ATOM_TYPE_KEY: atom_types}
        for m in self.node:
            data = m(data)
        return data[AtomicDataDict.NODE_FEATURES_KEY]


class _NequipLayer(torch.nn.Module):
    def __init__(self, prelude: list, layer: torch.nn.Module):
        super().__init__()
        self.prelude = torch.nn.ModuleList(prelude)
        self.layer = layer

    def forward(self, node_features, edge_vectors, edge_index, atom_types) -> torch.Tensor:
        from nequip.data import AtomicDataDict

        data = {
            AtomicDataDict.EDGE_VECTORS_KEY: edge_vectors,
            AtomicDataDict.EDGE_INDEX_KEY: edge_index,
            AtomicDataDict.ATOM_TYPE_KEY: atom_types,
        }
        for m in self.prelude:
            data = m(data)
        data[AtomicDataDict.NODE_FEATURES_KEY] = node_features
        return self.layer(data)[AtomicDataDict.NODE_FEATURES_KEY]


class _NequipReadout(torch.nn.Module):
    def __init__(self, node: list, readout: list):
        super().__init__()
        self.node = torch.nn.ModuleList(node)
        self.readout = torch.nn.ModuleList(readout)

    def forward(self, node_features, atom_types) -> torch.Tensor:
        from nequip.data import AtomicDataDict

        data = {AtomicDataDict.ATOM_TYPE_KEY: atom_types}
        for m in self.node:
            data = m(data)
        data[AtomicDataDict.NODE_FEATURES_KEY] = node_features
        for m in self.readout:
            data = m(data)
        return data[AtomicDataDict.PER_ATOM_ENERGY_KEY].reshape(-1)
