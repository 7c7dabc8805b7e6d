"""The main job, short version: Li | Li6PS5Cl | Li cell (704 atoms), 2 MPI ranks, default model.

Minimise (50 iterations) -> NVT 150 steps -> NVE 100 steps -> NVT 200 steps at 450 K, 1 fs, then
`interphase analyze`. Documented bands (docs/main-job.md, "What the tests check"):
  * atoms: every run reports the built atom count (and `thermo_modify lost error` would stop LAMMPS);
  * temperature: mean T over the second half of the NVT production (Nose-Hoover, damping 25 fs) within
    +-10 % of the target (704 atoms: instantaneous fluctuations are ~ T*sqrt(2/(3N)) = 3 %; the residual
    Nose-Hoover oscillation and the heat of reaction at the interfaces add more);
  * energy: in the NVE segment the total energy drifts by at most NVE_DRIFT_MEV meV/atom and never
    strays more than NVE_SPREAD_MEV meV/atom from its start (velocity Verlet at 1 fs with a smooth model);
  * phases: in frame 0 (the minimised cell) and in the last frame, >= 80 % (70 % at the end) of the atoms in
    the interior of the metal slab are labelled Li metal and >= 80 % (70 %) of those in the interior of the
    electrolyte slab are labelled argyrodite; each label is < 10 % inside the other slab.
"""
from __future__ import annotations

import csv
from statistics import mean

from .conftest import EQ_PS, NVE_PS, PROD_PS, T_TARGET, MainJob
from .lammps_log import data_file_atoms

# An Allegro model of the default architecture (r_max 5, float32) drifted 0.012 meV/atom over these 100 steps
# while the cell heated by 90 K; a force inconsistent with the energy (e.g. lost ghost forces) or a non-smooth
# cutoff gives tens of meV/atom (the unshifted Morse test model: 40 meV/atom).
NVE_DRIFT_MEV = 0.5    # |E(end) - E(start)| / N over 100 steps
NVE_SPREAD_MEV = 1.0   # max |E(t) - E(start)| / N
T_BAND = 0.10
METAL, ELECTROLYTE = "Li", "Li6PS5Cl"


def test_no_atoms_lost(main_job: MainJob):
    assert main_job.natoms == 704
    stages = [b.stage for b in main_job.blocks]
    assert stages == ["minimise", "nvt-equilibration", "nve", "nvt-production"], stages
    for b in main_job.blocks:
        assert b.natoms == main_job.natoms, f"{b.stage}: {b.natoms} atoms, built {main_job.natoms}"
    assert data_file_atoms(main_job.out / "final.data") == main_job.natoms
    # the input asks LAMMPS to stop on any lost atom (so a run that finished lost none)
    assert any(ln.startswith("thermo_modify") and "lost error" in ln for ln in main_job.log_text.splitlines())
    assert (main_job.out / "final.restart").stat().st_size > 0
    # every stage ran its full length (1 fs steps)
    for stage, ps in (("nvt-equilibration", EQ_PS), ("nve", NVE_PS), ("nvt-production", PROD_PS)):
        steps = main_job.block(stage).col("Step")
        assert round(steps[-1] - steps[0]) == round(ps / 0.001), stage


def test_temperature_is_controlled(main_job: MainJob):
    # second half of the production (100 steps = 4 damping times after the thermostat was re-attached
    # following the NVE segment, during which a reacting interface heats up)
    b = main_job.block("nvt-production")
    steps, temps = b.col("Step"), b.col("Temp")
    half = [t for s, t in zip(steps, temps) if s >= (steps[0] + steps[-1]) / 2]
    t_mean = mean(half)
    assert len(half) >= 10
    assert abs(t_mean - T_TARGET) <= T_BAND * T_TARGET, (
        f"mean T {t_mean:.1f} K over the second half of the NVT production, target {T_TARGET} K "
        f"+- {100 * T_BAND:.0f} % (T at the start of production {temps[0]:.0f} K)")


def test_energy_is_conserved_in_nve(main_job: MainJob):
    b = main_job.block("nve")
    e = b.col("TotEng")
    n = main_job.natoms
    drift = abs(e[-1] - e[0]) / n * 1000
    spread = max(abs(x - e[0]) for x in e) / n * 1000
    assert len(e) >= 10
    assert drift <= NVE_DRIFT_MEV, f"NVE drift {drift:.3f} meV/atom over {len(e)} thermo rows (bound {NVE_DRIFT_MEV})"
    assert spread <= NVE_SPREAD_MEV, f"NVE spread {spread:.3f} meV/atom (bound {NVE_SPREAD_MEV})"
    # the NVE segment really was unthermostatted: kinetic and potential energy exchange
    ke = b.col("KinEng")
    assert max(ke) - min(ke) > 5 * (max(e) - min(e)) or max(ke) - min(ke) > 0.05 * n / 1000


def _profile(main_job: MainJob) -> list[dict[str, str]]:
    with (main_job.analysis / "phase_profile.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def _slab_fraction(rows, frame: str, lo: float, hi: float, phase: str) -> float:
    """Atom-weighted fraction of `phase` over the profile bins that lie inside [lo, hi]."""
    inside = [r for r in rows if r["frame"] == frame and float(r["lo_A"]) >= lo and float(r["hi_A"]) <= hi]
    atoms = sum(int(r["atoms"]) for r in inside)
    assert atoms > 0, f"no profile bins inside z [{lo:.1f}, {hi:.1f}] A in frame {frame}"
    return sum(float(r[phase]) * int(r["atoms"]) for r in inside) / atoms


def test_analysis_finds_li_metal_and_electrolyte_where_they_are(main_job: MainJob):
    rows = _profile(main_job)
    assert rows, "phase_profile.csv is empty"
    assert METAL in rows[0] and ELECTROLYTE in rows[0], f"phase columns: {list(rows[0])}"
    c = {k: float(v) for k, v in main_job.cell.items() if k.endswith(("zlo", "zhi"))}
    metal = (c["metal_zlo"] + 2.0, c["metal_zhi"] - 2.0)
    elec = (c["electrolyte_zlo"] + 3.0, c["electrolyte_zhi"] - 3.0)
    last = rows[-1]["frame"]
    for frame, band in (("0", 0.8), (last, 0.7)):
        f_li = _slab_fraction(rows, frame, *metal, METAL)
        f_el = _slab_fraction(rows, frame, *elec, ELECTROLYTE)
        assert f_li >= band, f"frame {frame}: only {100 * f_li:.0f} % Li metal inside the metal slab {metal}"
        assert f_el >= band, f"frame {frame}: only {100 * f_el:.0f} % argyrodite inside the electrolyte slab {elec}"
        assert _slab_fraction(rows, frame, *elec, METAL) < 0.1, f"frame {frame}: Li metal label inside the electrolyte"
        assert _slab_fraction(rows, frame, *metal, ELECTROLYTE) < 0.1, f"frame {frame}: argyrodite label inside the metal"
