"""Bad inputs to pair_style onnx, each run in the real LAMMPS on 1 and 2 MPI ranks.

Every case must end with: a non-zero exit, a LAMMPS ERROR line that names the cause and the fix
(checked with case-insensitive patterns), no JVM crash file (hs_err_pid*.log) or core file, no
crash markers (signals, JVM fatal error banner), no Java stack trace on the screen, and no hang
(each run is killed after a timeout, which fails the test).

Models: the contract-violating models of tests/models (make_analytic_models.py) and the
bad-output models written by tests/pair/make_bad_models.py (NaN/Inf/wrong runtime shape).
"""
from __future__ import annotations

import os
import re
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import decks, make_bad_models
from harness import lammps as L
from .conftest import analytic_model

BAD_TIMEOUT = 90.0
JDK17 = Path("/usr/lib/jvm/java-17-openjdk-amd64")
STACK_TRACE = re.compile(r"^\s*at [\w$.]+\([^)]*\)\s*$|Exception in thread", re.MULTILINE)


@dataclass(frozen=True)
class Bad:
    """A deck builder and the patterns its ERROR line must match (all of them)."""

    patterns: tuple[str, ...]
    style_args: str = ""
    model: str = "morse_f64.onnx"  # file(s) in tests/models or keys of the tmp bad models, space-separated
    elements: str = "Li P S Cl"
    units: str = "metal"
    pre_pair: str = ""
    pre_box: str = ""  # commands before the box exists (newton)
    env: tuple[tuple[str, str], ...] = ()
    after_pair: str = ""  # commands after pair_coeff (fix pair)


