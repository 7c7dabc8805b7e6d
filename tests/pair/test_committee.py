"""Committees in pair_style onnx (several models in pair_coeff) and their model deviation.

Independent reference: LAMMPS's own C++ `pair_style morse`, run once per parameter set
(tests/models/morse_params.json: "pairs" = morse_f64.onnx, "pairs_b" = morse_b_f64.onnx) with
`rerun` on the frames the committee run dumped. From its forces F^m, per-atom energies e^m and
virials W^m (from `compute pressure NULL virial`), numpy forms DeePMD-kit's definitions:

    eps_f,i  = sqrt(mean_m |F_i^m - <F_i>|^2)       [/ (|<F_i>| + relative)]
    eps_e,i  = sqrt(mean_m (e_i^m - <e_i>)^2)
    eps_v,ab = sqrt(mean_m (W_ab^m/N - <W_ab/N>)^2) [/ (|<W_ab>|/N + relative_v)], 9 components
    row      = step, max/min/rms of eps_v, max/min/mean of eps_f

and the test compares them with all three outputs of the committee run: the model_devi.out
rows (with per-atom columns, `atomic`), `compute pair onnx` (c_dev[1..6] in thermo) and
`fix pair ... force_deviation 1 energy_deviation 1` (per-atom, dumped), on 1, 2 and 4 ranks.

Tolerance: 1e-9 relative to each quantity's scale. The references are float64 LAMMPS forces
(~1e-15 relative), the committee's float64 Morse graphs agree with them to ~1e-13 (see
test_morse_reference.py), and the deviations are differences of O(1) eV/A forces between two
different parameter sets (no cancellation: eps is ~10-50 % of |F|).
"""
from __future__ import annotations

import dataclasses
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

from harness import lammps as L
from .conftest import RUN_TIMEOUT, analytic_model, assert_clean_exit
from .morse import load_params
from .test_morse_reference import CASES, build_structure

TOL = 1e-9
FREQ = 10
STEPS = 20
DUMP_COLUMNS = "id type x y z fx fy fz"


def committee_deck(data: Path, case, plugin: Path, models: list[Path], elements: list[str],
                   style_args: str = "", fix_pair: bool = True, freq: int = FREQ,
                   steps: int = STEPS, thermo_every: int = FREQ) -> str:
    single = len(models) == 1
    lines = ["units metal", "atom_style atomic", f"boundary {case.boundary}"]
    if case.processors:
        lines.append(f"processors {case.processors}")
    lines += [
        f"read_data {data}",
        case.after_read,
        f"plugin load {plugin}",
        f"pair_style onnx {'' if single else f'out_freq {freq} '}{style_args}".rstrip(),
        f"pair_coeff * * {' '.join(str(m) for m in models)} {' '.join(elements)}",
        "neighbor 1.0 bin",
        "neigh_modify every 1 delay 0 check yes",
        "compute dev all pair onnx",
    ]
    columns = DUMP_COLUMNS
    if fix_pair and not single:
        lines.append(f"fix fp all pair {freq} onnx force_deviation 1 energy_deviation 1")
        columns += " f_fp[1] f_fp[2]"
    lines += [
        "velocity all create 600 4928459 mom yes rot no dist gaussian loop geom",
        "fix nve all nve",
        "timestep 0.001",
        "thermo_style custom step pe vol " + " ".join(f"c_dev[{k}]" for k in range(1, 7)),
        "thermo_modify format float %.17g norm no",
        f"thermo {thermo_every}",
        f"dump d all custom {freq} frames.dump {columns}",
        "dump_modify d format float %.17g sort id",
        f"run {steps}",
    ]
    return "\n".join(x for x in lines if x) + "\n"


