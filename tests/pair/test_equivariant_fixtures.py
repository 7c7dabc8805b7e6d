"""Allegro / NequIP models in LAMMPS (pair_style onnx) vs nequip's own calculator (contract C6).

For every folder model-export/fixtures/<model>/ and every <structure>.data + <structure>.ref in it
(written by the exporter from nequip's NequIPCalculator; see model-export/fixtures/README.md) we run
the model in LAMMPS on 1, 2 and 4 MPI ranks and compare total energy, forces, per-atom energies
and the global virial with the reference values.

On one rank a message-passing model (hops > 1) folds periodic images onto their atoms (no
ghost shell); every case also runs with 'fold no' (the hops x r_max ghost shell) on one rank,
and on 2 and 4 ranks, where the shell is needed. The triclinic fixture (5.7 A box edges) is
smaller than hops x r_max = 8 A of the 2-layer NequIP model.

Each reference is also run with the float32 sibling of its model (<name>.f32.onnx beside
<name>.f64.onnx) when one exists, on the same 1, 2 and 4 ranks.

A message-passing model exported per layer (contract v2, <model>/contract-v2/<name>.onnx, written
by interphase-export --contract 2) runs against the same references on 1, 2 and 4 ranks, chunked
and threaded: node features are exchanged between the layers and the ghost cutoff is r_max, so
the triclinic box (5.7 A) is smaller than hops x r_max and ranks of the 4-rank cluster run hold
no atoms.

Tolerances (model-export/fixtures/README.md measured <= 1e-14 for float64 ONNX vs nequip):
float64: forces 1e-8 eV/A per component, per-atom energy 1e-9 eV, total energy 1e-8 eV, virial
1e-7 eV per component. float32: forces 5e-4 eV/A, per-atom energy 1e-4 eV, total energy 1e-4 eV,
virial 1e-3 eV (observed by the exporter: ~5e-7, ~1e-7, ~3e-6).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from . import decks, structures
from harness import lammps as L
from .conftest import RUN_TIMEOUT, assert_clean_exit

FIXTURES = L.REPO / "model-export" / "fixtures"


@dataclass(frozen=True)
class Reference:
    path: Path
    model: Path
    species: tuple[str, ...]
    source: str
    energy: float
    virial: np.ndarray  # xx yy zz xy xz yz, eV
    ids: np.ndarray
    elements: tuple[str, ...]
    forces: np.ndarray
    atomic_energy: np.ndarray
    periodic: bool

    def f32_sibling(self) -> Path | None:
        name = self.model.name
        if ".f64." in name:
            sib = self.model.with_name(name.replace(".f64.", ".f32."))
            return sib if sib.is_file() else None
        return None

    @property
    def reference_dtype(self) -> str:
        """Precision nequip's calculator ran the model in (last word of `source`; float64 if absent)."""
        words = self.source.split()
        return words[-1] if words and words[-1] in ("float32", "float64") else "float64"


def parse_ref(path: Path) -> Reference:
    header: dict[str, str] = {}
    atoms: list[list[str]] = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if words[0].lstrip("-").isdigit() and len(words) == 6:
            atoms.append(words)
        else:
            header[words[0]] = " ".join(words[1:])
    for key in ("model", "species", "energy", "virial", "natoms"):
        if key not in header:
            raise ValueError(f"{path}: header line '{key}' missing (contract C6)")
    natoms = int(header["natoms"])
    if len(atoms) != natoms:
        raise ValueError(f"{path}: natoms {natoms} but {len(atoms)} atom lines")
    atoms.sort(key=lambda w: int(w[0]))
    model = Path(header["model"])
    if not model.is_absolute():
        model = (path.parent / model).resolve()
    pbc = header.get("pbc", "t t t").split()
    return Reference(
        path=path, model=model, species=tuple(header["species"].split()),
        source=header.get("source", ""), energy=float(header["energy"]),
        virial=np.array([float(v) for v in header["virial"].split()]),
        ids=np.array([int(w[0]) for w in atoms]), elements=tuple(w[1] for w in atoms),
        forces=np.array([[float(v) for v in w[2:5]] for w in atoms]),
        atomic_energy=np.array([float(w[5]) for w in atoms]),
        periodic=all(p.lower() in ("t", "p", "true", "1") for p in pbc))


