"""Independent references for `interphase select`, in numpy, sharing no code with the Java implementation.

- `read_devi`: DeePMD-kit's model-deviation file (`#` header, then `step max_devi_v min_devi_v avg_devi_v max_devi_f
  min_devi_f avg_devi_f [per-atom force deviations in atom-id order]`), read with numpy.
- `dpgen_verdicts`: DP-GEN's trust-level rule as its documentation states it (model_devi_f_trust_lo/hi and
  model_devi_v_trust_lo/hi): candidate if lo <= max_devi < hi for the force (or the virial), failed if a deviation
  is >= its hi, accurate otherwise; written from the documented rule, not from DP-GEN's code.
- `read_lammps_dump`: LAMMPS `dump custom id type x y z` text dumps, orthogonal or triclinic.
- `carve_reference`: atoms within R + B of a centre by brute-force periodic images of the triclinic cell.
- `check_selection`: checks an `interphase select` output (extxyz via ASE, and its --csv table) against all of the
  above. It takes the dump and deviation file as parameters, so a run of `pair_style onnx` with a committee can be
  checked with it as well as the synthetic deviation files of test_select.py.
"""
from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FIXED = 7  # step + 3 virial + 3 force columns


@dataclass
class Devi:
    steps: np.ndarray        # [R] int
    v: np.ndarray            # [R, 3] max, min, avg of the virial deviation
    f: np.ndarray            # [R, 3] max, min, avg of the force deviation
    atomic: np.ndarray | None  # [R, N] per-atom force deviations (atom id = column + 1), or None


def read_devi(path: Path) -> Devi:
    a = np.loadtxt(path, comments="#", ndmin=2)
    assert a.shape[1] >= FIXED, f"{path}: {a.shape[1]} columns"
    steps = a[:, 0].astype(np.int64)
    assert np.all(steps == a[:, 0]), "steps must be integers"
    return Devi(steps, a[:, 1:4], a[:, 4:7], a[:, FIXED:] if a.shape[1] > FIXED else None)


def write_devi(path: Path, steps, v, f, atomic=None) -> None:
    """Writes a deviation file the way DeePMD-kit's pair style does: header with '#', setw(12) step, setw(18) values
    in C++ `scientific` (6 digits), per-atom values after the 7 columns."""
    cols = ["step", "max_devi_v", "min_devi_v", "avg_devi_v", "max_devi_f", "min_devi_f", "avg_devi_f"]
    lines = ["#" + f"{cols[0]:>11}" + "".join(f"{c:>19}" for c in cols[1:])]
    for r, s in enumerate(steps):
        row = f"{int(s):>12}" + "".join(f" {x:>18.6e}" for x in (*v[r], *f[r]))
        if atomic is not None:
            row += "".join(f" {x:>18.6e}" for x in atomic[r])
        lines.append(row)
    path.write_text("\n".join(lines) + "\n")


def dpgen_verdicts(d: Devi, f_lo: float, f_hi: float, v_lo: float | None = None, v_hi: float | None = None) -> list[str]:
    """DP-GEN's documented rule, per row. Without virial levels DP-GEN uses levels so high that the virial never counts."""
    if v_lo is None:
        v_lo = v_hi = np.inf
    out = []
    for (fmax, vmax) in zip(d.f[:, 0], d.v[:, 0]):
        if (f_lo <= fmax < f_hi) or (v_lo <= vmax < v_hi):
            out.append("candidate")
        elif fmax >= f_hi or vmax >= v_hi:
            out.append("failed")
        else:
            out.append("accurate")
    return out


@dataclass
class DumpFrame:
    step: int
    h: np.ndarray       # [3, 3] rows a, b, c
    pbc: np.ndarray     # [3] bool
    ids: np.ndarray     # [N] sorted
    types: np.ndarray   # [N]
    pos: np.ndarray     # [N, 3] relative to the box origin (xlo, ylo, zlo of the parallelepiped)


def read_lammps_dump(path: Path) -> list[DumpFrame]:
    lines = path.read_text().splitlines()
    frames, i = [], 0
    while i < len(lines):
        if not lines[i].startswith("ITEM: TIMESTEP"):
            i += 1
            continue
        step = int(lines[i + 1])
        n = int(lines[i + 3])
        head = lines[i + 4].split()[3:]
        tri = head[:3] == ["xy", "xz", "yz"]
        flags = head[3:] if tri else head
        b = np.array([[float(x) for x in lines[i + 5 + k].split()] for k in range(3)])
        if tri:
            xy, xz, yz = b[:, 2]
            xlo = b[0, 0] - min(0.0, xy, xz, xy + xz)
            xhi = b[0, 1] - max(0.0, xy, xz, xy + xz)
            ylo = b[1, 0] - min(0.0, yz)
            yhi = b[1, 1] - max(0.0, yz)
        else:
            xy = xz = yz = 0.0
            xlo, xhi, ylo, yhi = b[0, 0], b[0, 1], b[1, 0], b[1, 1]
        zlo, zhi = b[2, 0], b[2, 1]
        h = np.array([[xhi - xlo, 0, 0], [xy, yhi - ylo, 0], [xz, yz, zhi - zlo]])
        cols = lines[i + 8].split()[2:]
        data = np.array([[float(x) for x in lines[i + 9 + k].split()] for k in range(n)])
        order = np.argsort(data[:, cols.index("id")], kind="stable")
        data = data[order]
        pos = data[:, [cols.index("x"), cols.index("y"), cols.index("z")]] - np.array([xlo, ylo, zlo])
        frames.append(DumpFrame(step, h, np.array([f == "pp" for f in flags]), data[:, cols.index("id")].astype(int),
                                data[:, cols.index("type")].astype(int), pos))
        i += 9 + n
    return frames


