"""pair_style onnx with the analytic Morse ONNX models vs LAMMPS's own C++ `pair_style morse`.

Independent reference: LAMMPS's pair_style morse (src/pair_morse.cpp) with the same per species
pair D0/alpha/r0/rc (tests/models/morse_params.json), run by the same LAMMPS binary on 1 rank.
Compared on multi-species Li/P/S/Cl systems (rattled Li6PS5Cl supercells, random dense
configurations), orthogonal and triclinic periodic boxes and non-periodic clusters, on 1, 2, 4
MPI ranks: forces, total and per-atom energy, global and per-atom virial after `run 0`, and
unwrapped positions after 100 NVE steps (dt = 1 fs, same velocity seed, loop geom).

Tolerances (float64 model): relative 1e-9 of each array's largest magnitude (forces, per-atom
energy, virials), total energy 1e-9 relative, positions 1e-6 A after 100 steps.
float32 model: inputs/outputs are rounded to float32 (eps 6e-8) per edge and summed over ~50 edges
per atom, so we allow 2e-5 relative (forces, energies, virials) and 1e-3 A after 100 steps.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from . import decks, structures
from harness import lammps as L
from .conftest import RUN_TIMEOUT, analytic_model, assert_clean_exit


@dataclass(frozen=True)
class Case:
    """A structure (data file), its boundary, and optional extra commands after read_data."""

    name: str
    boundary: str = "p p p"
    after_read: str = ""
    processors: str = ""


def build_structure(name: str) -> structures.Structure:
    if name == "crystal_ortho":  # 208 atoms: Li6PS5Cl 2x2x1, rattled 0.1 A
        return structures.li6ps5cl((2, 2, 1), rattle=0.1, seed=11)
    if name == "crystal_triclinic":  # 104 atoms, made triclinic by change_box (see CASES)
        return structures.li6ps5cl((2, 1, 1), rattle=0.08, seed=12)
    if name == "random_triclinic":  # 240 atoms in a tilted cell written with xy xz yz
        return structures.random_dense(240, density=0.045, min_dist=1.9, seed=13,
                                       tilt_fraction=(0.21, -0.13, 0.17))
    if name.startswith("cluster"):  # 120-atom ball in a 40 A box
        return structures.cluster(120, box=40.0, seed=14)
    if name == "corner_cluster":  # 80 atoms near a corner of a 48 A box: empty sub-domains
        return structures.cluster(80, box=48.0, seed=15, corner=True)
    if name == "permuted_types":  # types ordered Cl S Li P, not the model's Li P S Cl
        s = structures.random_dense(150, density=0.045, seed=16)
        order = ("Cl", "S", "Li", "P")
        remap = np.array([0] + [order.index(el) + 1 for el in s.elements])
        return structures.Structure(s.lo, s.hi, s.tilt, order, remap[s.types], s.positions)
    raise KeyError(name)


CASES = {
    "crystal_ortho": Case("crystal_ortho"),
    "crystal_triclinic": Case(
        "crystal_triclinic",
        after_read="change_box all triclinic\n"
                   "change_box all xy final 3.1 xz final -2.2 yz final 1.7 remap units box"),
    "random_triclinic": Case("random_triclinic"),
    "cluster_fff": Case("cluster_fff", boundary="f f f"),
    "cluster_sss": Case("cluster_sss", boundary="s s s"),
    "permuted_types": Case("permuted_types"),
    # 4 slabs of 12 A along x; the cluster spans x = 4..22 A: slab 2 holds only ghosts and
    # slab 3 nothing at all, so two ranks have zero local atoms (must work, not error).
    "corner_cluster": Case("corner_cluster", boundary="f f f", processors="4 1 1"),
}


@dataclass
class RunData:
    result: L.LammpsResult
    static: L.DumpFrame
    final: L.DumpFrame | None
    thermo: list[dict[str, float]]


def run_case(root: Path, case: Case, pair_block: str, nprocs: int, tag: str,
             nve_steps: int = 100) -> RunData:
    structure = build_structure(case.name)
    workdir = root / f"{case.name}-{tag}-np{nprocs}"
    root.mkdir(parents=True, exist_ok=True)
    data = root / f"{case.name}.data"
    if not data.exists():
        structure.write(data)
    deck = decks.static_and_nve(data, pair_block, boundary=case.boundary,
                                after_read=case.after_read, processors=case.processors,
                                nve_steps=nve_steps)
    res = L.run_lammps(deck, workdir, nprocs, timeout=RUN_TIMEOUT)
    assert_clean_exit(res)
    static = L.parse_dump(workdir / "static.dump")[0]
    final = L.parse_dump(workdir / "traj.dump")[-1] if nve_steps else None
    if final is not None:
        assert final.step == nve_steps, final.step
    assert static.natoms == structure.natoms, "atoms were lost"
    return RunData(res, static, final, res.thermo())


@pytest.fixture(scope="module")
def native_refs(session_dir, morse_params, lmp):
    """LAMMPS's own pair_style morse, 1 rank, per case (computed once per module)."""
    cache: dict[str, RunData] = {}

    def get(name: str) -> RunData:
        if name not in cache:
            elements = list(build_structure(name).elements)
            case = dataclasses.replace(CASES[name], processors="")  # 1 rank: no grid
            cache[name] = run_case(session_dir, case, morse_params.lammps_block(elements), 1,
                                   "native")
        return cache[name]

    return get


