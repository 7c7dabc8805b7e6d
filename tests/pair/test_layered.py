"""Contract v2 (one graph per message-passing layer, node features exchanged between layers) in
the real LAMMPS, beyond the fixture matrix of test_equivariant_fixtures.py:

* ranks without atoms: a cluster in the low corner of a 60 A box on a 4 x 1 x 1 grid, against
  nequip's own calculator (NequIPCalculator on the fixture's checkpoint, evaluated here);
* the old path and the new one agree: 30 NVE steps of the interface fixture with the contract-v1
  export through its hops x r_max ghost shell (2 ranks, 'fold no') and with the contract-v2
  export (2 and 4 ranks), same trajectory;
* a committee of the v1 and the v2 export of one model: their deviation is rounding.

Tolerances: both exports agree with nequip to ~1e-15 (exporter check); forces 1e-8 eV/A and
energies 1e-8 eV allow a few hundred ulps of summation-order differences. After 30 steps of MD
the trajectories may differ by the amplified rounding only: 1e-9 A.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from . import decks, structures
from harness import lammps as L
from .conftest import RUN_TIMEOUT, assert_clean_exit

FIXTURE = L.REPO / "model-export" / "fixtures" / "nequip-tiny"
V1 = FIXTURE / "nequip-tiny.f64.onnx"
V2 = FIXTURE / "contract-v2" / "nequip-tiny.f64.onnx"
ELEMENTS = ["Li", "P", "S", "Cl"]


def _nequip(atoms):
    from interphase_export import check, loader

    return check.nequip_reference(atoms, loader.calculator(str(FIXTURE / "model.ckpt")))


def test_ranks_without_atoms_match_nequip(plugin, session_dir):
    cl = structures.cluster(18, box=60.0, corner=True, seed=5)
    assert cl.positions[:, 0].max() < 15.0  # ranks 1..3 of a 4 x 1 x 1 grid own no atom
    workdir = session_dir / "layered-empty-ranks"
    workdir.mkdir(exist_ok=True)
    data = cl.write(workdir / "cluster.data")
    deck = decks.static_and_nve(data, decks.onnx_pair(plugin, V2, ELEMENTS), boundary="f f f",
                                processors="4 1 1", nve_steps=0)
    res = L.run_lammps(deck, workdir, 4, timeout=RUN_TIMEOUT)
    assert_clean_exit(res)
    frame = L.parse_dump(workdir / "static.dump")[0]
    from ase import Atoms

    atoms = Atoms([ELEMENTS[t - 1] for t in cl.types], positions=cl.positions, pbc=False)
    ref = _nequip(atoms)
    order = frame.columns["id"].astype(int) - 1
    forces = frame.vec("fx", "fy", "fz")
    assert np.max(np.abs(ref.forces)) > 1e-3
    assert np.max(np.abs(forces - ref.forces[order])) <= 1e-8, res.describe(10)
    assert np.max(np.abs(frame.columns["c_pe"] - ref.energies[order])) <= 1e-9
    assert abs(res.thermo()[0]["PotEng"] - ref.energy) <= 1e-8


def _nve(plugin, session_dir, model, nprocs, style_args, tag):
    workdir = session_dir / f"layered-nve-{tag}"
    deck = decks.static_and_nve(FIXTURE / "interface.data", decks.onnx_pair(plugin, model, ELEMENTS, style_args),
                                nve_steps=30, temperature=600.0)
    res = L.run_lammps(deck, workdir, nprocs, timeout=RUN_TIMEOUT)
    assert_clean_exit(res)
    return res, L.parse_dump(workdir / "traj.dump")[-1]


def test_ghost_shell_and_feature_exchange_give_one_trajectory(plugin, session_dir):
    shell, f_shell = _nve(plugin, session_dir, V1, 2, "fold no", "v1-shell-np2")
    assert "ghost cutoff set to" in shell.output  # the hops x r_max shell
    for n in (2, 4):
        layered, f_layered = _nve(plugin, session_dir, V2, n, "", f"v2-np{n}")
        assert "exchanged between layers" in layered.output
        assert "ghost cutoff set to" not in layered.output  # r_max + skin: LAMMPS's own cutoff
        pos = f_layered.vec("xu", "yu", "zu")
        assert np.max(np.abs(pos - f_shell.vec("xu", "yu", "zu"))) <= 1e-9
        assert np.max(np.abs(f_layered.vec("fx", "fy", "fz") - f_shell.vec("fx", "fy", "fz"))) <= 1e-7
        e_shell = [t["PotEng"] for t in shell.thermo()]
        e_layered = [t["PotEng"] for t in layered.thermo()]
        assert len(e_layered) == len(e_shell) > 3
        assert np.max(np.abs(np.array(e_layered) - np.array(e_shell))) <= 1e-8


@pytest.mark.parametrize("nprocs", [1, 2])
def test_committee_of_v1_and_v2_exports_has_zero_deviation(nprocs, plugin, session_dir):
    workdir = session_dir / f"layered-committee-np{nprocs}"
    pair = "\n".join([f"plugin load {plugin}", "pair_style onnx out_freq 5 out_file model_devi.out",
                      f"pair_coeff * * {V2} {V1} {' '.join(ELEMENTS)}"])
    deck = decks.static_and_nve(FIXTURE / "argyrodite.data", pair, nve_steps=10)
    res = L.run_lammps(deck, workdir, nprocs, timeout=RUN_TIMEOUT)
    assert_clean_exit(res)
    devi = np.loadtxt(workdir / "model_devi.out", ndmin=2)
    assert devi.shape[0] >= 2
    # DeePMD's columns: step, max/min/avg virial deviation, max/min/avg force deviation
    assert np.max(devi[:, 4:7]) <= 1e-10, devi
    assert np.max(devi[:, 1:4]) <= 1e-9, devi
