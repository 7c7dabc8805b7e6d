"""Per-species-pair Morse parameters (tests/models/morse_params.json) as LAMMPS pair_coeff lines
for LAMMPS's own C++ `pair_style morse`: E = D0 [exp(-2 a (r - r0)) - 2 exp(-a (r - r0))], r < rc.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from harness.lammps import REPO, MissingComponent

MODELS_DIR = REPO / "tests" / "models"
PARAMS_JSON = MODELS_DIR / "morse_params.json"


@dataclass(frozen=True)
class MorsePair:
    a: str
    b: str
    d0: float
    alpha: float
    r0: float
    rc: float
    rc_pertype: float  # cutoff of the per-type-cutoff model variant (= rc when not given)


@dataclass(frozen=True)
class MorseParams:
    species: tuple[str, ...]
    pairs: dict[frozenset, MorsePair]
    global_cutoff: float
    shift: bool

    def pair(self, a: str, b: str) -> MorsePair:
        return self.pairs[frozenset((a, b))]

    def lammps_block(self, type_elements: list[str], pertype: bool = False) -> str:
        """pair_style morse + one pair_coeff per type pair (morse has no mixing).
        pertype=True uses the per-pair cutoffs of the per_edge_type_cutoff model variant."""
        lines = [f"pair_style morse {self.global_cutoff:.17g}"]
        n = len(type_elements)
        for i in range(1, n + 1):
            for j in range(i, n + 1):
                p = self.pair(type_elements[i - 1], type_elements[j - 1])
                rc = p.rc_pertype if pertype else p.rc
                lines.append(f"pair_coeff {i} {j} {p.d0:.17g} {p.alpha:.17g} {p.r0:.17g} {rc:.17g}")
        if self.shift:
            lines.append("pair_modify shift yes")
        return "\n".join(lines)


def _get(d: dict, *names: str) -> float:
    for n in names:
        if n in d:
            return float(d[n])
    raise KeyError(f"none of {names} in {sorted(d)}")


def load_params(path: Path = PARAMS_JSON, table: str = "pairs") -> MorseParams:
    """Reads morse_params.json. Accepted layouts: {"species": [...], "pairs": {"Li-P": {...}}}
    or "pairs": [{"pair": ["Li", "P"], ...}] (keys D0/alpha/r0/rc, case-insensitive).
    table="pairs_b" gives the second parameter set (the morse_b_* committee models)."""
    if not path.is_file():
        raise MissingComponent(f"{path} is missing: generate the analytic models with "
                               f"'$INTERPHASE_PYTHON tests/models/make_analytic_models.py'.")
    raw = json.loads(path.read_text())
    species = raw.get("species") or raw.get("elements")
    if isinstance(species, str):
        species = species.split()
    pairs_raw = raw.get(table) if table != "pairs" else (raw.get("pairs") or raw.get("pair_params")
                                                       or raw.get("parameters"))
    entries: list[tuple[str, str, dict]] = []
    if isinstance(pairs_raw, dict):
        for key, val in pairs_raw.items():
            a, b = re.split(r"[-_ ,/]+", key.strip())
            entries.append((a, b, val))
    elif isinstance(pairs_raw, list):
        for val in pairs_raw:
            names = val.get("pair") or val.get("species") or val.get("elements") or [val["a"], val["b"]]
            if isinstance(names, str):
                names = re.split(r"[-_ ,/]+", names.strip())
            entries.append((names[0], names[1], val))
    else:
        raise ValueError(f"{path}: no 'pairs' table")
    pairs: dict[frozenset, MorsePair] = {}
    for a, b, val in entries:
        low = {k.lower(): v for k, v in val.items() if not isinstance(v, (list, dict, str))}
        rc = _get(low, "rc", "r_cut", "cutoff")
        rc_pt = float(low.get("rc_pertype", rc))
        pairs[frozenset((a, b))] = MorsePair(a, b, _get(low, "d0", "d"), _get(low, "alpha", "a"),
                                             _get(low, "r0"), rc, rc_pt)
    cut = max(max(p.rc, p.rc_pertype) for p in pairs.values())
    shift = bool(raw.get("shift", raw.get("energy_shift", False)))
    if species is None:
        species = sorted({p.a for p in pairs.values()} | {p.b for p in pairs.values()})
    return MorseParams(tuple(species), pairs, cut, shift)