def min_image(d: np.ndarray, h: np.ndarray, pbc: np.ndarray) -> np.ndarray:
    """Shortest periodic image of each displacement in d [M, 3]: wrap the fractional displacement, then search the
    27 neighbouring images (only along periodic directions)."""
    s = d @ np.linalg.inv(h)
    s[:, pbc] -= np.round(s[:, pbc])
    base = s @ h
    shifts = [np.array(n) for n in itertools.product(*[(-1, 0, 1) if p else (0,) for p in pbc])]
    cand = np.stack([base + n @ h for n in shifts])          # [S, M, 3]
    best = np.argmin(np.linalg.norm(cand, axis=2), axis=0)    # [M]
    return cand[best, np.arange(len(d))]


def carve_reference(frame: DumpFrame, centre: int, radius: float, buffer: float):
    """(indices within R + B, core mask, displacements from the centre) for 0-based atom index `centre`."""
    d = min_image(frame.pos - frame.pos[centre], frame.h, frame.pbc)
    r = np.linalg.norm(d, axis=1)
    keep = np.nonzero(r < radius + buffer)[0]
    return keep, r[keep] < radius, d[keep]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open() as fh:
        return list(csv.DictReader(fh))


def check_selection(out: Path, table: Path, devi_path: Path, dump_frames: list[DumpFrame], f_lo: float, f_hi: float,
                    v_lo: float | None = None, v_hi: float | None = None, max_frames: int | None = None,
                    carve: tuple[float, float, float, bool] | None = None):
    """Checks `interphase select` output against the references; returns the ASE frames.

    carve = (radius, buffer, vacuum, periodic) when --carve was used."""
    from ase.io import read

    d = read_devi(devi_path)
    verdicts = dpgen_verdicts(d, f_lo, f_hi, v_lo, v_hi)
    rows = read_csv(table)
    assert [int(r["step"]) for r in rows] == d.steps.tolist()
    assert [r["verdict"] for r in rows] == verdicts
    np.testing.assert_array_equal([float(r["max_devi_f"]) for r in rows], d.f[:, 0])
    cand = [k for k, v in enumerate(verdicts) if v == "candidate"]
    selected = [k for k, r in enumerate(rows) if r["selected"] == "1"]
    assert set(selected) <= set(cand)
    if max_frames is None or len(cand) <= max_frames:
        assert selected == cand
    else:
        assert len(selected) == max_frames
        clusters = {k: int(rows[k]["cluster"]) for k in cand}
        assert sorted(set(clusters.values())) == list(range(max_frames)), "one cluster per selected frame"
        assert len({clusters[k] for k in selected}) == max_frames, "the selected frames come from distinct clusters"
        for k in selected:  # each is the most uncertain candidate of its cluster
            members = [j for j in cand if clusters[j] == clusters[k]]
            assert d.f[k, 0] == max(d.f[j, 0] for j in members), (rows[k], members)

    by_step = {fr.step: fr for fr in reversed(dump_frames)}  # first frame of a step wins
    atoms = read(out, index=":", format="extxyz") if selected else []
    assert len(atoms) == len(selected)
    # output in dump order
    dump_order = sorted(selected, key=lambda k: [fr.step for fr in dump_frames].index(int(d.steps[k])))
    for a, k in zip(atoms, dump_order):
        step = int(d.steps[k])
        assert a.info["step"] == step
        for j, name in enumerate(("max_devi_v", "min_devi_v", "avg_devi_v")):
            assert a.info[name] == d.v[k, j], name
        for j, name in enumerate(("max_devi_f", "min_devi_f", "avg_devi_f")):
            assert a.info[name] == d.f[k, j], name
        assert a.info["cluster"] == int(rows[k]["cluster"])
        assert "source" in a.info and "devi_file" in a.info
        fr = by_step[step]
        if carve is None:
            np.testing.assert_array_equal(a.arrays["id"], fr.ids)
            np.testing.assert_allclose(a.get_positions(), fr.pos, atol=1e-5 * max(1.0, np.abs(fr.pos).max()))
            np.testing.assert_allclose(np.array(a.cell), fr.h, atol=1e-6)
            if d.atomic is not None:
                np.testing.assert_array_equal(a.arrays["devi_f"], d.atomic[k])
            continue
        radius, buffer, vacuum, periodic = carve
        assert d.atomic is not None
        centre = int(np.argmax(d.atomic[k]))  # 0-based index = atom id - 1 (ids 1..N)
        assert fr.ids[centre] == centre + 1
        assert a.info["centre_id"] == centre + 1
        keep, core, disp = carve_reference(fr, centre, radius, buffer)
        np.testing.assert_array_equal(a.arrays["id"], fr.ids[keep])
        np.testing.assert_array_equal(a.arrays["core"], core)
        assert a.info["core_atoms"] == int(core.sum())
        np.testing.assert_array_equal(a.arrays["devi_f"], d.atomic[k][keep])
        side = 2 * (radius + buffer) + vacuum
        np.testing.assert_allclose(np.array(a.cell), np.eye(3) * side, atol=1e-9)
        assert list(a.pbc) == [periodic] * 3
        at_centre = a.get_positions()[list(a.arrays["id"]).index(centre + 1)]
        np.testing.assert_allclose(at_centre, [side / 2] * 3, atol=1e-6)
        np.testing.assert_allclose(a.get_positions() - at_centre, disp, atol=1e-5)
    return atoms