@dataclass(frozen=True)
class Tol:
    force: float
    energy: float
    virial: float
    position: float  # Angstrom after the NVE run


F64 = Tol(force=1e-9, energy=1e-9, virial=1e-9, position=1e-6)
F32 = Tol(force=2e-5, energy=2e-5, virial=2e-5, position=1e-3)


def compare(got: RunData, ref: RunData, tol: Tol) -> dict[str, float]:
    """Assert got == ref within tol; returns the measured errors (for messages/docs)."""
    g, r = got.static, ref.static
    np.testing.assert_array_equal(g.columns["id"], r.columns["id"])
    np.testing.assert_array_equal(g.columns["type"], r.columns["type"])
    err = {
        "force": L.max_rel_error(g.vec("fx", "fy", "fz"), r.vec("fx", "fy", "fz")),
        "atom_energy": L.max_rel_error(g.columns["c_pe"], r.columns["c_pe"]),
        "atom_virial": L.max_rel_error(g.vec(*[f"c_s[{k}]" for k in range(1, 7)]),
                                       r.vec(*[f"c_s[{k}]" for k in range(1, 7)])),
    }
    e_got, e_ref = got.thermo[0]["PotEng"], ref.thermo[0]["PotEng"]
    err["energy"] = abs(e_got - e_ref) / max(abs(e_ref), float(np.sum(np.abs(r.columns["c_pe"]))))
    pv = [f"c_pv[{k}]" for k in range(1, 7)]
    err["virial"] = L.max_rel_error(np.array([got.thermo[0][k] for k in pv]),
                                    np.array([ref.thermo[0][k] for k in pv]))
    # internal consistency of the run: the pe/atom sum is the total energy
    assert abs(g.columns["c_pe"].sum() - e_got) <= 1e-9 * max(1.0, abs(e_got))
    # ... and the stress/atom sum is -(global virial) (both bar*A^3): per-atom and global virial
    # are tallied separately by the pair style
    w_global = np.array([got.thermo[0][k] for k in pv]) * got.thermo[0]["Volume"]
    w_atoms = -g.vec(*[f"c_s[{k}]" for k in range(1, 7)]).sum(axis=0)
    assert L.max_rel_error(w_atoms, w_global) <= 1e-9, (w_atoms, w_global)
    msg = f"errors {err} exceed tolerances {tol}\n" + got.result.describe(10)
    assert err["force"] <= tol.force, msg
    assert err["atom_energy"] <= tol.energy * 10, msg
    assert err["energy"] <= tol.energy, msg
    assert err["virial"] <= tol.virial, msg
    assert err["atom_virial"] <= tol.virial * 10, msg
    if got.final is not None and ref.final is not None:
        dx = np.max(np.abs(got.final.vec("xu", "yu", "zu") - ref.final.vec("xu", "yu", "zu")))
        err["position"] = float(dx)
        assert dx <= tol.position, f"positions after NVE differ by {dx} A\n{msg}"
        # the same dynamics: total energy along the trajectory agrees too
        et_g = np.array([row["TotEng"] for row in got.thermo])
        et_r = np.array([row["TotEng"] for row in ref.thermo])
        assert et_g.shape == et_r.shape
        assert np.max(np.abs(et_g - et_r)) <= max(tol.energy, 1e-9) * 10 * np.max(np.abs(et_r))
    return err


