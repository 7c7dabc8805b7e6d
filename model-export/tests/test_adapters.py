"""The adapter registry: one dispatch for the CLI and the export check (no model is loaded here)."""

from __future__ import annotations

import pytest

from interphase_export import adapters
from interphase_export.loader import NequipAdapter
from interphase_export.sevennet import SevenNetAdapter


@pytest.mark.parametrize(
    "source, expected",
    [
        ("sevennet:7net-0", SevenNetAdapter),
        ("runs/best.ckpt", NequipAdapter),
        ("model.nequip.zip", NequipAdapter),
        # not recognised by any adapter: the fallback's loader explains what is wrong with the file
        ("model.nequip.pt2", NequipAdapter),
        ("nequip.net:mir-group/model:0.1", NequipAdapter),
    ],
)
def test_adapter_for_dispatches_on_the_source(source, expected):
    assert type(adapters.adapter_for(source)) is expected


def test_registered_adapters_implement_the_protocol():
    for entry in adapters.ADAPTERS + (adapters.FALLBACK,):
        adapter = adapters._resolve(entry)
        assert isinstance(adapter, adapters.ModelAdapter), entry
        assert adapter.name


class _ToyAdapter:
    name = "toy"

    def recognises(self, source):
        return source.startswith("toy:")

    def load(self, source):
        return source

    def describe(self, model, source):
        return adapters.ModelInfo(source, "toy", ("H",), 3.0, None, 1, None)

    def energy_model(self, model, info):
        return model

    def calculator(self, source):
        return None


def test_one_registry_line_adds_an_architecture(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "interphase_export._toy", type(sys)("interphase_export._toy"))
    sys.modules["interphase_export._toy"].ToyAdapter = _ToyAdapter
    monkeypatch.setattr(adapters, "ADAPTERS", ("_toy:ToyAdapter",) + adapters.ADAPTERS)
    assert adapters.adapter_for("toy:x").name == "toy"
    model, info = adapters.load("toy:x")
    assert model == "toy:x" and info.architecture == "toy"
    assert adapters.adapter_for("x.ckpt").name == "nequip"
