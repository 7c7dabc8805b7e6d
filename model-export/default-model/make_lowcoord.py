"""Low-coordination labelled data: dimers, small clusters, fragments of the reacted interface,
surfaces and voids (labels from SevenNet-0).

Usage: python make_lowcoord.py [--holdout] [--out FILE.extxyz.xz]
  (default out: data/next/lowcoord.extxyz.xz; --holdout: data/next/holdout_lowcoord.extxyz.xz,
   other seeds and distances, never trained on)

Why: v2 binds an isolated atom 1.7 (Li) to 8.7 (S) eV more strongly than SevenNet-0 does (its
energy shifts are bulk least-squares references and no frame had an atom without neighbours),
so in long reactive runs atoms leave into voids at almost no cost: the reacted 2048-atom cell
holds free PS/PS2 fragments and ~140 Li with <= 2 neighbours within 3.2 A, and its energy is
110 meV/atom below the teacher's. With the isolated-atom shifts of allegro_lipscl_v3.yaml the
dissociation limit is exact; these frames teach the path to it.

Families (atoms.info["config_type"], all counted as "lowcoord" in evaluate.py):
  dimer     every species pair from 0.8x to 2.2x its bond length, in a 20 A box
  cluster   random connected clusters of 3-10 atoms
  fragment  spheres of 6 A cut from the reacted-interface frames (data/next/round5, round6_*;
            the hold-out cuts data/next/holdout_reacted), in vacuum
  surface   slabs of the crystals (Li, Li2S, Li3P, LiCl, argyrodite, co-doped Li2S) with 10 A of
            vacuum, and bulk cells with a spherical void, rattled
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from ase import Atoms

import common as C
from make_round3 import check_physical, codoped

BOX = 20.0  # vacuum box edge (A): > 2 x SevenNet-0's 5 A cutoff plus the largest fragment
# bond lengths (A) the dimer scans are scaled from: crystal nearest-neighbour distances
# (Li-Li bcc 3.04, Li-S Li2S 2.47, Li-Cl LiCl 2.57, Li-P Li3P ~2.5) and covalent P-S 2.05 (PS4),
# S-S 2.05 (S8), P-P 2.2 (P4), Cl-Cl 2.0, P-Cl 2.04, S-Cl 2.0
BOND = {("Li", "Li"): 3.0, ("Li", "P"): 2.5, ("Li", "S"): 2.45, ("Li", "Cl"): 2.55,
        ("P", "P"): 2.2, ("P", "S"): 2.05, ("P", "Cl"): 2.05, ("S", "S"): 2.05,
        ("S", "Cl"): 2.0, ("Cl", "Cl"): 2.0}


def in_box(symbols: list[str], positions: np.ndarray) -> Atoms:
    """Atoms centred in a periodic BOX^3 cell (no periodic image within the cutoff)."""
    a = Atoms(symbols, positions=positions, cell=[BOX] * 3, pbc=True)
    a.center()
    return a


def dimers(holdout: bool) -> list[Atoms]:
    scales = (0.85, 0.95, 1.05, 1.2, 1.4, 1.7, 2.05) if holdout else \
        (0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.8, 2.2)
    out = []
    for (a, b), r0 in BOND.items():
        for s in scales:
            out.append(C.label(in_box([a, b], np.array([[0, 0, 0], [0, 0, r0 * s]])), "dimer"))
    return out


def random_cluster(n: int, rng: np.random.Generator) -> Atoms:
    """n atoms, each placed 0.9-1.3 bond lengths from a random earlier one, none closer than
    0.85 of its bond length to any other; Li-rich compositions like the interface's."""
    symbols = list(rng.choice(C.SPECIES, size=n, p=[0.55, 0.1, 0.25, 0.1]))
    pos = [np.zeros(3)]
    while len(pos) < n:
        k = len(pos)
        j = int(rng.integers(k))
        r = BOND[tuple(sorted((symbols[j], symbols[k]), key=C.SPECIES.index))] * rng.uniform(0.9, 1.3)
        v = rng.normal(size=3)
        p = pos[j] + r * v / np.linalg.norm(v)
        if all(np.linalg.norm(p - q) > 0.85 * BOND[tuple(sorted((symbols[i], symbols[k]),
                                                                key=C.SPECIES.index))]
               for i, q in enumerate(pos)):
            pos.append(p)
    return in_box(symbols, np.array(pos))