def rerun_deck(data: Path, case, pair_block: str, frames: Path) -> str:
    lines = ["units metal", "atom_style atomic", f"boundary {case.boundary}", f"read_data {data}",
             case.after_read, pair_block,
             "compute pe all pe/atom", "compute pv all pressure NULL virial",
             "thermo_style custom step pe vol " + " ".join(f"c_pv[{k}]" for k in range(1, 7)),
             "thermo_modify format float %.17g norm no", "thermo 1",
             "dump r all custom 1 ref.dump id fx fy fz c_pe",
             "dump_modify r format float %.17g sort id",
             f"rerun {frames} dump x y z box yes"]
    return "\n".join(x for x in lines if x) + "\n"


@dataclasses.dataclass
class Member:
    """One parameter set evaluated by LAMMPS's pair_style morse on every dumped frame."""

    forces: list[np.ndarray]   # per frame, [N, 3], sorted by atom id
    energies: list[np.ndarray]  # per frame, [N]
    virials: list[np.ndarray]   # per frame, [6] eV, xx yy zz xy xz yz


def native_member(workdir: Path, data: Path, case, elements: list[str], table: str,
                  frames: Path) -> Member:
    params = load_params(table=table)
    res = L.run_lammps(rerun_deck(data, case, params.lammps_block(elements), frames), workdir, 1,
                       timeout=RUN_TIMEOUT)
    assert_clean_exit(res)
    dumps = L.parse_dump(workdir / "ref.dump")
    rows = res.thermo()
    assert len(dumps) == len(rows), (len(dumps), len(rows))
    virials = [np.array([r[f"c_pv[{k}]"] for k in range(1, 7)]) * r["Volume"] / L.NKTV2P_METAL
               for r in rows]
    return Member([d.vec("fx", "fy", "fz") for d in dumps], [d.columns["c_pe"] for d in dumps], virials)


def reference(members: list[Member], frame: int, relative: float | None = None,
              relative_v: float | None = None):
    """DeePMD-kit's deviations of one frame, from the members' LAMMPS results."""
    f = np.stack([m.forces[frame] for m in members])          # [K, N, 3]
    e = np.stack([m.energies[frame] for m in members])        # [K, N]
    natoms = f.shape[1]
    w = np.stack([m.virials[frame] for m in members]) / natoms  # [K, 6]
    mean_f = f.mean(axis=0)
    eps_f = np.sqrt(np.mean(np.sum((f - mean_f) ** 2, axis=2), axis=0))
    if relative is not None:
        eps_f = eps_f / (np.linalg.norm(mean_f, axis=1) + relative)
    eps_e = np.sqrt(np.mean((e - e.mean(axis=0)) ** 2, axis=0))
    std_w = np.sqrt(np.mean((w - w.mean(axis=0)) ** 2, axis=0))
    if relative_v is not None:
        std_w = std_w / (np.abs(w.mean(axis=0)) + relative_v)
    full9 = std_w[[0, 3, 4, 3, 1, 5, 4, 5, 2]]
    row = np.array([full9.max(), full9.min(), math.sqrt(np.mean(full9 ** 2)),
                    eps_f.max(), eps_f.min(), eps_f.mean()])
    return row, eps_f, eps_e


def rel(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(b))), 1e-300))


def read_devi(path: Path) -> np.ndarray:
    text = path.read_text().splitlines()
    assert text and text[0].startswith("#"), text[:1]
    assert text[0].split()[:2] == ["#", "step"], text[0]
    assert text[0].split()[2:] == ["max_devi_v", "min_devi_v", "avg_devi_v", "max_devi_f",
                                   "min_devi_f", "avg_devi_f"], text[0]
    return np.loadtxt(path, ndmin=2)


@dataclasses.dataclass
class CommitteeRun:
    result: L.LammpsResult
    frames: list[L.DumpFrame]
    devi: np.ndarray
    thermo: list[dict[str, float]]