CASES: dict[str, Bad] = {
    "missing_model_file": Bad((r"/nonexistent/model\.onnx", r"not found|does not exist|no such file"),
                              model="/nonexistent/model.onnx"),
    "model_path_is_directory": Bad((r"modeldir", r"directory|not a (regular )?file|cannot read|"
                                    r"unreadable|permission"), model="@dir"),
    "not_onnx": Bad((r"garbage\.onnx", r"onnx"), model="@garbage"),
    "empty_onnx_file": Bad((r"empty\.onnx", r"not a valid ONNX model", r"interphase-export"), model="@empty"),
    "missing_input_atom_types": Bad((r"atom_types", r"interphase-export|contract"),
                                    model="bad_missing_atom_types.onnx"),
    "missing_output_edge_forces": Bad((r"edge_forces", r"interphase-export|contract"),
                                      model="bad_missing_edge_forces.onnx"),
    "missing_metadata_r_max": Bad((r"interphase\.r_max", r"interphase-export|contract"),
                                  model="bad_missing_r_max.onnx"),
    "contract_version_3": Bad((r"interphase\.contract", r"v1 and v2"), model="bad_contract_version.onnx"),
    # contract v2 (one graph per layer; copies of the NequIP fixture's per-layer export, see bad_dir)
    "v2_missing_layer_graph": Bad((r"nequip-tiny\.f64\.layer1\.vjp\.onnx", r"missing", r"keep the files"),
                                  model="@v2-missing/nequip-tiny.f64"),
    "v2_layers_disagree_in_width": Bad((r"disagree in feature width", r"\b32\b", r"re-export"),
                                       model="@v2-widths/nequip-tiny.f64"),
    "v2_newton_pair_off": Bad((r"newton_pair on",), pre_box="newton off on", model="@v2-ok/nequip-tiny.f64"),
    "hops2_without_mask": Bad((r"node_energy_mask", r"interphase-export|re-?export"),
                              model="bad_hops2_no_mask.onnx"),
    "mixed_dtype": Bad((r"float(32|64)|dtype|type",), model="bad_mixed_dtype.onnx"),
    "species_not_in_model": Bad((r"\bFe\b", r"Li P S Cl|Li, P, S, Cl"), elements="Li P S Fe"),
    "wrong_number_of_elements": Bad((r"pair_coeff", r"\b4\b"), elements="Li P S"),
    "libjvm_not_found": Bad((r"/nonexistent", r"libjvm|jdk|java"), style_args="jvm /nonexistent"),
    "jdk_17": Bad((r"\b22\b", r"jdk|java"), style_args=f"jvm {JDK17}"),
    "nan_in_model_output": Bad((r"nan|non-?finite|not finite", r"nan_forces\.onnx|model"),
                               model="@nan_forces"),
    "inf_in_model_output": Bad((r"inf|non-?finite|not finite", r"inf_energy\.onnx|model"),
                               model="@inf_energy"),
    # a real Java exception inside compute: ONNX Runtime throws OrtException from
    # OrtSession.run because edge_forces comes out [E,2]; it must become one ERROR line
    "java_exception_inside_compute": Bad((r"edge_forces", r"shape|dimension"),
                                         model="@bad_runtime_shape"),
    "newton_pair_off": Bad((r"newton_pair on",), pre_box="newton off on"),
    "units_real": Bad((r"units metal",), units="real"),
    "units_lj": Bad((r"units metal",), units="lj"),
    "device_cuda_unavailable": Bad((r"cuda",), style_args="device cuda"),
    "unknown_keyword": Bad((r"bogus", r"device|threads|jvm|pad"), style_args="bogus 1"),
    # committees (several models in pair_coeff) and their model-deviation keywords
    "committee_species_differ": Bad((r"morse_lips_f64\.onnx", r"Li P S\b", r"same elements"),
                                    model="morse_f64.onnx morse_lips_f64.onnx", elements="Li P S NULL"),
    "committee_member_missing": Bad((r"/nonexistent/member\.onnx", r"not found|does not exist|no such file"),
                                    model="morse_f64.onnx /nonexistent/member.onnx"),
    "committee_member_unknown_contract": Bad((r"interphase\.contract",),
                                            model="morse_f64.onnx bad_contract_version.onnx"),
    "out_freq_0": Bad((r"out_freq 0", r">= 1"), style_args="out_freq 0",
                      model="morse_f64.onnx morse_b_f64.onnx"),
    "relative_negative": Bad((r"relative '-1'", r">= 0"), style_args="relative -1",
                             model="morse_f64.onnx morse_b_f64.onnx"),
    "out_file_unwritable": Bad((r"/nonexistent/dir/devi\.out", r"out_file"),
                               style_args="out_file /nonexistent/dir/devi.out",
                               model="morse_f64.onnx morse_b_f64.onnx"),
    "fix_pair_force_deviation_single_model": Bad((r"force_deviation", r"committee", r"two or more model"),
                                                 after_pair="fix fp all pair 1 onnx force_deviation 1"),
    "fix_pair_energy_deviation_single_model": Bad((r"energy_deviation", r"committee"),
                                                  after_pair="fix fp all pair 1 onnx energy_deviation 0"),
    "model_file_among_elements": Bad((r"m1\.onnx", r"element"), model="morse_f64.onnx",
                                     elements="m1.onnx Li P S"),
}
if os.geteuid() != 0:  # root reads a chmod 000 file anyway; the directory case covers root
    CASES["model_unreadable"] = Bad((r"unreadable\.onnx", r"permission|cannot read|unreadable|"
                                     r"not readable"), model="@unreadable")


@pytest.fixture(scope="module")
def bad_dir(session_dir) -> Path:
    out = session_dir / "bad-models"
    out.mkdir(exist_ok=True)
    make_bad_models.main(["make_bad_models", str(out)])
    (out / "garbage.onnx").write_bytes(b"this is not an ONNX protobuf\n" + bytes(range(256)) * 8)
    (out / "empty.onnx").write_bytes(b"")
    (out / "modeldir").mkdir(exist_ok=True)
    _layered_copies(out)
    if os.geteuid() != 0:
        shutil.copy(analytic_model("morse_f64.onnx"), out / "unreadable.onnx")
        (out / "unreadable.onnx").chmod(0)
    return out


