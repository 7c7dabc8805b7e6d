"""Build the initial labelled Li-P-S-Cl dataset (labels from SevenNet-0).

Usage: /work/main/.venv/bin/python make_dataset.py [--out data/initial.extxyz.xz] [--scale 1.0]

Families (atoms.info["config_type"]): li_bcc, argyrodite, li2s, li3p, licl, interface, melt.
Each crystal gets strained (+-3 %) and rattled frames plus Langevin-MD snapshots driven by the
labeller itself (300-800 K); the Li | Li6PS5Cl sandwich is run hot to sample reacted
interface regions, and Li-rich Li-P-S-Cl mixtures are melt-quenched.
"""

from __future__ import annotations

import argparse
import time
import zlib
from pathlib import Path
from typing import Callable

import numpy as np
from ase import Atoms, units
from ase.md.langevin import Langevin
from ase.io import read, write
from ase.md.velocitydistribution import MaxwellBoltzmannDistribution

import common as C


def perturbed(base: Atoms, n: int, rng: np.random.Generator, family: str,
              max_strain: float = 0.03, rattle: float = 0.08) -> list[Atoms]:
    """Randomly strained (isotropic + small shear, |eps| <= max_strain) and rattled copies."""
    out: list[Atoms] = []
    for _ in range(n):
        iso = rng.uniform(-max_strain, max_strain)
        shear = rng.uniform(-0.01, 0.01, (3, 3))
        eps = np.eye(3) * iso + 0.5 * (shear + shear.T)
        a = C.strain(base, eps)
        a.positions += rng.normal(0.0, rng.uniform(0.02, rattle), a.positions.shape)
        out.append(C.label(a, family))
    return out


def md_snapshots(start: Atoms, family: str, temps: list[tuple[float, int]], every: int,
                 skip: int, rng: np.random.Generator, dt_fs: float = 1.5) -> list[Atoms]:
    """Langevin MD with the labeller through ASE; ``temps`` = [(T_K, n_steps), ...] segments.

    Snapshots every ``every`` steps after the first ``skip`` steps (labels are the MD's own).
    """
    atoms = start.copy()
    atoms.calc = C.labeller()
    MaxwellBoltzmannDistribution(atoms, temperature_K=temps[0][0], rng=rng)
    frames: list[Atoms] = []
    step = 0
    for T, nsteps in temps:
        dyn = Langevin(atoms, dt_fs * units.fs, temperature_K=T, friction=0.02,
                       rng=rng)
        for _ in range(nsteps):
            dyn.run(1)
            step += 1
            if step > skip and step % every == 0:
                frames.append(C.snapshot(atoms, family))
    return frames


def build(scale: float, seed: int, cache: Path) -> list[Atoms]:
    """All sections; each section's frames are cached in ``cache`` so an interrupted run resumes."""
    frames: list[Atoms] = []
    cache.mkdir(parents=True, exist_ok=True)

    def n(k: int) -> int:
        return max(1, int(round(k * scale)))

    def run(name: str, fn: Callable[[np.random.Generator], list[Atoms]]) -> None:
        t0 = time.time()
        path = cache / (name.replace(" ", "_").replace(">", "") + ".extxyz")
        if path.exists():
            got = list(read(path, index=":", format="extxyz"))
        else:
            got = fn(np.random.default_rng([seed, zlib.crc32(name.encode())]))
            write(path, got, format="extxyz")
        frames.extend(got)
        print(f"{name:40s} {len(got):4d} frames  {time.time() - t0:6.1f} s  (total {len(frames)})",
              flush=True)

    crystals: dict[str, Atoms] = {
        "li_bcc": C.li_bcc(rep=(3, 3, 3)),        # 54 atoms
        "argyrodite": C.argyrodite(),              # 52 atoms
        "li2s": C.li2s(rep=(2, 2, 1)),             # 48 atoms
        "li3p": C.li3p(rep=(2, 2, 1)),             # 32 atoms
        "licl": C.licl(rep=(2, 2, 1)),             # 32 atoms
    }
    for fam, base in crystals.items():
        run(f"{fam} ideal", lambda rng: [C.label(base, fam)])
        run(f"{fam} strained+rattled",
            lambda rng: perturbed(base, n(26 if fam == "argyrodite" else 20), rng, fam, rattle=0.12))
        # MD snapshots at 300 and 800 K (Li metal melts at 454 K; 800 K samples liquid Li)
        for T in (300.0, 800.0):
            run(f"{fam} MD {T:.0f} K",
                lambda rng: md_snapshots(base, fam, [(T, n(30))], every=5, skip=5, rng=rng,
                                         dt_fs=2.0))

    # Li | Li6PS5Cl | Li sandwich (124 atoms): rattled and hot MD (reacted interface)
    iface = C.interface()
    run("interface rattled", lambda rng: perturbed(iface, n(10), rng, "interface", max_strain=0.01))
    run("interface MD 900 K", lambda rng: md_snapshots(iface, "interface", [(900.0, n(50))],
                                                       every=5, skip=10, rng=rng, dt_fs=2.0))

    # melt-quench of Li-rich Li-P-S-Cl mixtures (interphase-like compositions)
    comps = [
        {"Li": 34, "S": 12, "P": 3, "Cl": 3},    # Li2S-rich, P/Cl doped
        {"Li": 36, "S": 6, "P": 6, "Cl": 4},     # Li3P-rich
        {"Li": 30, "S": 10, "P": 2, "Cl": 8},    # LiCl-rich
    ]
    for comp in comps:
        tag = "".join(f"{k}{v}" for k, v in comp.items())
        run(f"melt-quench {tag}", lambda rng: md_snapshots(
            C.random_mixture(comp, density=0.050, rng=rng), "melt",
            [(1500.0, n(25)), (800.0, n(25)), (500.0, n(20))],
            every=5, skip=15, rng=rng, dt_fs=1.5))
    return frames


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=C.DATA_DIR / "initial.extxyz.xz")
    ap.add_argument("--scale", type=float, default=1.0, help="scale frame/step counts (cost)")
    ap.add_argument("--seed", type=int, default=20241121)
    args = ap.parse_args()
    t0 = time.time()
    frames = build(args.scale, args.seed, C.RUNS_DIR / "dataset_cache")
    C.write_xz(args.out, frames)
    fams: dict[str, int] = {}
    for f in frames:
        fams[f.info["config_type"]] = fams.get(f.info["config_type"], 0) + 1
    print(f"wrote {len(frames)} frames to {args.out} in {time.time() - t0:.0f} s: {fams}")


if __name__ == "__main__":
    main()