def discover() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    return sorted(p for p in FIXTURES.glob("*/*.ref") if p.with_suffix(".data").is_file())


REFS = discover()


def ref_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _matrix() -> list:
    cases = []
    for ref in REFS:
        for n in (1, 2, 4):
            cases.append(pytest.param(ref, "f64", n, "", id=f"{ref_id(ref)}-f64-np{n}"))
        # one rank folds periodic images for hops > 1; 'fold no' is the hops x r_max ghost shell
        cases.append(pytest.param(ref, "f64", 1, "fold no", id=f"{ref_id(ref)}-f64-np1-foldno"))
        # chunked and threaded evaluation (halos for hops > 1) against the same reference
        cases.append(pytest.param(ref, "f64", 1, "chunk 5 threads 2", id=f"{ref_id(ref)}-f64-np1-chunk5-t2"))
        cases.append(pytest.param(ref, "f64", 2, "chunk 17", id=f"{ref_id(ref)}-f64-np2-chunk17"))
        model_line = next((ln for ln in ref.read_text().splitlines() if ln.startswith("model ")), "")
        f32 = (ref.parent / model_line.split(maxsplit=1)[-1].replace(".f64.", ".f32.")) if \
            ".f64." in model_line else None
        if f32 is not None and f32.is_file():
            for n in (1, 2, 4):
                cases.append(pytest.param(ref, "f32", n, "", id=f"{ref_id(ref)}-f32-np{n}"))
            cases.append(pytest.param(ref, "f32", 1, "chunk 7 threads 2", id=f"{ref_id(ref)}-f32-np1-chunk7-t2"))
    return cases


def layered_model(ref: Path, precision: str) -> Path | None:
    """The contract-v2 export of a reference's model in <model>/contract-v2/, or None."""
    model_line = next((ln for ln in ref.read_text().splitlines() if ln.startswith("model ")), "")
    name = model_line.split(maxsplit=1)[-1] if model_line else ""
    if precision.endswith("f32"):
        name = name.replace(".f64.", ".f32.")
    path = ref.parent / "contract-v2" / name
    return path if name and path.is_file() else None


def _layered_matrix() -> list:
    cases = []
    for ref in REFS:
        if layered_model(ref, "v2-f64") is None:
            continue
        for n in (1, 2, 4):
            cases.append(pytest.param(ref, "v2-f64", n, "", id=f"{ref_id(ref)}-v2-f64-np{n}"))
        cases.append(pytest.param(ref, "v2-f64", 1, "chunk 5 threads 2", id=f"{ref_id(ref)}-v2-f64-np1-chunk5-t2"))
        cases.append(pytest.param(ref, "v2-f64", 2, "chunk 7 threads 2", id=f"{ref_id(ref)}-v2-f64-np2-chunk7-t2"))
        if layered_model(ref, "v2-f32") is not None:
            for n in (1, 2):
                cases.append(pytest.param(ref, "v2-f32", n, "", id=f"{ref_id(ref)}-v2-f32-np{n}"))
    return cases


def test_layered_fixtures_exist():
    """The contract-v2 cases below must not vanish silently: the NequIP fixture has its per-layer export."""
    assert any(layered_model(r, "v2-f64") for r in REFS if r.parent.name == "nequip-tiny"), (
        "model-export/fixtures/nequip-tiny/contract-v2/nequip-tiny.f64.onnx is missing: run "
        "model-export/scripts/make_fixtures.py")


