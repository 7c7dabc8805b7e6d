"""Fixtures for the main-job tests: a SHORT version of the README's main job on a small cell.

Real LAMMPS (INTERPHASE_LMP), real plugin (INTERPHASE_PLUGIN), the default model and the interphase CLI;
all are set up by scripts/setup.sh and exported by `source scripts/env.sh`. LAMMPS runs through the one
test harness (tests/harness; `lmp` and `plugin` are its fixtures). A missing component FAILS the tests
with its fix; nothing is skipped. The job runs once per session (about 2 minutes on 2 cores).
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import lammps as L

from .lammps_log import ThermoBlock, read_properties, thermo_blocks

REPO = Path(__file__).resolve().parents[2]
INPUT = REPO / "lammps-inputs" / "in.interphase"
# The default model (C7). INTERPHASE_TEST_MODEL may point at another contract-v1 model for development.
DEFAULT_MODEL = REPO / "models" / "li-p-s-cl-allegro.f32.onnx"

# The short job: small cell, a few hundred steps, 2 MPI ranks.
CELL_ARGS = ["--nx", "2", "--ny", "2", "--electrolyte", "2", "--metal", "4"]  # 704 atoms
T_TARGET = 450.0      # K
EQ_PS, NVE_PS, PROD_PS = 0.15, 0.1, 0.2   # 150 + 100 + 200 steps of 1 fs
DUMP_EVERY = 25
MIN_STEPS = 50
TDAMP = 0.025         # ps: Nose-Hoover damping (25 steps), short so that a 200-step production is controlled
RUN_TIMEOUT = 600     # s: a hung run fails the test instead of the suite


@pytest.fixture(scope="session")
def cli() -> Path:
    p = REPO / "bin" / "interphase"
    if not os.access(p, os.X_OK):
        pytest.fail(f"{p} is missing or not executable", pytrace=False)
    return p


@pytest.fixture(scope="session")
def model() -> Path:
    p = Path(os.environ.get("INTERPHASE_TEST_MODEL") or DEFAULT_MODEL)
    if not p.is_file():
        pytest.fail(f"model {p} is missing: the default model is installed by scripts/setup.sh "
                    "(model-export/default-model); INTERPHASE_TEST_MODEL overrides it", pytrace=False)
    return p


def run(cmd: list[str], timeout: float = RUN_TIMEOUT, **kw) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"timed out after {timeout} s: {' '.join(map(str, cmd))}\n{e.stdout}\n{e.stderr}", pytrace=False)


@dataclass(frozen=True)
class MainJob:
    out: Path
    cell: dict[str, str]
    blocks: list[ThermoBlock]
    log_text: str
    analysis: Path
    natoms: int

    def block(self, stage: str) -> ThermoBlock:
        found = [b for b in self.blocks if b.stage == stage]
        assert found, f"no thermo block for stage {stage} in {self.out / 'log.lammps'}"
        return found[0]


@pytest.fixture(scope="session")
def main_job(tmp_path_factory, lmp, plugin, cli, model) -> MainJob:
    keep = os.environ.get("INTERPHASE_MAINJOB_OUT")  # keep the run's files for inspection
    out = Path(keep) if keep else tmp_path_factory.mktemp("mainjob")
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("traj.h5", "log.lammps", "final.data", "final.restart"):
        (out / stale).unlink(missing_ok=True)
    b = run([cli, "build-cell", "-o", out / "cell.data", "--model", model, *CELL_ARGS], timeout=120)
    assert b.returncode == 0, f"build-cell failed:\n{b.stderr}"
    cell = read_properties(out / "cell.data.properties")
    args = ["-var", "data", out / "cell.data", "-var", "model", model, "-var", "plugin", plugin, "-var", "out", out,
            "-var", "T", T_TARGET, "-var", "tdamp", TDAMP, "-var", "min_steps", MIN_STEPS,
            "-var", "ps_eq", EQ_PS, "-var", "ps_nve", NVE_PS, "-var", "ps_prod", PROD_PS,
            "-var", "dump_every", DUMP_EVERY, "-var", "thermo_every", 5]
    r = L.run_lammps(INPUT, out, 2, timeout=RUN_TIMEOUT, lmp=lmp, args=args)
    log = r.log
    if r.returncode != 0 or r.timed_out or "interphase-stage: done" not in log:
        errors = r.error_lines()
        detail = "\n".join(errors[:5]) if errors else (log[-2000:] + r.stderr[-2000:])
        pytest.fail(f"LAMMPS main job failed (exit {r.returncode}, timed out {r.timed_out}, log {out / 'log.lammps'}):\n{detail}",
                    pytrace=False)
    a = run([cli, "analyze", out / "traj.h5", "--data", out / "cell.data", "-o", out / "analysis", "--quiet",
             "--no-plots", "--seed", "7"])
    assert a.returncode == 0, f"interphase analyze failed:\n{a.stderr}"
    pen = run([cli, "li-penetration", out / "traj.h5", "--cell", out / "cell.data.properties", "--out", out / "analysis"])
    assert pen.returncode == 0, f"interphase li-penetration failed:\n{pen.stderr}"
    return MainJob(out=out, cell=cell, blocks=thermo_blocks(log), log_text=log, analysis=out / "analysis",
                   natoms=int(cell["atoms"]))
