"""The default model's committed training and hold-out data (model-export/default-model/data/).

The labels are SevenNet-0's (the `sevenn` wheel, offline): a sample of frames of every family is
re-labelled here with SevenNet's own ASE calculator and must agree with what is stored, so a
wrong species order, a unit slip or a frame whose label belongs to another structure fails.
The hold-out set must share no frame with the files split.py trains on, and every family that
issue 13's accuracy targets name must be in both.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "default-model"
sys.path.insert(0, str(DEFAULT_MODEL_DIR))
import common as C  # noqa: E402
import split  # noqa: E402

FAMILIES = {"li_bcc", "argyrodite", "li2s", "li3p", "licl", "li2s_codoped", "interface", "melt"}


def _fingerprint(atoms) -> tuple:
    return (atoms.get_chemical_formula(), tuple(np.round(atoms.get_positions(), 4).ravel()))


@pytest.fixture(scope="module")
def training():
    return {p.name: C.read_xz(p) for p in split.training_files()}


@pytest.fixture(scope="module")
def holdout():
    if not split.HOLDOUT.is_file():
        pytest.fail(f"{split.HOLDOUT} is missing: make it with make_round3.py --holdout", pytrace=False)
    return C.read_xz(split.HOLDOUT)


def test_holdout_is_never_trained_on(training, holdout) -> None:
    assert split.HOLDOUT.name not in training
    seen = {_fingerprint(f) for frames in training.values() for f in frames}
    assert not [k for k, f in enumerate(holdout) if _fingerprint(f) in seen]


def test_every_target_family_is_in_training_and_holdout(training, holdout) -> None:
    trained = {C.family(f) for frames in training.values() for f in frames}
    held = {C.family(f) for f in holdout}
    assert FAMILIES <= trained, f"missing in training: {FAMILIES - trained}"
    assert FAMILIES <= held, f"missing in the hold-out set: {FAMILIES - held}"


def test_co_doped_frames_are_charge_balanced_antifluorite(training) -> None:
    # Li(2+x-y) S(1-x-y) P(x) Cl(y): n_Li = 2 n_S + 3 n_P + n_Cl, anions on the 32 S sites
    frames = [f for f in training["round3.extxyz.xz"] if f.info["config_type"] == "li2s_codoped"]
    assert len(frames) > 100
    for f in frames:
        sym = f.get_chemical_symbols()
        n = {s: sym.count(s) for s in C.SPECIES}
        assert n["Li"] == 2 * n["S"] + 3 * n["P"] + n["Cl"]
        assert n["S"] + n["P"] + n["Cl"] == 32 and n["P"] > 0 and n["Cl"] > 0


def test_labels_are_physical(training, holdout) -> None:
    for frames in [*training.values(), holdout]:
        for f in frames:
            assert -10.0 < f.get_potential_energy() / len(f) < 0.0
            assert np.abs(f.get_forces()).max() < 50.0


def test_stored_labels_are_sevennet_0(training, holdout) -> None:
    pytest.importorskip("sevenn", reason="the labeller's wheel (requirements-test.txt)")
    # one frame of each family, taken alternately from the hold-out set and round 3, and one
    # frame of every other training file
    rng = np.random.default_rng(13)
    sample = []
    for k, fam in enumerate(sorted(FAMILIES)):
        frames = [f for f in (holdout if k % 2 else training["round3.extxyz.xz"]) if C.family(f) == fam]
        sample.append(frames[int(rng.integers(len(frames)))])
    for name, frames in sorted(training.items()):
        if name != "round3.extxyz.xz":
            sample.append(frames[int(rng.integers(len(frames)))])
    for stored in sample:
        again = C.label(stored, "check")
        n = len(stored)
        # float32 labeller: energies to ~1e-6 relative, forces to ~1e-5 eV/A
        assert abs(again.get_potential_energy() - stored.get_potential_energy()) / n < 1e-4
        np.testing.assert_allclose(again.get_forces(), stored.get_forces(), atol=2e-4)
        np.testing.assert_allclose(again.get_stress(), stored.get_stress(), atol=1e-5)


def test_bootstrap_replicate_of_the_training_split(training) -> None:
    # committee members (make_committee.sh) train on split.py --bootstrap K: as many frames as the
    # training split, drawn with replacement from it, the same for the same seed, different otherwise
    frames = [f for fs in training.values() for f in fs][:200]
    keys = [_fingerprint(f) for f in frames]
    a, b, c = split.bootstrap(frames, 1), split.bootstrap(frames, 1), split.bootstrap(frames, 2)
    assert len(a) == len(frames)
    assert [_fingerprint(f) for f in a] == [_fingerprint(f) for f in b]
    assert [_fingerprint(f) for f in a] != [_fingerprint(f) for f in c]
    drawn = [keys.index(_fingerprint(f)) for f in a]
    assert len(set(drawn)) < len(frames)            # with replacement: some frames repeat
    assert 0.55 < len(set(drawn)) / len(frames) < 0.72  # about 1 - 1/e of them are drawn


def test_split_refuses_a_bad_bootstrap_seed(tmp_path) -> None:
    import subprocess
    p = subprocess.run([sys.executable, str(DEFAULT_MODEL_DIR / "split.py"), "--bootstrap", "x", str(tmp_path)],
                       capture_output=True, text=True, cwd=DEFAULT_MODEL_DIR)
    assert p.returncode != 0 and p.stderr.strip().splitlines() == [
        "split.py: --bootstrap needs a non-negative integer seed, e.g. --bootstrap 1"], p.stderr
    assert not any(tmp_path.iterdir())


def test_train_refuses_a_missing_from_ckpt_before_writing(tmp_path) -> None:
    # train.sh FROM_CKPT=... fine-tunes a checkpoint's model: a wrong path must stop it with one
    # line before split.py writes a run directory (and long before nequip-train starts)
    import os
    import subprocess
    name = "probe-missing-from-ckpt"
    run_dir = DEFAULT_MODEL_DIR / "runs" / name
    assert not run_dir.exists(), f"{run_dir} is left from an earlier run: remove it"
    missing = tmp_path / "nothing.ckpt"
    p = subprocess.run(["bash", str(DEFAULT_MODEL_DIR / "train.sh"), name],
                       capture_output=True, text=True, cwd=tmp_path,
                       env={**os.environ, "FROM_CKPT": str(missing)})
    assert p.returncode == 1 and p.stderr.strip().splitlines() == [
        f"error: FROM_CKPT={missing} not found: give a nequip checkpoint (.ckpt)"], p.stderr
    assert not run_dir.exists()


def test_low_coordination_frames_are_sevennet_0_and_reach_the_isolated_limit() -> None:
    # make_lowcoord.py's frames (data/next/, the v3 candidate's data and hold-out): one frame of
    # each kind re-labelled, the two files disjoint, and every dimer longer than SevenNet-0's 5 A
    # cutoff has exactly the sum of the isolated-atom energies that allegro_lipscl_v3's shifts use
    pytest.importorskip("sevenn", reason="the labeller's wheel (requirements-test.txt)")
    nxt = C.DATA_DIR / "next"
    train = C.read_xz(nxt / "lowcoord.extxyz.xz")
    held = C.read_xz(nxt / "holdout_lowcoord.extxyz.xz")
    assert not {_fingerprint(f) for f in train} & {_fingerprint(f) for f in held}
    kinds = {"dimer", "cluster", "fragment", "surface"}
    assert {f.info["config_type"] for f in train} == kinds == {f.info["config_type"] for f in held}
    assert all(C.family(f) == "lowcoord" for f in train + held)
    rng = np.random.default_rng(5)
    for kind in sorted(kinds):
        frames = [f for f in train if f.info["config_type"] == kind]
        stored = frames[int(rng.integers(len(frames)))]
        again = C.label(stored, kind)
        assert abs(again.get_potential_energy() - stored.get_potential_energy()) / len(stored) < 1e-4
        np.testing.assert_allclose(again.get_forces(), stored.get_forces(), atol=2e-4)
    iso = C.isolated_atom_energies()
    apart = [f for f in train + held if len(f) == 2 and f.get_distance(0, 1) > 5.05]
    assert len(apart) >= 4
    for f in apart:
        a, b = f.get_chemical_symbols()
        assert abs(f.get_potential_energy() - iso[a] - iso[b]) < 1e-5, (a, b, f.get_distance(0, 1))
        np.testing.assert_allclose(f.get_forces(), 0.0, atol=1e-6)