def run_committee(root: Path, case_name: str, plugin: Path, models: list[Path], nprocs: int,
                  tag: str, style_args: str = "out_file model_devi.out atomic",
                  fix_pair: bool = True) -> CommitteeRun:
    case = CASES[case_name]
    structure = build_structure(case_name)
    root.mkdir(parents=True, exist_ok=True)
    data = root / f"{case_name}.data"
    if not data.exists():
        structure.write(data)
    workdir = root / f"committee-{case_name}-{tag}-np{nprocs}"
    deck = committee_deck(data, case, plugin, models, list(structure.elements), style_args, fix_pair)
    res = L.run_lammps(deck, workdir, nprocs, timeout=RUN_TIMEOUT)
    assert_clean_exit(res)
    devi_path = workdir / "model_devi.out"
    devi = read_devi(devi_path) if devi_path.exists() else np.zeros((0, 7))
    return CommitteeRun(res, L.parse_dump(workdir / "frames.dump"), devi, res.thermo())


@pytest.fixture(scope="module")
def committee_ab(session_dir, plugin):
    """[morse_f64, morse_b_f64] on crystal_ortho and random_triclinic, 1, 2 and 4 ranks."""
    models = [analytic_model("morse_f64.onnx"), analytic_model("morse_b_f64.onnx")]
    cache: dict[tuple[str, int], CommitteeRun] = {}

    def get(case: str, nprocs: int) -> CommitteeRun:
        if (case, nprocs) not in cache:
            cache[(case, nprocs)] = run_committee(session_dir, case, plugin, models, nprocs, "ab")
        return cache[(case, nprocs)]

    return get


@pytest.fixture(scope="module")
def native_pair(session_dir, lmp):
    """LAMMPS's morse with parameter sets A and B on the frames of a committee run."""

    def get(run: CommitteeRun, case_name: str) -> list[Member]:
        case = dataclasses.replace(CASES[case_name], processors="")
        data = session_dir / f"{case_name}.data"
        elements = list(build_structure(case_name).elements)
        frames = run.result.workdir / "frames.dump"
        return [native_member(run.result.workdir / f"ref-{t}", data, case, elements, t, frames)
                for t in ("pairs", "pairs_b")]

    return get


def check_outputs(run: CommitteeRun, members: list[Member], relative=None, relative_v=None,
                  atomic: bool = True, fix_pair: bool = True) -> float:
    """The three outputs against the numpy reference; returns the largest relative error."""
    steps = [fr.step for fr in run.frames]
    assert steps == list(range(0, STEPS + 1, FREQ)), steps
    assert run.devi.shape[0] == len(steps), run.devi
    np.testing.assert_array_equal(run.devi[:, 0], steps)
    thermo = {int(r["Step"]): r for r in run.thermo}
    worst = 0.0
    for k, frame in enumerate(run.frames):
        row, eps_f, eps_e = reference(members, k, relative, relative_v)
        assert row[3] > 1e-3 and row[0] > 0, f"the members must disagree (row {row})"
        # 1. the file
        file_row = run.devi[k, 1:7]
        for j in range(6):
            err = abs(file_row[j] - row[j]) / max(abs(row[j]), 1e-300)
            worst = max(worst, err)
            assert err <= TOL, (frame.step, j, file_row, row)
        if atomic:
            assert run.devi.shape[1] == 7 + frame.natoms
            e = rel(run.devi[k, 7:], eps_f)
            worst = max(worst, e)
            assert e <= TOL, (frame.step, e)
        # 2. compute pair
        got = np.array([thermo[frame.step][f"c_dev[{j}]"] for j in range(1, 7)])
        for j in range(6):
            err = abs(got[j] - row[j]) / max(abs(row[j]), 1e-300)
            worst = max(worst, err)
            assert err <= TOL, (frame.step, j, got, row)
        # 3. fix pair (per atom)
        if fix_pair:
            for col, ref in (("f_fp[1]", eps_f), ("f_fp[2]", eps_e)):
                e = rel(frame.columns[col], ref)
                worst = max(worst, e)
                assert e <= TOL, (frame.step, col, e)
    return worst


@pytest.mark.parametrize("case,nprocs", [("crystal_ortho", 1), ("crystal_ortho", 2),
                                         ("crystal_ortho", 4), ("random_triclinic", 2)])