LAYERED = L.REPO / "model-export" / "fixtures" / "nequip-tiny" / "contract-v2"


def _layered_copies(out: Path) -> None:
    """Broken copies of the NequIP fixture's contract-v2 export: one layer graph missing; a manifest
    that lists layer 0's graphs for layer 1 too (so layer 1's graphs take 8 features, not 32)."""
    import onnx

    files = sorted(LAYERED.glob("nequip-tiny.f64*.onnx"))
    assert files, f"{LAYERED}: the contract-v2 fixture is missing (model-export/scripts/make_fixtures.py)"
    for name in ("v2-ok", "v2-missing", "v2-widths"):
        (out / name).mkdir(exist_ok=True)
        for f in files:
            shutil.copy(f, out / name / f.name)
    (out / "v2-missing" / "nequip-tiny.f64.layer1.vjp.onnx").unlink()
    manifest = onnx.load(str(out / "v2-widths" / "nequip-tiny.f64.onnx"))
    for entry in manifest.metadata_props:
        if entry.key == "interphase.layer_graphs":
            entry.value = "nequip-tiny.f64.layer0.onnx nequip-tiny.f64.layer0.vjp.onnx " * 2
    onnx.save(manifest, str(out / "v2-widths" / "nequip-tiny.f64.onnx"))


def resolve_model(bad: Bad, bad_dir: Path) -> str:
    return " ".join(_resolve_one(m, bad_dir) for m in bad.model.split())


def _resolve_one(model: str, bad_dir: Path) -> str:
    if model.startswith("/"):
        return model
    if model.startswith("@"):
        key = model[1:]
        return str(bad_dir / ("modeldir" if key == "dir" else f"{key}.onnx"))
    return str(analytic_model(model))


@pytest.mark.parametrize("nprocs", [1, 2])
@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_fails_cleanly(name, nprocs, plugin, bad_dir, session_dir):
    bad = CASES[name]
    if name == "jdk_17":
        assert (JDK17 / "release").is_file(), f"test needs a JDK 17 at {JDK17} (apt: openjdk-17-jdk-headless)"
    model = resolve_model(bad, bad_dir)
    pair_block = "\n".join([f"plugin load {plugin}",
                            f"pair_style onnx {bad.style_args}".rstrip(),
                            f"pair_coeff * * {model} {bad.elements}", bad.after_pair])
    deck = decks.minimal(pair_block, units=bad.units, pre_pair=bad.pre_pair, pre_box=bad.pre_box)
    workdir = session_dir / f"bad-{name}-np{nprocs}"
    res = L.run_lammps(deck, workdir, nprocs, timeout=BAD_TIMEOUT, env=dict(bad.env))
    assert not res.timed_out, "LAMMPS hung on a bad input\n" + res.describe()
    assert res.returncode != 0, "LAMMPS exited 0 on a bad input\n" + res.describe()
    assert not res.crash_files(), f"crash files {res.crash_files()}\n" + res.describe()
    assert not res.crash_markers(), f"crash markers {res.crash_markers()}\n" + res.describe()
    trace = STACK_TRACE.search(res.output)
    assert trace is None, f"Java stack trace shown to the user: {trace.group(0)!r}\n" + res.describe()
    errors = res.error_lines()
    assert errors, "no LAMMPS ERROR line\n" + res.describe()
    text = "\n".join(errors)
    missing = [p for p in bad.patterns if not re.search(p, text, re.IGNORECASE)]
    assert not missing, f"ERROR line(s) {errors} do not match {missing}\n" + res.describe()
    # one line naming cause and fix: not a bare 'failed' of a few words
    assert max(len(e) for e in errors) > 40, errors
    # no ONNX Runtime internals (C++ signatures, its source locations) in what the user reads;
    # LAMMPS's own "(src/pair_onnx.cpp:157)" suffix is its standard and stays
    assert not re.search(r"onnxruntime::|onnxruntime/\S+\.(cc|h):\d+|Error code - ORT_", text), errors
