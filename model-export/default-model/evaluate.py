"""Per-family test errors of a model against the labeller's labels, and the reaction energy.

Usage: python evaluate.py MODEL(.ckpt|.nequip.zip|.onnx) TEST.extxyz[.xz] [--out errors.md]
                          [--reaction] [--targets]
Prints a markdown table per family (atoms.info["config_type"]; active-learning frames count as
interface): energy MAE/RMSE and mean signed error ("offset", meV/atom), force MAE/RMSE (meV/A).
--reaction adds Li6PS5Cl + 8 Li -> 5 Li2S + Li3P + LiCl (per atom), each crystal relaxed (cell
and positions) with the model and with the labeller; --targets checks issue 13's accuracy
targets (TARGETS) and exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

import numpy as np
from ase import Atoms
from ase.calculators.calculator import Calculator, all_changes
from ase.io import read

import common as C

warnings.filterwarnings("ignore")


# issue 13's targets against the teacher (meV/atom, meV/A)
TARGETS = {"e_mae_all": 10.0, "e_mae_family": 20.0, "f_mae_all": 60.0, "f_mae_family": 100.0,
           "offset_family": 10.0, "reaction": 20.0}


class OnnxCalculator(Calculator):
    """ASE calculator over an Interphase contract-v1 ONNX file (interphase_export's evaluator):
    energy, forces and, for periodic cells, stress = -virial / volume."""

    implemented_properties = ["energy", "forces", "stress"]

    def __init__(self, path: Path):
        from interphase_export.check import OnnxPotential

        super().__init__()
        self.potential = OnnxPotential(path)

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        got = self.potential.evaluate(self.atoms)
        self.results = {"energy": got.energy, "forces": got.forces}
        if got.virial is not None:
            w = -got.virial / self.atoms.get_volume()
            self.results["stress"] = np.array([w[0, 0], w[1, 1], w[2, 2], w[1, 2], w[0, 2], w[0, 1]])


def load_calculator(model: Path):
    """nequip's own ASE calculator for a checkpoint or a nequip-package archive; the Interphase
    evaluator for an .onnx file; "sevennet" for the labeller itself."""
    if str(model) == "sevennet":
        return C.labeller()
    if model.suffix == ".onnx":
        return OnnxCalculator(model)
    from nequip.integrations.ase import NequIPCalculator

    return NequIPCalculator._from_saved_model(str(model), device="cpu")


# formula units per cell of each reaction crystal, and the reaction's coefficients per formula unit
REACTION = {"argyrodite": (4, -1), "li_bcc": (54, -8), "li2s": (16, 5), "li3p": (8, 1), "licl": (16, 1)}
REACTION_ATOMS = 21  # Li6PS5Cl + 8 Li


def relaxed_energy(atoms: Atoms, calc, fmax: float = 0.005, steps: int = 400) -> float:
    """Energy after FIRE relaxation of positions and cell (FrechetCellFilter)."""
    from ase.filters import FrechetCellFilter
    from ase.optimize import FIRE

    a = atoms.copy()
    a.calc = calc
    if not FIRE(FrechetCellFilter(a), logfile=None).run(fmax=fmax, steps=steps):
        print(f"warning: {a.get_chemical_formula()} not relaxed to {fmax} eV/A in {steps} steps",
              file=sys.stderr)
    return float(a.get_potential_energy())


def reaction_energy(calc) -> dict[str, float]:
    """Per-atom energy of Li6PS5Cl + 8 Li -> 5 Li2S + Li3P + LiCl from crystals relaxed with
    ``calc`` (meV/atom), and each crystal's relaxed energy per formula unit (eV)."""
    cells = {"argyrodite": C.argyrodite(), "li_bcc": C.li_bcc(rep=(3, 3, 3)),
             "li2s": C.li2s(rep=(2, 2, 1)), "li3p": C.li3p(rep=(2, 2, 1)),
             "licl": C.licl(rep=(2, 2, 1))}
    per_fu = {k: relaxed_energy(a, calc) / REACTION[k][0] for k, a in cells.items()}
    de = sum(REACTION[k][1] * e for k, e in per_fu.items()) / REACTION_ATOMS
    return {"reaction": 1000.0 * de, **{f"e_fu_{k}": e for k, e in per_fu.items()}}


def errors_by_family(calc, frames: list[Atoms]) -> dict[str, dict[str, float]]:
    acc: dict[str, dict[str, list[np.ndarray]]] = {}
    for f in frames:
        fam = C.family(f)
        e_ref = f.get_potential_energy()
        f_ref = f.get_forces()
        a = Atoms(f.get_chemical_symbols(), positions=f.get_positions(), cell=f.cell, pbc=f.pbc)
        a.calc = calc
        de = (a.get_potential_energy() - e_ref) / len(a)
        df = (a.get_forces() - f_ref).ravel()
        for key in (fam, "all"):
            d = acc.setdefault(key, {"e": [], "f": []})
            d["e"].append(np.array([de]))
            d["f"].append(df)
    out: dict[str, dict[str, float]] = {}
    for fam, d in acc.items():
        e = np.concatenate(d["e"]) * 1000.0
        fo = np.concatenate(d["f"]) * 1000.0
        out[fam] = {"frames": float(len(e)), "e_mean": float(e.mean()),
                    "e_mae": float(np.abs(e).mean()), "e_rmse": float(np.sqrt((e ** 2).mean())),
                    "f_mae": float(np.abs(fo).mean()), "f_rmse": float(np.sqrt((fo ** 2).mean()))}
    return out


def table(res: dict[str, dict[str, float]]) -> str:
    lines = ["| family | test frames | E MAE (meV/atom) | E RMSE (meV/atom) | E offset (meV/atom) "
             "| F MAE (meV/A) | F RMSE (meV/A) |",
             "|---|---|---|---|---|---|---|"]
    for fam in sorted(res, key=lambda k: (k == "all", k)):
        r = res[fam]
        lines.append(f"| {fam} | {int(r['frames'])} | {r['e_mae']:.1f} | {r['e_rmse']:.1f} | "
                     f"{r['e_mean']:+.1f} | {r['f_mae']:.0f} | {r['f_rmse']:.0f} |")
    return "\n".join(lines)


def missed_targets(res: dict[str, dict[str, float]], reaction: dict[str, float] | None) -> list[str]:
    """The issue-13 targets this result misses, one line each (empty when all hold)."""
    t = TARGETS
    out: list[str] = []
    if res["all"]["e_mae"] > t["e_mae_all"]:
        out.append(f"energy MAE {res['all']['e_mae']:.1f} > {t['e_mae_all']} meV/atom overall")
    if res["all"]["f_mae"] > t["f_mae_all"]:
        out.append(f"force MAE {res['all']['f_mae']:.0f} > {t['f_mae_all']:.0f} meV/A overall")
    for fam, r in sorted(res.items()):
        if fam == "all":
            continue
        if r["e_mae"] > t["e_mae_family"]:
            out.append(f"{fam}: energy MAE {r['e_mae']:.1f} > {t['e_mae_family']} meV/atom")
        if r["f_mae"] > t["f_mae_family"]:
            out.append(f"{fam}: force MAE {r['f_mae']:.0f} > {t['f_mae_family']:.0f} meV/A")
        if abs(r["e_mean"]) > t["offset_family"]:
            out.append(f"{fam}: energy offset {r['e_mean']:+.1f} beyond +-{t['offset_family']} meV/atom")
    if reaction is not None and abs(reaction["d_reaction"]) > t["reaction"]:
        out.append(f"reaction energy off by {reaction['d_reaction']:+.1f} meV/atom (> {t['reaction']})")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("test", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--reaction", action="store_true", help="add the reaction energy (relaxes 5 crystals twice)")
    ap.add_argument("--targets", action="store_true", help="check issue 13's targets; exit 1 if one is missed")
    args = ap.parse_args()
    for p in (args.model, args.test):
        if not p.exists():
            raise SystemExit(f"error: {p} does not exist")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.test.suffix == ".xz":
        frames = C.read_xz(args.test)
    else:
        frames = list(read(args.test, index=":", format="extxyz"))
    calc = load_calculator(args.model)
    res = errors_by_family(calc, frames)
    text = table(res)
    reaction = None
    if args.reaction:
        model_r = reaction_energy(calc)
        with C.labeller_dtype():
            ref_r = reaction_energy(C.labeller())
        reaction = {"model": model_r["reaction"], "teacher": ref_r["reaction"],
                    "d_reaction": model_r["reaction"] - ref_r["reaction"]}
        text += (f"\n\nLi6PS5Cl + 8 Li -> 5 Li2S + Li3P + LiCl (relaxed crystals): model "
                 f"{reaction['model']:.1f} meV/atom, teacher {reaction['teacher']:.1f} meV/atom, "
                 f"difference {reaction['d_reaction']:+.1f} meV/atom")
    missed = missed_targets(res, reaction) if args.targets else []
    if args.targets:
        text += "\n\n" + ("targets: all met" if not missed else
                           "targets missed:\n" + "\n".join(f"- {m}" for m in missed))
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    if missed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