def test_committee_deviation_matches_lammps_morse(case, nprocs, committee_ab, native_pair):
    run = committee_ab(case, nprocs)
    members = native_pair(run, case)
    check_outputs(run, members)
    stats = run.result.stats()
    assert stats["members"] == 2 and stats["member_calls"] == len(run.frames), stats


def test_committee_trajectory_is_model_zero_alone(committee_ab, session_dir, plugin):
    """Model 0 drives: positions and forces equal those of a single-model run, bit for bit
    (the neighbour lists are the same: model 0 has the larger cutoff)."""
    run = committee_ab("crystal_ortho", 2)
    single = run_committee(session_dir, "crystal_ortho", plugin, [analytic_model("morse_f64.onnx")], 2,
                           "single", style_args="", fix_pair=False)
    assert [f.step for f in single.frames] == [f.step for f in run.frames]
    for a, b in zip(run.frames, single.frames):
        np.testing.assert_array_equal(a.vec("x", "y", "z", "fx", "fy", "fz"), b.vec("x", "y", "z", "fx", "fy", "fz"))
    assert single.devi.shape[0] == 0 and not (single.result.workdir / "model_devi.out").exists()


def test_committee_with_smaller_cutoff_model_zero(session_dir, plugin, native_pair):
    """[morse_b (rc 5), morse (rc 6)]: the lists use 6 A, model 0 keeps only its own edges; the
    trajectory is that of morse_b alone (within roundoff: the lists differ), the deviation is
    the same as for [morse, morse_b] on the same frames."""
    models = [analytic_model("morse_b_f64.onnx"), analytic_model("morse_f64.onnx")]
    run = run_committee(session_dir, "crystal_ortho", plugin, models, 2, "ba")
    members = native_pair(run, "crystal_ortho")
    check_outputs(run, members[::-1])
    single = run_committee(session_dir, "crystal_ortho", plugin, models[:1], 2, "b-single",
                           style_args="", fix_pair=False)
    for a, b in zip(run.frames, single.frames):
        assert np.max(np.abs(a.vec("x", "y", "z") - b.vec("x", "y", "z"))) <= 1e-9


def test_relative_deviation(session_dir, plugin, native_pair):
    models = [analytic_model("morse_f64.onnx"), analytic_model("morse_b_f64.onnx")]
    run = run_committee(session_dir, "crystal_ortho", plugin, models, 1, "rel",
                        style_args="relative 0.5 relative_v 0.01 atomic")
    check_outputs(run, native_pair(run, "crystal_ortho"), relative=0.5, relative_v=0.01)


def test_committee_of_one_model_twice_is_exact(session_dir, plugin):
    """eps = 0 exactly, and the forces are bit for bit those of the single model, with threads
    and chunks on 2 ranks (a member shares nothing with model 0 but the neighbour lists)."""
    model = analytic_model("morse_f64.onnx")
    run = run_committee(session_dir, "random_triclinic", plugin, [model, model], 2, "twice",
                        style_args="atomic threads 2 chunk 17")
    single = run_committee(session_dir, "random_triclinic", plugin, [model], 2, "twice-single",
                           style_args="threads 2 chunk 17", fix_pair=False)
    assert run.devi.shape[0] == len(run.frames) == 3
    assert np.all(run.devi[:, 1:] == 0.0), run.devi
    for a, b in zip(run.frames, single.frames):
        np.testing.assert_array_equal(a.vec("x", "y", "z", "fx", "fy", "fz"), b.vec("x", "y", "z", "fx", "fy", "fz"))
        assert np.all(a.columns["f_fp[1]"] == 0.0) and np.all(a.columns["f_fp[2]"] == 0.0)