# the three required geometries on 1, 2, 4 ranks; two more variants (a crystal made triclinic
# by change_box, a shrink-wrapped cluster) on 4 ranks only, to keep the suite short
MATRIX = [(c, n) for c in ("crystal_ortho", "random_triclinic", "cluster_fff") for n in (1, 2, 4)]
MATRIX += [("crystal_triclinic", 4), ("cluster_sss", 4)]


@pytest.mark.parametrize("case,nprocs", MATRIX)
def test_morse_f64_matches_lammps_morse(case, nprocs, native_refs, session_dir, plugin):
    model = analytic_model("morse_f64.onnx")
    elements = list(build_structure(case).elements)
    got = run_case(session_dir, CASES[case], decks.onnx_pair(plugin, model, elements), nprocs,
                   "onnx64")
    ref = native_refs(case)
    # the reference must be non-trivial, or the comparison proves nothing
    assert np.max(np.abs(ref.static.vec("fx", "fy", "fz"))) > 0.1
    compare(got, ref, F64)


def test_type_order_differs_from_model_species(native_refs, session_dir, plugin):
    """LAMMPS types Cl S Li P mapped onto the model's Li P S Cl order by pair_coeff."""
    model = analytic_model("morse_f64.onnx")
    elements = list(build_structure("permuted_types").elements)
    assert elements == ["Cl", "S", "Li", "P"]
    got = run_case(session_dir, CASES["permuted_types"], decks.onnx_pair(plugin, model, elements),
                   2, "onnx64")
    compare(got, native_refs("permuted_types"), F64)


def test_rank_with_zero_local_atoms_works(native_refs, session_dir, plugin):
    """-np 4 with 'processors 4 1 1' on a cluster confined to x < 24 A of a 48 A box."""
    case = CASES["corner_cluster"]
    structure = build_structure(case.name)
    x = structure.positions[:, 0]
    slab = structure.hi[0] / 4
    counts = [int(np.sum((x >= k * slab) & (x < (k + 1) * slab))) for k in range(4)]
    assert counts[2] == 0 and counts[3] == 0, f"test setup: atoms per slab {counts}"
    model = analytic_model("morse_f64.onnx")
    got = run_case(session_dir, case, decks.onnx_pair(plugin, model, list(structure.elements)), 4,
                   "onnx64")
    compare(got, native_refs(case.name), F64)


@pytest.mark.parametrize("nprocs", [1, 2])
def test_morse_f32_matches_within_float32_tolerance(nprocs, native_refs, session_dir, plugin):
    model = analytic_model("morse_f32.onnx")
    case = "crystal_ortho"
    elements = list(build_structure(case).elements)
    got = run_case(session_dir, CASES[case], decks.onnx_pair(plugin, model, elements), nprocs,
                   "onnx32")
    err = compare(got, native_refs(case), F32)
    # float32 really is in use: it is not bit-identical to float64 (else the test is vacuous)
    assert err["force"] > 0.0


@pytest.fixture(scope="module")
def hops2_runs(session_dir, plugin):
    """morse_hops2_f64.onnx (interphase.hops=2 + node_energy_mask; the same Morse physics) on
    1, 2 and 4 ranks: the bridge must build a 2*r_max ghost shell for exact forces."""
    model = analytic_model("morse_hops2_f64.onnx")
    elements = list(build_structure("crystal_ortho").elements)
    return {n: run_case(session_dir, CASES["crystal_ortho"], decks.onnx_pair(plugin, model, elements),
                        n, "hops2", nve_steps=5)
            for n in (1, 2, 4)}


@pytest.mark.parametrize("nprocs", [2, 4])
def test_hops2_masked_model_same_forces_on_all_rank_counts(nprocs, hops2_runs):
    compare(hops2_runs[nprocs], hops2_runs[1], F64)


