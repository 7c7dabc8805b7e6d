#!/usr/bin/env python3
"""Write small analytic contract-v1 ONNX models (a multi-species Morse pair potential).

The Morse potential has closed-form forces, so these models need no autograd and give the
pair_style onnx tests an independent reference: LAMMPS's own ``pair_style morse`` with the
parameters written to ``morse_params.json``.

Per species pair (a, b) with parameters (D0, alpha, r0) and cutoff rc:

    phi(r)  = D0 * (exp(-2 alpha (r - r0)) - 2 exp(-alpha (r - r0)))     for r < rc, else 0
    e_i     = 0.5 * sum_{edges e centred at i} phi(r_e)                   (atomic_energy)
    F_e     = m_i * 0.5 * phi'(r_e) * r_e / r_e                           (edge_forces = dE/dr_e)

where m_i is the ``node_energy_mask`` of the centre (1 when the model has no mask input).
No energy shift at rc (same as LAMMPS ``pair_style morse``).

Usage:  python tests/models/make_analytic_models.py [--out tests/models]
Besides the valid models it writes the contract-violating variants the bad-input tests use.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SPECIES: tuple[str, ...] = ("Li", "P", "S", "Cl")
RC: float = 6.0
OPSET: int = 18
IR_VERSION: int = 9

# (D0 [eV], alpha [1/A], r0 [A]) per unordered species pair; a toy parameter set chosen so
# that typical Li-P-S-Cl distances (2-4 A) sit near the minima.  Not fitted to anything.
PAIR_PARAMS: dict[tuple[str, str], tuple[float, float, float]] = {
    ("Li", "Li"): (0.30, 1.20, 3.00),
    ("Li", "P"): (0.60, 1.40, 2.60),
    ("Li", "S"): (0.80, 1.50, 2.50),
    ("Li", "Cl"): (0.70, 1.40, 2.55),
    ("P", "P"): (0.50, 1.50, 2.50),
    ("P", "S"): (2.00, 1.80, 2.05),
    ("P", "Cl"): (0.40, 1.50, 3.20),
    ("S", "S"): (0.40, 1.50, 3.30),
    ("S", "Cl"): (0.30, 1.40, 3.50),
    ("Cl", "Cl"): (0.30, 1.30, 3.60),
}

# A second parameter set for committee tests (morse_b_f64.onnx): every D0 x 1.15, alpha x 0.93,
# r0 + 0.06 A, and a shorter cutoff, so the committee members disagree and have different edges.
PAIR_PARAMS_B: dict[tuple[str, str], tuple[float, float, float]] = {
    k: (round(d0 * 1.15, 6), round(al * 0.93, 6), round(r0 + 0.06, 6)) for k, (d0, al, r0) in PAIR_PARAMS.items()
}
RC_B: float = 5.0

# Per-type-pair cutoffs of the "pertype" variant (interphase.per_edge_type_cutoff).
PERTYPE_RC: dict[tuple[str, str], float] = {("Li", "Li"): 4.5, ("Li", "Cl"): 5.0, ("S", "S"): 5.5}


def pair_tables(rc_of: dict[tuple[str, str], float] | None = None,
                params: dict[tuple[str, str], tuple[float, float, float]] | None = None,
                rc_all: float = RC, species: tuple[str, ...] = SPECIES) -> dict[str, np.ndarray]:
    """S*S row-major tables of D0, alpha, r0 and rc in species order."""
    params = PAIR_PARAMS if params is None else params
    s = len(species)
    tables = {k: np.zeros(s * s) for k in ("D0", "alpha", "r0", "rc")}
    for a, ea in enumerate(species):
        for b, eb in enumerate(species):
            key = (ea, eb) if (ea, eb) in params else (eb, ea)
            d0, al, r0 = params[key]
            rc = rc_all
            if rc_of is not None:
                rc = rc_of.get((ea, eb), rc_of.get((eb, ea), rc_all))
            for name, v in (("D0", d0), ("alpha", al), ("r0", r0), ("rc", rc)):
                tables[name][a * s + b] = v
    return tables


def build_morse(
    dtype: int,
    hops: int = 1,
    with_mask: bool = False,
    rc_of: dict[tuple[str, str], float] | None = None,
    metadata: dict[str, str] | None = None,
    drop_output: str | None = None,
    drop_input: str | None = None,
    out_dtype: int | None = None,
    params: dict[tuple[str, str], tuple[float, float, float]] | None = None,
    rc_all: float = RC,
    species: tuple[str, ...] = SPECIES,
) -> onnx.ModelProto:
    """Build the Morse graph. The drop_*/out_dtype/metadata knobs make broken variants;
    params/rc_all/species give other parameter sets (committee members)."""
    npdt = np.float64 if dtype == TensorProto.DOUBLE else np.float32
    odt = dtype if out_dtype is None else out_dtype
    s = len(species)
    tab = pair_tables(rc_of, params, rc_all, species)
    inits = [numpy_helper.from_array(tab[k].astype(npdt), name=f"tab_{k}") for k in tab]
    inits += [
        numpy_helper.from_array(np.array(s, dtype=np.int64), name="n_species"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), name="i0"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), name="i1"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), name="axis1"),
        numpy_helper.from_array(np.array(0.5, dtype=npdt), name="half"),
        numpy_helper.from_array(np.array(2.0, dtype=npdt), name="two"),
    ]
    n = helper.make_node
    nodes = [
        # r = |edge_vectors|
        n("Mul", ["edge_vectors", "edge_vectors"], ["ev2"]),
        n("ReduceSum", ["ev2", "axis1"], ["r2"], keepdims=0),
        n("Sqrt", ["r2"], ["r"]),
        # centre / neighbour indices and their species
        n("Gather", ["edge_index", "i0"], ["src2"], axis=0),
        n("Gather", ["edge_index", "i1"], ["dst2"], axis=0),
        n("Squeeze", ["src2", "i0"], ["src"]),
        n("Squeeze", ["dst2", "i0"], ["dst"]),
    ]
    if drop_input == "atom_types":
        # a broken model that derives species from nothing (all Li)
        nodes += [n("Mul", ["src", "i0"], ["ti"]), n("Mul", ["dst", "i0"], ["tj"])]
    else:
        nodes += [
            n("Gather", ["atom_types", "src"], ["ti"], axis=0),
            n("Gather", ["atom_types", "dst"], ["tj"], axis=0),
        ]
    nodes += [
        n("Mul", ["ti", "n_species"], ["ti_s"]),
        n("Add", ["ti_s", "tj"], ["pair"]),
        n("Gather", ["tab_D0", "pair"], ["D0"], axis=0),
        n("Gather", ["tab_alpha", "pair"], ["alpha"], axis=0),
        n("Gather", ["tab_r0", "pair"], ["r0"], axis=0),
        n("Gather", ["tab_rc", "pair"], ["rc"], axis=0),
        # ex = exp(-alpha (r - r0)); phi = D0 (ex^2 - 2 ex); dphi = 2 alpha D0 (ex - ex^2)
        n("Sub", ["r", "r0"], ["dr"]),
        n("Mul", ["alpha", "dr"], ["adr"]),
        n("Neg", ["adr"], ["nadr"]),
        n("Exp", ["nadr"], ["ex"]),
        n("Mul", ["ex", "ex"], ["ex2"]),
        n("Mul", ["two", "ex"], ["twoex"]),
        n("Sub", ["ex2", "twoex"], ["phi_u"]),
        n("Mul", ["D0", "phi_u"], ["phi"]),
        n("Sub", ["ex", "ex2"], ["dex"]),
        n("Mul", ["alpha", "D0"], ["aD0"]),
        n("Mul", ["two", "aD0"], ["twoaD0"]),
        n("Mul", ["twoaD0", "dex"], ["dphi"]),
        # inside the cutoff
        n("Less", ["r", "rc"], ["inside"]),
        n("Cast", ["inside"], ["w"], to=dtype),
        n("Mul", ["phi", "w"], ["phi_w"]),
        n("Mul", ["half", "phi_w"], ["e_edge"]),
        # atomic_energy_i = sum over edges centred at i
        n("Shape", ["atom_types" if drop_input != "atom_types" else "node_count_src"], ["nshape"]),
        n("ConstantOfShape", ["nshape"], ["zeros"],
          value=helper.make_tensor("z", dtype, [1], [0.0])),
        n("ScatterElements", ["zeros", "src", "e_edge"], ["ae"], axis=0, reduction="add"),
        # edge_forces = m_centre * 0.5 * dphi * w * r_e / r
        n("Div", ["dphi", "r"], ["dphi_r"]),
        n("Mul", ["dphi_r", "w"], ["g_w"]),
        n("Mul", ["half", "g_w"], ["g_half"]),
    ]
    if with_mask:
        nodes += [
            n("Gather", ["node_energy_mask", "src"], ["m_src"], axis=0),
            n("Mul", ["g_half", "m_src"], ["g"]),
        ]
    else:
        nodes += [n("Identity", ["g_half"], ["g"])]
    nodes += [
        n("Unsqueeze", ["g", "axis1"], ["g2"]),
        n("Mul", ["g2", "edge_vectors"], ["ef"]),
    ]
    if odt != dtype:
        nodes += [n("Cast", ["ae"], ["atomic_energy"], to=odt), n("Cast", ["ef"], ["edge_forces"], to=odt)]
    else:
        nodes += [n("Identity", ["ae"], ["atomic_energy"]), n("Identity", ["ef"], ["edge_forces"])]

    inputs = [
        helper.make_tensor_value_info("edge_vectors", dtype, ["num_edges", 3]),
        helper.make_tensor_value_info("edge_index", TensorProto.INT64, [2, "num_edges"]),
    ]
    if drop_input != "atom_types":
        inputs.append(helper.make_tensor_value_info("atom_types", TensorProto.INT64, ["num_nodes"]))
    else:
        # the node count comes from a differently named input
        inputs.append(helper.make_tensor_value_info("node_count_src", TensorProto.INT64, ["num_nodes"]))
    if with_mask:
        inputs.append(helper.make_tensor_value_info("node_energy_mask", dtype, ["num_nodes"]))
    outputs = [
        helper.make_tensor_value_info("atomic_energy", odt, ["num_nodes"]),
        helper.make_tensor_value_info("edge_forces", odt, ["num_edges", 3]),
    ]
    if drop_output is not None:
        outputs = [o for o in outputs if o.name != drop_output]
    graph = helper.make_graph(nodes, "interphase_morse", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="interphase-tests-make_analytic_models")
    model.ir_version = IR_VERSION
    meta = {
        "interphase.contract": "1",
        "interphase.species": " ".join(species),
        "interphase.r_max": repr(rc_all if rc_of is None else max([rc_all, *rc_of.values()])),
        "interphase.hops": str(hops),
        "interphase.description": "analytic multi-species Morse pair potential (tests only)",
    }
    if rc_of is not None:
        meta["interphase.per_edge_type_cutoff"] = " ".join(repr(float(v)) for v in tab["rc"])
    if metadata is not None:
        for k, v in metadata.items():
            if v is None:
                meta.pop(k, None)
            else:
                meta[k] = v
    onnx.helper.set_model_props(model, meta)
    if drop_input != "atom_types" and drop_output is None:
        onnx.checker.check_model(model, full_check=True)
    return model


def write_params(path: Path) -> None:
    """Document the Morse parameters for LAMMPS 'pair_coeff i j morse D0 alpha r0 rc'."""
    pairs = []
    for (a, b), (d0, al, r0) in PAIR_PARAMS.items():
        pairs.append({"pair": [a, b], "D0": d0, "alpha": al, "r0": r0, "rc": RC,
                      "rc_pertype": PERTYPE_RC.get((a, b), PERTYPE_RC.get((b, a), RC))})
    doc = {
        "description": "phi(r) = D0*(exp(-2*alpha*(r-r0)) - 2*exp(-alpha*(r-r0))) for r < rc, "
                       "unshifted (LAMMPS pair_style morse). Units metal (eV, Angstrom).",
        "species": list(SPECIES),
        "rc": RC,
        "models": {
            "morse_f64.onnx": "float64, hops 1, rc 6.0 for every pair",
            "morse_f32.onnx": "float32, hops 1, rc 6.0 for every pair",
            "morse_hops2_f64.onnx": "float64, hops 2 with node_energy_mask (same physics)",
            "morse_pertype_f64.onnx": "float64, hops 1, per-pair cutoffs rc_pertype "
                                      "(interphase.per_edge_type_cutoff)",
            "morse_b_f64.onnx": "float64, hops 1, parameter set pairs_b with rc_b for every pair "
                                "(a second committee member)",
            "morse_b_hops2_f64.onnx": "float64, hops 2 with node_energy_mask, parameter set pairs_b",
            "morse_lips_f64.onnx": "float64, species Li P S only (committee bad-input test)",
        },
        "pairs": pairs,
        "rc_b": RC_B,
        "pairs_b": [{"pair": [a, b], "D0": d0, "alpha": al, "r0": r0, "rc": RC_B}
                    for (a, b), (d0, al, r0) in PAIR_PARAMS_B.items()],
    }
    path.write_text(json.dumps(doc, indent=2) + "\n")


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    D, F = TensorProto.DOUBLE, TensorProto.FLOAT
    models: dict[str, onnx.ModelProto] = {
        "morse_f64.onnx": build_morse(D),
        "morse_f32.onnx": build_morse(F),
        "morse_hops2_f64.onnx": build_morse(D, hops=2, with_mask=True),
        "morse_pertype_f64.onnx": build_morse(D, rc_of=PERTYPE_RC),
        "morse_b_f64.onnx": build_morse(D, params=PAIR_PARAMS_B, rc_all=RC_B),
        "morse_b_hops2_f64.onnx": build_morse(D, hops=2, with_mask=True, params=PAIR_PARAMS_B, rc_all=RC_B),
        "morse_lips_f64.onnx": build_morse(D, species=("Li", "P", "S"),
                                           params={k: v for k, v in PAIR_PARAMS.items() if "Cl" not in k}),
        # contract-violating variants (bad-input tests)
        "bad_missing_edge_forces.onnx": build_morse(D, drop_output="edge_forces"),
        "bad_missing_atom_types.onnx": build_morse(D, drop_input="atom_types"),
        "bad_missing_r_max.onnx": build_morse(D, metadata={"interphase.r_max": None}),
        "bad_contract_version.onnx": build_morse(D, metadata={"interphase.contract": "3"}),
        "bad_hops2_no_mask.onnx": build_morse(D, hops=2),
        "bad_mixed_dtype.onnx": build_morse(F, out_dtype=D),
    }
    for name, model in models.items():
        onnx.save(model, out / name)
    (out / "not_onnx.onnx").write_text("this is a text file, not an ONNX model\n")
    write_params(out / "morse_params.json")
    print(f"wrote {len(models) + 1} models and morse_params.json to {out}")


if __name__ == "__main__":
    main()
