"""The SevenNet adapter (experimental): export the universal SevenNet-0 potential shipped inside the
`sevenn` package (no download) as `interphase-export sevennet:7net-0 -o 7net-0.onnx`.

The SevenNet model (sevenn.nn.sequential.AtomGraphSequential) consumes edge vectors directly
(sevenn's EdgeEmbedding reads KEY.EDGE_VEC), like its own LAMMPS ML-IAP wrapper; its force module is
removed so the exporter's autograd wrapper differentiates with respect to the edge vectors.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Iterator

import torch
from ase.data import chemical_symbols

from .adapters import ModelInfo, quiet
from .errors import ExportError

if TYPE_CHECKING:
    from ase.calculators.calculator import Calculator

    from .layered import Stages

PREFIX = "sevennet:"


class SevenNetAdapter:
    """`sevennet:NAME`: a SevenNet model shipped with `sevenn` (e.g. sevennet:7net-0)."""

    name = "sevennet"

    def recognises(self, source: str) -> bool:
        return is_sevennet(source)

    def load(self, source: str) -> Any:
        """The AtomGraphSequential of a calculator built for this call only (energy_model modifies it;
        no deepcopy: after e3nn has scripted functions in the process, the model holds ScriptFunctions,
        which cannot be copied)."""
        return calculator(source).model

    def describe(self, model: Any, source: str) -> ModelInfo:
        r_cut = float(model.cutoff)
        species = tuple(chemical_symbols[int(z)] for z in _z_of_type(model).tolist())
        hops = sum(1 for k in model._modules if k.endswith("_convolution"))
        if hops == 0:
            raise ExportError(f"unsupported SevenNet model {source}: no convolution layers found")
        dtype = next(model.parameters()).dtype
        return ModelInfo(
            source=str(source),
            architecture="sevennet",
            species=species,
            r_max=r_cut,
            per_edge_type_cutoff=None,
            hops=hops,
            model_dtype=dtype,
        )

    def energy_model(self, model: Any, info: ModelInfo) -> torch.nn.Module:
        model.delete_module_by_key("force_output")
        model.set_is_batch_data(False)
        model.key_grad = None
        emb = model._modules["edge_embedding"]
        emb.cutoff_function = _CutoffStep(emb.cutoff_function, info.r_max)
        model.eval()
        for p in model.parameters():
            p.requires_grad_(False)
        return SevenNetEnergy(model, _z_of_type(model))

    def calculator(self, source: str) -> "Calculator":
        return calculator(source)

    def stages(self, model: Any, info: ModelInfo) -> "Stages":
        """SevenNet cut at its interaction blocks (modules "k_*"), for contract v2 (layered.py)."""
        from .layered import Stages

        energy = self.energy_model(model, info)
        seq = energy.model
        names = list(seq._modules)
        blocks = sorted({int(n.split("_", 1)[0]) for n in names if n.split("_", 1)[0].isdigit()})
        first = next(k for k, n in enumerate(names) if n.split("_", 1)[0].isdigit())
        last = max(k for k, n in enumerate(names) if n.split("_", 1)[0].isdigit())
        if blocks != list(range(len(blocks))) or len(blocks) != info.hops:
            raise ExportError(f"{info.source}: unexpected SevenNet layer names {names}: export it with contract 1")
        edge = [seq._modules[n] for n in names[:first] if n == "edge_embedding"]
        node = [seq._modules[n] for n in names[:first] if n != "edge_embedding"]
        readout = [seq._modules[n] for n in names[last + 1 :] if type(seq._modules[n]).__name__ != "AtomReduce"]
        z = energy.z_of_type
        layers = tuple(
            _SevenNetStage(z, edge + node, [seq._modules[n] for n in names if n.startswith(f"{k}_")], "layer")
            for k in blocks
        )
        return Stages(embed=_SevenNetStage(z, [], node, "embed"), layers=layers,
                      readout=_SevenNetStage(z, node, readout, "readout"), trace_context=energy.trace_context)


def is_sevennet(source: str) -> bool:
    return str(source).startswith(PREFIX)


def _z_of_type(model: Any) -> torch.Tensor:
    """Atomic number of each SevenNet type index (model.type_map: Z -> index)."""
    type_map = dict(model.type_map)
    z_of_type = torch.zeros(len(type_map), dtype=torch.int64)
    for z, idx in type_map.items():
        z_of_type[idx] = int(z)
    return z_of_type


def calculator(source: str) -> "Calculator":
    name = str(source)[len(PREFIX):]
    try:
        with quiet():
            from sevenn.calculator import SevenNetCalculator
    except ImportError as exc:
        raise ExportError("sevenn is not installed: pip install sevenn==0.13.0 to export SevenNet models") from exc
    # sevenn builds its modules in the default dtype and then loads float32 weights: under a float64
    # default (nequip sets one) that fails with "Float did not match Double"
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float32)
    try:
        with quiet():
            return SevenNetCalculator(name, device="cpu")
    except Exception as exc:
        raise ExportError(
            f"cannot load SevenNet model '{name}' ({type(exc).__name__}): use a model shipped with sevenn, e.g. sevennet:7net-0"
        ) from exc
    finally:
        torch.set_default_dtype(previous)


class _CutoffStep(torch.nn.Module):
    """SevenNet's polynomial cutoff is not zero beyond r_cut; the contract needs it to be (C4 padding)."""

    def __init__(self, inner: torch.nn.Module, r_cut: float):
        super().__init__()
        self.inner = inner
        self.r_cut = r_cut

    def forward(self, r: torch.Tensor) -> torch.Tensor:
        return self.inner(r) * (r < self.r_cut).to(r.dtype)