def clusters(holdout: bool, rng: np.random.Generator) -> list[Atoms]:
    return [C.label(random_cluster(int(n), rng), "cluster")
            for n in rng.integers(3, 11, size=20 if holdout else 80)]


def fragments(sources: list[Path], count: int, rng: np.random.Generator,
              radius: float = 6.0) -> list[Atoms]:
    """Spheres cut from reacted frames around a random atom; half of them around an atom with at
    most two neighbours within 3.2 A (the free fragments and surface Li of the voids)."""
    from ase.neighborlist import neighbor_list

    frames = [f for p in sources for f in C.read_xz(p)]
    out = []
    for k in range(count):
        f = frames[int(rng.integers(len(frames)))]
        if k % 2:
            cn = np.bincount(neighbor_list("i", f, 3.2), minlength=len(f))
            centre = int(rng.choice(np.flatnonzero(cn <= 2)))
        else:
            centre = int(rng.integers(len(f)))
        d = f.get_distances(centre, range(len(f)), mic=True, vector=True)
        keep = np.flatnonzero(np.linalg.norm(d, axis=1) < radius)
        out.append(C.label(in_box([f[i].symbol for i in keep], d[keep]), "fragment"))
    return out


def crystals(rng: np.random.Generator) -> dict[str, Atoms]:
    return {"li_bcc": C.li_bcc(rep=(3, 3, 4)), "li2s": C.li2s(rep=(2, 2, 2)),
            "li3p": C.li3p(rep=(2, 2, 2)), "licl": C.licl(rep=(2, 2, 2)),
            "argyrodite": C.argyrodite(), "li2s_codoped": codoped(4, 4, rng)}


def surfaces(holdout: bool, rng: np.random.Generator) -> list[Atoms]:
    out = []
    for name, bulk in crystals(rng).items():
        for k in range(1 if holdout else 3):
            slab = bulk.copy()
            slab.center(vacuum=5.0, axis=2)  # 10 A of vacuum between periodic slab images
            slab.rattle(0.05 + 0.05 * k, seed=int(rng.integers(2 ** 31)))
            out.append(C.label(slab, "surface"))
        void = bulk.copy()
        centre = void.cell.sum(axis=0) / 2 + rng.normal(scale=0.5, size=3)
        d = np.linalg.norm(void.get_distances(0, range(len(void)), mic=True, vector=True)
                           - (centre - void.positions[0]), axis=1)
        del void[[i for i in range(len(void)) if d[i] < 3.5]]
        void.rattle(0.08, seed=int(rng.integers(2 ** 31)))
        out.append(C.label(void, "surface"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--holdout", action="store_true")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    nxt = C.DATA_DIR / "next"
    out = args.out or nxt / ("holdout_lowcoord.extxyz.xz" if args.holdout else "lowcoord.extxyz.xz")
    rng = np.random.default_rng(4243 if args.holdout else 4242)
    sources = [nxt / "holdout_reacted.extxyz.xz"] if args.holdout else \
        [nxt / "round5.extxyz.xz", nxt / "round6_496_800K.extxyz.xz", nxt / "round6_776_600K.extxyz.xz"]
    frames: list[Atoms] = []
    for name, make in [("dimer", lambda: dimers(args.holdout)),
                       ("cluster", lambda: clusters(args.holdout, rng)),
                       ("fragment", lambda: fragments(sources, 10 if args.holdout else 40, rng)),
                       ("surface", lambda: surfaces(args.holdout, rng))]:
        t = time.time()
        part = make()
        check_physical(name, part)
        frames += part
        print(f"{name}: {len(part)} frames, {sum(len(f) for f in part)} atoms, {time.time() - t:.0f} s",
              flush=True)
    C.write_xz(out, frames)
    print(f"wrote {out} ({len(frames)} frames, {out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