@pytest.mark.parametrize("nprocs", [1, 4])
def test_hops2_masked_model_matches_lammps_morse(nprocs, hops2_runs, session_dir, morse_params):
    elements = list(build_structure("crystal_ortho").elements)
    ref = run_case(session_dir, CASES["crystal_ortho"], morse_params.lammps_block(elements), 1,
                   "native5", nve_steps=5)
    compare(hops2_runs[nprocs], ref, F64)


@pytest.mark.parametrize("nprocs", [1, 2])
def test_per_edge_type_cutoff_model_matches_lammps_morse(nprocs, session_dir, plugin,
                                                         morse_params):
    """morse_pertype_f64.onnx: interphase.per_edge_type_cutoff; LAMMPS morse with the same
    per-pair cutoffs (pair_coeff ... rc_ij)."""
    model = analytic_model("morse_pertype_f64.onnx")
    case = "random_triclinic"
    elements = list(build_structure(case).elements)
    ref = run_case(session_dir, CASES[case], morse_params.lammps_block(elements, pertype=True), 1,
                   "native_pertype")
    got = run_case(session_dir, CASES[case], decks.onnx_pair(plugin, model, elements), nprocs,
                   "pertype")
    compare(got, ref, F64)


# Chunked, threaded evaluation (pair_style onnx chunk N threads T): the same LAMMPS morse
# reference, from one-atom chunks to the whole rank, on 1, 2 and 4 ranks and all geometries.
CHUNKED = [
    ("crystal_ortho", 1, "chunk 1"),
    ("crystal_ortho", 1, "chunk 0 threads 2"),
    ("crystal_ortho", 2, "chunk 13 threads 2"),
    ("random_triclinic", 1, "chunk 7 threads 2"),
    ("random_triclinic", 4, "chunk 3 threads 2"),
    ("crystal_triclinic", 2, "chunk 1 threads 2"),
    ("cluster_fff", 2, "chunk 5 threads 2"),
    ("corner_cluster", 4, "chunk 4 threads 2"),
]


@pytest.mark.parametrize("case,nprocs,style_args", CHUNKED)
def test_chunked_threaded_matches_lammps_morse(case, nprocs, style_args, native_refs, session_dir,
                                               plugin):
    model = analytic_model("morse_f64.onnx")
    elements = list(build_structure(case).elements)
    tag = "onnx64-" + style_args.replace(" ", "")
    got = run_case(session_dir, CASES[case], decks.onnx_pair(plugin, model, elements, style_args),
                   nprocs, tag)
    stats = got.result.stats()
    assert stats is not None
    chunk = int(style_args.split()[1])
    if chunk > 0:
        assert stats["chunks"] >= 2, stats  # really chunked
    compare(got, native_refs(case), F64)


def test_chunked_runs_are_bitwise_reproducible(session_dir, plugin):
    """The same chunking and thread count twice: identical forces to the last printed digit."""
    model = analytic_model("morse_f64.onnx")
    elements = list(build_structure("random_triclinic").elements)
    block = decks.onnx_pair(plugin, model, elements, "chunk 9 threads 2")
    a = run_case(session_dir, CASES["random_triclinic"], block, 2, "repro-a", nve_steps=20)
    b = run_case(session_dir, CASES["random_triclinic"], block, 2, "repro-b", nve_steps=20)
    for col in ("fx", "fy", "fz", "c_pe"):
        np.testing.assert_array_equal(a.static.columns[col], b.static.columns[col])
    np.testing.assert_array_equal(a.final.vec("xu", "yu", "zu"), b.final.vec("xu", "yu", "zu"))


@pytest.mark.parametrize("nprocs,style_args", [(1, "chunk 11 threads 2"), (4, "chunk 5")])
def test_hops2_chunks_with_halo_match_lammps_morse(nprocs, style_args, session_dir, plugin,
                                                   morse_params):
    model = analytic_model("morse_hops2_f64.onnx")
    elements = list(build_structure("crystal_ortho").elements)
    got = run_case(session_dir, CASES["crystal_ortho"],
                   decks.onnx_pair(plugin, model, elements, style_args), nprocs,
                   "hops2-" + style_args.replace(" ", ""), nve_steps=5)
    ref = run_case(session_dir, CASES["crystal_ortho"], morse_params.lammps_block(elements), 1,
                   "native5", nve_steps=5)
    compare(got, ref, F64)