def _message_gather_symbolic(node_features: torch.Tensor, edge_dst: torch.Tensor, message: torch.Tensor) -> torch.Tensor:
    """sevenn.nn.convolution.message_gather with node_features.shape[0] instead of len(node_features):
    len() turns the symbolic atom count into a Python int and make_fx would bake N into the graph."""
    index = edge_dst.view(-1, *([1] * (message.dim() - 1))).expand_as(message)
    out = torch.zeros(
        (node_features.shape[0],) + tuple(message.shape[1:]), dtype=node_features.dtype, device=node_features.device
    )
    return out.scatter_reduce(0, index, message, reduce="sum")


class SevenNetEnergy(torch.nn.Module):
    """nequip-style dict in (edge_vectors, edge_index, atom_types) -> per-atom energy [N,1]."""

    def __init__(self, model: torch.nn.Module, z_of_type: torch.Tensor):
        super().__init__()
        self.model = model
        self.register_buffer("z_of_type", z_of_type)

    @contextlib.contextmanager
    def trace_context(self) -> Iterator[None]:
        import sevenn.nn.convolution as conv

        original = conv.message_gather
        conv.message_gather = _message_gather_symbolic
        try:
            yield
        finally:
            conv.message_gather = original

    def forward(self, data: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        import sevenn._keys as KEY
        from nequip.data import AtomicDataDict

        types = data[AtomicDataDict.ATOM_TYPE_KEY]
        vec = data[AtomicDataDict.EDGE_VECTORS_KEY]
        sdata = {
            KEY.EDGE_IDX: data[AtomicDataDict.EDGE_INDEX_KEY],
            KEY.EDGE_VEC: vec,
            KEY.ATOMIC_NUMBERS: torch.index_select(self.z_of_type, 0, types),
        }
        out = self.model(sdata)
        return {AtomicDataDict.PER_ATOM_ENERGY_KEY: out[KEY.ATOMIC_ENERGY].reshape(-1, 1)}


class _SevenNetStage(torch.nn.Module):
    """One stage of a SevenNet model in the contract-v2 signatures (layered.Stages): the modules of
    `pre` rebuild the edge embedding and node attributes, the node features are set to the input,
    then `body` runs."""

    def __init__(self, z_of_type: torch.Tensor, pre: list, body: list, kind: str):
        super().__init__()
        self.register_buffer("z_of_type", z_of_type)
        self.pre = torch.nn.ModuleList(pre)
        self.body = torch.nn.ModuleList(body)
        self.kind = kind

    def _run(self, data: dict, node_features) -> dict:
        import sevenn._keys as KEY

        # as AtomGraphSequential._preprocess: the node features start as the type index
        data[KEY.NODE_FEATURE] = data.pop("types")
        for m in self.pre:
            data = m(data)
        if node_features is not None:
            data[KEY.NODE_FEATURE] = node_features
        for m in self.body:
            data = m(data)
        return data

    def forward(self, *args):
        import sevenn._keys as KEY

        if self.kind == "embed":
            (types,) = args
            data = {"types": types, KEY.ATOMIC_NUMBERS: torch.index_select(self.z_of_type, 0, types)}
            return self._run(data, None)[KEY.NODE_FEATURE]
        if self.kind == "layer":
            h, vec, index, types = args
            data = {"types": types, KEY.EDGE_IDX: index, KEY.EDGE_VEC: vec,
                    KEY.ATOMIC_NUMBERS: torch.index_select(self.z_of_type, 0, types)}
            return self._run(data, h)[KEY.NODE_FEATURE]
        h, types = args
        data = {"types": types, KEY.ATOMIC_NUMBERS: torch.index_select(self.z_of_type, 0, types)}
        return self._run(data, h)[KEY.ATOMIC_ENERGY].reshape(-1)
