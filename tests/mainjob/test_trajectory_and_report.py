"""The H5MD trajectory that LAMMPS wrote, read with h5py (independent of the Java reader), and the
Li penetration depths of `interphase li-penetration` recomputed from LAMMPS's own image flags."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from .conftest import DUMP_EVERY, EQ_PS, NVE_PS, PROD_PS, REPO, MainJob, run

try:
    import h5py  # noqa: F811
except ImportError:  # pragma: no cover - a missing test dependency is a failure, not a skip
    h5py = None


def _h5(main_job: MainJob):
    if h5py is None:
        pytest.fail("h5py is missing: run scripts/setup.sh (it installs requirements-test.txt)", pytrace=False)
    return h5py.File(main_job.out / "traj.h5", "r")


def _data_types(path) -> np.ndarray:
    lines = path.read_text().splitlines()
    start = lines.index("Atoms # atomic") + 2
    rows = [ln.split() for ln in lines[start:] if ln.strip()]
    rows.sort(key=lambda r: int(r[0]))
    return np.array([int(r[1]) for r in rows])


def test_trajectory_has_every_atom_in_every_frame(main_job: MainJob):
    with _h5(main_job) as f:
        pos = f["particles/all/position/value"]
        species = f["particles/all/species/value"][...]
        steps = f["particles/all/position/step"][...]
        frames, n, three = pos.shape
        assert (n, three) == (main_job.natoms, 3)
        expected = round((EQ_PS + NVE_PS + PROD_PS) / 0.001) // DUMP_EVERY + 1
        assert frames == expected, f"{frames} frames, expected {expected}"
        assert list(steps) == [k * DUMP_EVERY for k in range(frames)]
        types = _data_types(main_job.out / "cell.data")
        for k in range(frames):
            assert np.array_equal(species[k], types), f"species of frame {k} differ from the data file"
        assert np.isfinite(pos[...]).all()


def test_li_penetration_agrees_with_lammps_image_flags(main_job: MainJob):
    c = {k: float(v) for k, v in main_job.cell.items() if k in ("metal_zlo", "metal_zhi", "gap")}
    nm = int(main_job.cell["metal_ids"].split(":")[1])
    with _h5(main_job) as f:
        z = f["particles/all/position/value"][:, :nm, 2]
        img = f["particles/all/image/value"][:, :nm, 2]
        lz = f["particles/all/box/edges/value"][:, 2]
    zu = z + img * lz[:, None]                      # LAMMPS's unwrapped z (independent of the Java unwrapping)
    depth = np.maximum(0.0, np.maximum(zu - c["metal_zhi"], c["metal_zlo"] - zu))
    with (main_job.analysis / "li_penetration.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(z)
    for k, r in enumerate(rows):
        d = depth[k]
        assert float(r["max_depth_A"]) == pytest.approx(d.max(), abs=1e-5), f"frame {k}"
        assert float(r["p95_depth_A"]) == pytest.approx(np.percentile(d, 95), abs=1e-5), f"frame {k}"
        assert float(r["p99_depth_A"]) == pytest.approx(np.percentile(d, 99), abs=1e-5), f"frame {k}"
        assert int(r["crossed"]) == int((d > c["gap"] / 2).sum()), f"frame {k}"


def test_demo_report_summarises_the_run(main_job: MainJob):
    p = run([REPO / ".venv" / "bin" / "python", REPO / "scripts" / "demo_report.py", main_job.out], timeout=60)
    assert p.returncode == 0, p.stderr
    for heading in ("Phases (fraction of atoms", "Interphase thickness", "Li penetration", "mean T in production"):
        assert heading in p.stdout, p.stdout
