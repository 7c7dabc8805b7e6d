"""`interphase select` on dumps written by the real LAMMPS (INTERPHASE_LMP) and deviation files in DeePMD-kit's
format, checked against the independent numpy references of reference.py (DP-GEN's trust-level rule, minimum-image
carving) and read back with ASE.

The deviation files here are synthetic (written by write_devi for the dump's steps, with values on and around the
trust levels); `check_selection` takes the deviation file as a parameter, so a committee run of `pair_style onnx`
can be checked the same way.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from harness import lammps as L
from harness.fixtures import need

from .reference import check_selection, read_devi, read_lammps_dump, write_devi

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("INTERPHASE_CLI", ROOT / "bin" / "interphase"))
TYPES = "Li,P,S,Cl"
F_LO, F_HI = 0.05, 0.15

# Rock-salt LiCl-like crystal (a = 5.14 A, 3x3x3 cells, 216 atoms) with some Li -> P and Cl -> S, Lennard-Jones
# forces, 200 NVE steps of 1 fs from 600 K, dumped every 10 steps. TILT gives a triclinic cell compatible with the
# lattice (tilts of one lattice constant).
DECK = """
units metal
atom_style atomic
boundary p p p
lattice custom 5.14 a1 1 0 0 a2 0 1 0 a3 0 0 1 &
  basis 0 0 0 basis 0.5 0.5 0 basis 0.5 0 0.5 basis 0 0.5 0.5 &
  basis 0.5 0 0 basis 0 0.5 0 basis 0 0 0.5 basis 0.5 0.5 0.5
{region}
create_box 4 box
create_atoms 1 box basis 5 4 basis 6 4 basis 7 4 basis 8 4
set type 1 type/fraction 2 0.1 1234
set type 4 type/fraction 3 0.3 5678
mass 1 6.94
mass 2 30.97
mass 3 32.06
mass 4 35.45
pair_style lj/cut 6.0
pair_coeff * * 0.05 2.3
velocity all create 600 4928459 mom yes rot no
fix nve all nve
timestep 0.001
dump txt all custom 10 dump.lammpstrj id type x y z
dump_modify txt sort id format float %.10g
{h5md}
run 200
"""


def run_lammps(workdir: Path, triclinic: bool) -> Path:
    deck = DECK.format(region="region box prism 0 3 0 3 0 3 1 0 1" if triclinic else "region box block 0 3 0 3 0 3",
                       h5md="" if triclinic else "dump h5 all h5md 10 traj.h5 position species")
    r = need(lambda: L.run_lammps(deck, workdir, 1, timeout=120))
    assert r.returncode == 0 and not r.timed_out, r.describe()
    return workdir


@pytest.fixture(scope="module")
def ortho(tmp_path_factory) -> Path:
    return run_lammps(tmp_path_factory.mktemp("ortho"), triclinic=False)


@pytest.fixture(scope="module")
def tri(tmp_path_factory) -> Path:
    return run_lammps(tmp_path_factory.mktemp("tri"), triclinic=True)


# max_devi_f per dump step (21 steps): below, on and above both trust levels
MAX_F = [0.01, 0.02, 0.05, 0.07, 0.15, 0.3, 0.12, 0.08, 0.149999, 0.049999, 0.11,
         0.06, 0.09, 0.2, 0.13, 0.10, 0.055, 0.145, 0.04, 0.5, 0.075]
N_CAND = sum(F_LO <= x < F_HI for x in MAX_F)  # 13


def make_devi(path: Path, frames, atomic: bool, seed: int = 7, drop_step: int | None = None) -> Path:
    """A deviation file for the dump's steps: per-atom deviations whose maximum is MAX_F (the most uncertain atom is
    random), min and mean from them; virial deviations random in [0, 0.2)."""
    rng = np.random.default_rng(seed)
    steps = [fr.step for fr in frames if fr.step != drop_step]
    n = len(frames[0].ids)
    eps = rng.uniform(0.1, 0.9, size=(len(steps), n)) * np.array(MAX_F[:len(steps)])[:, None]
    worst = rng.integers(0, n, size=len(steps))
    eps[np.arange(len(steps)), worst] = MAX_F[:len(steps)]
    eps = np.array([[float(f"{x:.6e}") for x in row] for row in eps])  # the values as written
    f = np.stack([eps.max(axis=1), eps.min(axis=1), eps.mean(axis=1)], axis=1)
    vmax = rng.uniform(0, 0.2, size=len(steps))
    v = np.stack([vmax, vmax * 0.2, vmax * 0.5], axis=1)
    write_devi(path, steps, v, f, eps if atomic else None)
    return path


def select(*args) -> subprocess.CompletedProcess:
    r = subprocess.run([str(CLI), "select", *map(str, args)], capture_output=True, text=True, timeout=120)
    return r


def ok(*args) -> str:
    r = select(*args)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == "", r.stderr
    return r.stdout


def summary_counts(stdout: str) -> dict[str, int]:
    out = {}
    for line in stdout.splitlines():
        w = line.split()
        if len(w) == 2 and w[0] in ("accurate", "candidate", "failed"):
            out[w[0]] = int(w[1])
    return out


def test_whole_frames_text_and_h5md(ortho: Path, tmp_path: Path) -> None:
    frames = read_lammps_dump(ortho / "dump.lammpstrj")
    assert len(frames) == 21 and len(frames[0].ids) == 216
    devi = make_devi(tmp_path / "model_devi.out", frames, atomic=True)
    out = {}
    for name, dump in (("txt", ortho / "dump.lammpstrj"), ("h5", ortho / "traj.h5")):
        o, t = tmp_path / f"{name}.extxyz", tmp_path / f"{name}.csv"
        stdout = ok(dump, "--devi", devi, "--types", TYPES, "--trust-lo", F_LO, "--trust-hi", F_HI, "-o", o, "--csv", t)
        atoms = check_selection(o, t, devi, frames, F_LO, F_HI)
        ref = read_devi(devi)
        assert summary_counts(stdout) == {"accurate": int((ref.f[:, 0] < F_LO).sum()),
                                          "candidate": int(((ref.f[:, 0] >= F_LO) & (ref.f[:, 0] < F_HI)).sum()),
                                          "failed": int((ref.f[:, 0] >= F_HI).sum())}
        assert "21 frames in" in stdout and f"selected {len(atoms)} of {len(atoms)} candidates" in stdout
        # 0.05 is a candidate (lo inclusive), 0.15 failed (hi exclusive), 0.149999 a candidate, 0.049999 accurate
        assert sorted(a.info["max_devi_f"] for a in atoms) == sorted(x for x in MAX_F if F_LO <= x < F_HI)
        species = {1: "Li", 2: "P", 3: "S", 4: "Cl"}
        for a in atoms:
            fr = next(f for f in frames if f.step == a.info["step"])
            assert a.get_chemical_symbols() == [species[t] for t in fr.types]
            assert a.info["source"] == str(dump)
        out[name] = atoms
    assert len(out["txt"]) == len(out["h5"]) == N_CAND
    for a, b in zip(out["txt"], out["h5"]):
        np.testing.assert_allclose(a.get_positions(), b.get_positions(), atol=1e-6)
        assert {k: v for k, v in a.info.items() if k not in ("source", "Time")} == \
            {k: v for k, v in b.info.items() if k not in ("source", "Time")}


@pytest.mark.parametrize("atomic", [True, False], ids=["atom-descriptor", "frame-descriptor"])
def test_max_spreads_over_clusters(ortho: Path, tmp_path: Path, atomic: bool) -> None:
    frames = read_lammps_dump(ortho / "dump.lammpstrj")
    devi = make_devi(tmp_path / "model_devi.out", frames, atomic=atomic)
    runs = []
    for k in range(2):
        o, t = tmp_path / f"sel{k}.extxyz", tmp_path / f"sel{k}.csv"
        stdout = ok(ortho / "traj.h5", "--devi", devi, "--types", TYPES, "--trust-lo", F_LO, "--trust-hi", F_HI,
                    "--max", 4, "-o", o, "--csv", t, "--threads", 1 + k)
        atoms = check_selection(o, t, devi, frames, F_LO, F_HI, max_frames=4)
        assert len(atoms) == 4 and f"selected 4 of {N_CAND} candidates (one per k-means cluster" in stdout
        runs.append((o.read_text(), t.read_text()))
    assert runs[0] == runs[1], "the selection must not depend on the run or the thread count"


def test_virial_levels_or_rule(ortho: Path, tmp_path: Path) -> None:
    frames = read_lammps_dump(ortho / "dump.lammpstrj")
    devi = make_devi(tmp_path / "model_devi.out", frames, atomic=False)
    o, t = tmp_path / "v.extxyz", tmp_path / "v.csv"
    ok(ortho / "dump.lammpstrj", "--devi", devi, "--types", TYPES, "--trust-lo", F_LO, "--trust-hi", F_HI,
       "--trust-lo-v", 0.08, "--trust-hi-v", 0.12, "-o", o, "--csv", t)
    check_selection(o, t, devi, frames, F_LO, F_HI, 0.08, 0.12)
    ref = read_devi(devi)
    # the virial levels change the verdicts of this file (else the test would not test the OR rule)
    f_only = (ref.f[:, 0] >= F_LO) & (ref.f[:, 0] < F_HI)
    with_v = f_only | ((ref.v[:, 0] >= 0.08) & (ref.v[:, 0] < 0.12))
    assert with_v.sum() > f_only.sum()


@pytest.mark.parametrize("periodic", [False, True], ids=["cluster", "box"])
def test_carve_triclinic(tri: Path, tmp_path: Path, periodic: bool) -> None:
    frames = read_lammps_dump(tri / "dump.lammpstrj")
    assert abs(frames[0].h[1, 0]) > 1 and abs(frames[0].h[2, 1]) > 1, "the cell must be triclinic"
    devi = make_devi(tmp_path / "model_devi.out", frames, atomic=True, seed=11)
    o, t = tmp_path / "carved.extxyz", tmp_path / "carved.csv"
    radius, buffer, vacuum = 3.5, 1.5, 5.0
    args = [tri / "dump.lammpstrj", "--devi", devi, "--types", TYPES, "--trust-lo", F_LO, "--trust-hi", F_HI,
            "--carve", radius, "--buffer", buffer, "--vacuum", vacuum, "--max", 5, "-o", o, "--csv", t]
    stdout = ok(*args, *(["--carve-box"] if periodic else []))
    atoms = check_selection(o, t, devi, frames, F_LO, F_HI, max_frames=5, carve=(radius, buffer, vacuum, periodic))
    assert len(atoms) == 5
    for a in atoms:
        assert 10 < len(a) < 216 and 0 < a.info["core_atoms"] < len(a)
        assert a.info["source_atoms"] == 216 and a.info["carve_radius"] == radius and a.info["carve_buffer"] == buffer
        # the centre atom is the most uncertain of the carved atoms, and of the frame
        assert a.arrays["devi_f"].max() == a.info["max_devi_f"]
    assert "centre_id" in stdout


def test_candidate_step_missing_from_dump(ortho: Path, tmp_path: Path) -> None:
    frames = read_lammps_dump(ortho / "dump.lammpstrj")
    devi = make_devi(tmp_path / "model_devi.out", frames, atomic=True)
    text = devi.read_text().replace("\n          20 ", "\n          25 ")  # step 20 (max_devi_f 0.05, a candidate) -> 25
    assert text != devi.read_text()
    devi.write_text(text)
    o = tmp_path / "none.extxyz"
    r = select(ortho / "dump.lammpstrj", "--devi", devi, "--types", TYPES, "--trust-lo", F_LO, "--trust-hi", F_HI, "-o", o)
    assert r.returncode == 2, r.stderr
    err = r.stderr.strip()
    assert "\n" not in err and err.startswith("interphase: error: ") and "Exception" not in err, err
    assert "candidate step 25" in err and "line 4" in err and "21 frames at steps 0, 10, 20, ..., 190, 200" in err, err
    assert not o.exists() and list(tmp_path.glob(".none*")) == []
    # extra dump frames are fine: a deviation file for every other step
    every_other = tmp_path / "half.out"
    d = read_devi(make_devi(tmp_path / "full.out", frames, atomic=True))
    keep = d.steps % 20 == 0
    write_devi(every_other, d.steps[keep], d.v[keep], d.f[keep], d.atomic[keep])
    t = tmp_path / "half.csv"
    ok(ortho / "dump.lammpstrj", "--devi", every_other, "--types", TYPES, "--trust-lo", F_LO, "--trust-hi", F_HI,
       "-o", o, "--csv", t)
    check_selection(o, t, every_other, frames, F_LO, F_HI)