def test_out_freq_is_honoured_and_members_idle_in_between(session_dir, plugin):
    """out_freq 4 over 10 steps: rows at 0, 4, 8 only; the stats line shows the members were
    evaluated on those 3 of the 11 force calls and not in between."""
    models = [analytic_model("morse_f64.onnx"), analytic_model("morse_b_f64.onnx")]
    case = CASES["crystal_ortho"]
    data = session_dir / "crystal_ortho.data"
    if not data.exists():
        build_structure("crystal_ortho").write(data)
    deck = committee_deck(data, case, plugin, models, list(build_structure("crystal_ortho").elements),
                          fix_pair=False, freq=4, steps=10, thermo_every=1)
    res = L.run_lammps(deck, session_dir / "committee-outfreq", 1, timeout=RUN_TIMEOUT)
    assert_clean_exit(res)
    devi = read_devi(res.workdir / "model_devi.out")
    np.testing.assert_array_equal(devi[:, 0], [0, 4, 8])
    assert devi.shape[1] == 7  # no per-atom columns without 'atomic'
    stats = res.stats()
    assert stats["calls"] == 11 and stats["member_calls"] == 3, stats


def test_mixed_precision_and_message_passing_members(session_dir, plugin):
    """float64 + float32 members (same physics): eps is float32 roundoff, > 0 and < 1e-4 eV/A;
    hops-2 members with halos on 4 ranks: same deviation as the hops-1 pair of models."""
    mixed = run_committee(session_dir, "crystal_ortho", plugin,
                          [analytic_model("morse_f64.onnx"), analytic_model("morse_f32.onnx")], 2, "mixed")
    assert 0.0 < mixed.devi[:, 4].max() < 1e-4, mixed.devi
    models = [analytic_model("morse_hops2_f64.onnx"), analytic_model("morse_b_hops2_f64.onnx")]
    hops2 = run_committee(session_dir, "crystal_ortho", plugin, models, 4, "hops2", style_args="atomic chunk 40")
    hops1 = run_committee(session_dir, "crystal_ortho", plugin,
                          [analytic_model("morse_f64.onnx"), analytic_model("morse_b_f64.onnx")], 4, "hops1")
    assert rel(hops2.devi[0, 1:], hops1.devi[0, 1:]) <= TOL


def test_select_on_a_committee_run(session_dir, plugin):
    """`interphase select` on the model_devi.out and dump written by this committee run: the
    frames DP-GEN's rule picks (numpy reference, tests/selection/reference.py), at most 3 spread
    over clusters, each carved around its most uncertain atom with the right atom IDs."""
    from selection.reference import check_selection, read_lammps_dump

    models = [analytic_model("morse_f64.onnx"), analytic_model("morse_b_f64.onnx")]
    case = CASES["crystal_ortho"]
    structure = build_structure("crystal_ortho")
    data = session_dir / "crystal_ortho.data"
    if not data.exists():
        structure.write(data)
    deck = committee_deck(data, case, plugin, models, list(structure.elements), "atomic", fix_pair=False,
                          freq=4, steps=40, thermo_every=4)
    workdir = session_dir / "committee-select"
    res = L.run_lammps(deck, workdir, 2, timeout=RUN_TIMEOUT)
    assert_clean_exit(res)
    devi = read_devi(workdir / "model_devi.out")
    assert devi.shape == (11, 7 + structure.natoms)
    lo, hi = (float(v) for v in np.quantile(devi[:, 4], [0.3, 0.8]))
    out, table = workdir / "selected.extxyz", workdir / "selected.csv"
    radius, buffer, vacuum = 3.0, 1.5, 6.0  # below half the 10.28 A box edge
    cli = L.REPO / "bin" / "interphase"
    cmd = [str(cli), "select", str(workdir / "frames.dump"), "--devi", str(workdir / "model_devi.out"),
           "--types", ",".join(structure.elements), "--trust-lo", repr(lo), "--trust-hi", repr(hi),
           "--max", "3", "--carve", str(radius), "--buffer", str(buffer), "--vacuum", str(vacuum),
           "-o", str(out), "--csv", str(table)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    frames = read_lammps_dump(workdir / "frames.dump")
    atoms = check_selection(out, table, workdir / "model_devi.out", frames, lo, hi, max_frames=3,
                            carve=(radius, buffer, vacuum, False))
    assert len(atoms) == 3
