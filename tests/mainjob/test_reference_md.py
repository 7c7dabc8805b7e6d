"""`interphase analyze --model`: references from a short MD of each reference crystal with the trajectory's own
potential (real LAMMPS + pair_style onnx + the default model).

- The demo itself (scripts/demo.sh, its 2k-atom cell, 0.5 + 0.5 ps at 450 K on 2 ranks; it analyses with --model):
  bulk atoms (farther than the descriptor cutoff from a slab boundary) are named after their phase in at least
  98 % of atom-frames per element (issue 12), and no false new phase is reported. With the harmonic references the
  2 ps demo named only 43 % of the bulk argyrodite Cl and 83 % of its P right (docs/analysis.md).
- On the main job's short trajectory: the runs are real LAMMPS MD with the model, a second analysis reads them back
  from the cache and gives the same labels.
- Bad input: a model lacking a species of the trajectory, --model without --temperature, a LAMMPS that fails.
"""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

import os

from .conftest import REPO, T_TARGET, MainJob, run
from .lammps_log import read_properties

CUTOFF = 3.7          # A: descriptor cutoff (cn switching end); bulk = farther than this from a slab boundary
PROTOCOL = "0.2:0.2:3"  # ps equilibration : ps sampled : snapshots (shorter than the default 0.5:0.5:5: the cache tests)
BULK_ACCURACY = 0.98


def _bulk_counts(cell: dict[str, str], labels: Path) -> dict[str, Counter]:
    c = {k: float(v) for k, v in cell.items() if k.endswith(("zlo", "zhi")) or k == "lz"}
    out = {"Li": Counter(), "Li6PS5Cl": Counter()}
    with labels.open() as f:
        for r in csv.DictReader(f):
            z = float(r["z"]) % c["lz"]
            if c["metal_zlo"] + CUTOFF <= z <= c["metal_zhi"] - CUTOFF:
                out["Li"][r["phase"]] += 1
            elif c["electrolyte_zlo"] + CUTOFF <= z <= c["electrolyte_zhi"] - CUTOFF:
                out["Li6PS5Cl"][(r["element"], r["phase"])] += 1
    return out


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo-md-references") / "demo"
    env = dict(os.environ, INTERPHASE_NO_SETUP="1", XDG_CACHE_HOME=str(out.parent / "xdg-cache"))  # a fresh reference cache
    r = run(["bash", REPO / "scripts" / "demo.sh", "--out", out, "--ps", "0.5", "--eq-ps", "0.5"], timeout=900, env=env)
    assert r.returncode == 0, f"demo failed:\n{r.stderr[-3000:]}"
    return out


def test_demo_names_bulk_atoms_after_their_phase(demo_run: Path):
    counts = _bulk_counts(read_properties(demo_run / "cell.data.properties"), demo_run / "analysis" / "labels.csv")
    metal = counts["Li"]
    assert sum(metal.values()) > 0
    assert metal["Li"] / sum(metal.values()) >= BULK_ACCURACY, f"bulk Li metal: {dict(metal)}"
    elec = counts["Li6PS5Cl"]
    for element in ("Li", "P", "S", "Cl"):
        n = sum(v for (e, _), v in elec.items() if e == element)
        right = elec[(element, "Li6PS5Cl")]
        assert n > 0, f"no bulk argyrodite {element}"
        assert right / n >= BULK_ACCURACY, f"bulk argyrodite {element}: {right}/{n} named Li6PS5Cl: {dict(elec)}"
    report = (demo_run / "analysis" / "report.txt").read_text()
    assert "references from MD with li-p-s-cl-allegro.f32.onnx at 450 K" in report, report
    assert "new phases: none" in report, report


def _analyze(cli, job: MainJob, out: Path, *extra) -> "subprocess.CompletedProcess":
    return run([cli, "analyze", job.out / "traj.h5", "--data", job.out / "cell.data", "-o", out, "--quiet", "--no-plots",
                "--seed", "7", "--temperature", T_TARGET, *extra])


@pytest.fixture(scope="module")
def md_analysis(main_job: MainJob, cli, model, tmp_path_factory):
    cache = tmp_path_factory.mktemp("reference-cache")
    out = tmp_path_factory.mktemp("analysis-md") / "out"
    r = _analyze(cli, main_job, out, "--model", model, "--reference-md", PROTOCOL, "--reference-cache", cache)
    assert r.returncode == 0, f"analyze --model failed:\n{r.stderr}"
    return out, cache


def test_reference_runs_are_real_lammps_md_with_the_model(md_analysis, model):
    _, cache = md_analysis
    runs = sorted(p for p in cache.iterdir() if not p.name.startswith("."))
    assert [p.name.split("-")[0] for p in runs] == sorted(["Li", "Li2S", "LiCl", "Li3P", "Li6PS5Cl"]), runs
    for p in runs:
        log = (p / "log.lammps").read_text()
        assert "pair_style      onnx" in log and str(model) in log, p
        assert f"{T_TARGET:.6f}" in log, f"{p}: not run at {T_TARGET} K"
        # 3 snapshots after the one that closes the equilibration
        assert (p / "dump.lammpstrj").read_text().count("ITEM: TIMESTEP") == 4, p
    assert not [p for p in cache.iterdir() if p.name.startswith(".run-")], "a temporary run directory was left in the cache"


def test_second_analysis_reads_the_cache_and_agrees(md_analysis, main_job: MainJob, cli, model, tmp_path):
    first, cache = md_analysis
    r = _analyze(cli, main_job, tmp_path / "again", "--model", model, "--reference-md", PROTOCOL, "--reference-cache", cache)
    assert r.returncode == 0, r.stderr
    report = (tmp_path / "again" / "report.txt").read_text()
    assert "5 of 5 runs cached" in report, report
    assert (tmp_path / "again" / "labels.csv").read_text() == (first / "labels.csv").read_text()


def _one_line_error(r, *words):
    assert r.returncode != 0
    lines = [l for l in r.stderr.splitlines() if l.strip() and not l.startswith(("[interphase]", "SLF4J"))]
    assert len(lines) == 1, r.stderr
    for w in words:
        assert w in lines[0], lines[0]
    assert "Exception" not in lines[0] and "hs_err" not in r.stderr, r.stderr


def test_model_lacking_a_species_of_the_trajectory(main_job: MainJob, cli, tmp_path):
    lips = REPO / "tests" / "models" / "morse_lips_f64.onnx"   # species Li P S, no Cl
    r = _analyze(cli, main_job, tmp_path / "o", "--model", lips, "--reference-cache", tmp_path / "c")
    _one_line_error(r, "morse_lips_f64.onnx", "Cl", "--model")
    assert not (tmp_path / "o").exists()


def test_model_without_temperature(main_job: MainJob, cli, model, tmp_path):
    r = run([cli, "analyze", main_job.out / "traj.h5", "--data", main_job.out / "cell.data", "-o", tmp_path / "o", "--quiet",
             "--model", model])
    _one_line_error(r, "--temperature")


def test_failing_lammps_is_one_line_with_its_log(main_job: MainJob, cli, model, tmp_path):
    r = _analyze(cli, main_job, tmp_path / "o", "--model", model, "--reference-cache", tmp_path / "c", "--lmp", "/bin/false")
    _one_line_error(r, "reference MD of", "failed", "log.lammps")
    assert not (tmp_path / "o").exists()