def test_fixture_set_is_not_empty():
    """The parametrised comparison below must not pass vacuously."""
    assert FIXTURES.is_dir(), (f"{FIXTURES} is missing: generate the reference fixtures with the "
                               f"exporter (model-export, contract C6)")
    assert REFS, (f"no <model>/<structure>.ref + .data pairs under {FIXTURES}: generate them with "
                  f"the exporter (contract C6)")


@pytest.mark.parametrize("ref_path,precision,nprocs,style_args", _matrix() + _layered_matrix())
def test_model_matches_nequip_reference(ref_path, precision, nprocs, style_args, plugin, session_dir):
    ref = parse_ref(ref_path)
    assert ref.model.is_file(), f"{ref_path}: model {ref.model} does not exist"
    if precision.startswith("v2-"):
        model = layered_model(ref_path, precision)
    else:
        model = ref.model if precision == "f64" else ref.f32_sibling()
    assert model is not None
    data = ref_path.with_suffix(".data")
    structure = structures.read_data(data)
    type_elements = list(structure.elements)
    assert all(type_elements), f"{data}: Masses lines must be labelled '# Element' (contract C6)"
    boundary = "p p p" if ref.periodic else "f f f"
    workdir = (session_dir / f"fixture-{ref_path.parent.name}-{ref_path.stem}-{precision}-np{nprocs}"
               f"{style_args.replace(' ', '')}")
    deck = decks.static_and_nve(data, decks.onnx_pair(plugin, model, type_elements, style_args),
                                boundary=boundary, nve_steps=0)
    res = L.run_lammps(deck, workdir, nprocs, timeout=RUN_TIMEOUT)
    assert_clean_exit(res)
    frame = L.parse_dump(workdir / "static.dump")[0]
    np.testing.assert_array_equal(frame.columns["id"].astype(int), ref.ids)
    got_el = tuple(type_elements[int(t) - 1] for t in frame.columns["type"])
    assert got_el == ref.elements, "element of each atom differs between .data and .ref"

    # a float32-trained model (the default Allegro model) has float32 references even for the
    # float64 ONNX file, so its conditioning is float32's; nequip-tiny (float64) checks f64 exactness
    if precision.endswith("f32") or ref.reference_dtype == "float32":
        tol_f, tol_e_atom, tol_e, tol_w = 5e-4, 1e-4, 1e-4, 1e-3
    else:
        tol_f, tol_e_atom, tol_e, tol_w = 1e-8, 1e-9, 1e-8, 1e-7
    thermo = res.thermo()[0]
    volume = thermo["Volume"]
    virial = np.array([thermo[f"c_pv[{k}]"] for k in range(1, 7)]) * volume / L.NKTV2P_METAL
    forces = frame.vec("fx", "fy", "fz")
    err = {
        "force": float(np.max(np.abs(forces - ref.forces))),
        "atomic_energy": float(np.max(np.abs(frame.columns["c_pe"] - ref.atomic_energy))),
        "energy": abs(thermo["PotEng"] - ref.energy),
        # clusters: sum_i r_i (x) F_i, origin-independent because sum_i F_i = 0
        "virial": float(np.max(np.abs(virial - ref.virial))),
    }
    msg = (f"{ref_id(ref_path)} {precision} on {nprocs} ranks: errors {err}, tolerances force {tol_f} "
           f"atomic_energy {tol_e_atom} energy {tol_e} virial {tol_w}\n{res.describe(8)}")
    assert np.max(np.abs(ref.forces)) > 1e-3, f"{ref_path}: reference forces are ~0 (vacuous)"
    assert err["force"] <= tol_f, msg
    assert err["atomic_energy"] <= tol_e_atom, msg
    assert err["energy"] <= tol_e, msg
    assert err["virial"] <= tol_w, msg
    if precision.startswith("v2-"):
        # the per-layer path announces itself, and its ghost cutoff is r_max + skin, not hops x r_max
        assert "exchanged between layers" in res.output, res.describe(20)
