#!/usr/bin/env python3
"""Independent reference fixtures for the Java descriptors and clustering (interphase-analysis tests).

Builds thermally rattled crystals with ASE (bcc Li, rock-salt LiCl, antifluorite Li2S, from the lattice
constants in shared/data/README.md), computes the same per-atom descriptors as the Java code with ASE's
neighbour list, numpy and scipy's spherical harmonics:
  is_Li is_P is_S is_Cl            one-hot of the centre element
  cn_Li cn_P cn_S cn_Cl            sum_j f(r_ij) over neighbours of that element,
                                   f = 1 (r <= 3.2), (1 + cos(pi (r - 3.2)/0.5))/2 (3.2 < r < 3.7), 0 beyond
  q4 q6                            Steinhardt (1983) q_l over all neighbours, each weighted by the same f(r):
                                   q_lm = sum_j f(r_ij) Y_lm / sum_j f(r_ij)
standardises them (population std, as sklearn's StandardScaler) and clusters them with scikit-learn:
KMeans (k-means++), GaussianMixture (full covariance) and HDBSCAN (min_cluster_size=25).

Writes to java-analysis/src/test/resources/fixtures/clustering/:
  structures.extxyz   the rattled structures (input of the Java descriptor test)
  features.csv        the descriptors computed here (reference for the Java descriptors; input of clustering)
  labels.csv          kmeans, gmm, hdbscan labels from scikit-learn, and the true crystal of each atom
  README.md           versions and parameters

Run:  .venv/bin/python java-analysis/src/test/python/make_cluster_fixtures.py
"""
from __future__ import annotations

import argparse
from pathlib import Path

import ase
import numpy as np
import scipy
import sklearn
from ase.build import bulk
from ase.io import write
from ase.neighborlist import neighbor_list
from scipy.special import sph_harm_y
from sklearn.cluster import HDBSCAN, KMeans
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

ELEMENTS = ["Li", "P", "S", "Cl"]
R_ON, R_CUT = 3.2, 3.7
K = 5
MIN_CLUSTER_SIZE = 25


def structures(seed: int) -> list[tuple[str, ase.Atoms]]:
    rng = np.random.default_rng(seed)
    out = []
    specs = [
        ("Li", bulk("Li", "bcc", a=3.51, cubic=True).repeat((4, 4, 4)), 0.18),
        ("LiCl", bulk("LiCl", "rocksalt", a=5.13, cubic=True).repeat((2, 2, 2)), 0.20),
        ("Li2S", bulk("SLi2", "fluorite", a=5.71, cubic=True).repeat((2, 2, 2)), 0.20),
    ]
    for name, atoms, sigma in specs:
        atoms = atoms.copy()
        atoms.positions += rng.normal(0.0, sigma, atoms.positions.shape)
        atoms.wrap()
        out.append((name, atoms))
    return out


def switching(r: np.ndarray) -> np.ndarray:
    f = 0.5 * (1.0 + np.cos(np.pi * (r - R_ON) / (R_CUT - R_ON)))
    return np.where(r <= R_ON, 1.0, np.where(r >= R_CUT, 0.0, f))


def descriptors(atoms: ase.Atoms) -> np.ndarray:
    sym = np.array(atoms.get_chemical_symbols())
    n = len(atoms)
    feat = np.zeros((n, 10))
    for k, e in enumerate(ELEMENTS):
        feat[:, k] = sym == e
    i, j, d, dv = neighbor_list("ijdD", atoms, R_CUT)
    w = switching(d)
    for k, e in enumerate(ELEMENTS):
        m = sym[j] == e
        np.add.at(feat[:, 4 + k], i[m], w[m])
    ii, vv, dd, ww = i, dv, d, w
    theta = np.arccos(np.clip(vv[:, 2] / dd, -1, 1))
    phi = np.arctan2(vv[:, 1], vv[:, 0])
    count = np.bincount(ii, weights=ww, minlength=n)
    for col, l in ((8, 4), (9, 6)):
        total = np.zeros(n)
        for m in range(-l, l + 1):
            y = ww * sph_harm_y(l, m, theta, phi)
            qlm = np.zeros(n, dtype=complex)
            np.add.at(qlm, ii, y)
            qlm = np.divide(qlm, count, out=np.zeros_like(qlm), where=count > 0)
            total += np.abs(qlm) ** 2
        feat[:, col] = np.sqrt(4 * np.pi / (2 * l + 1) * total)
    return feat


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "resources/fixtures/clustering")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    structs = structures(args.seed)
    write(args.out / "structures.extxyz", [a for _, a in structs], format="extxyz")
    feats, truth = [], []
    for name, atoms in structs:
        feats.append(descriptors(atoms))
        truth += [name] * len(atoms)
    x = np.vstack(feats)
    z = StandardScaler().fit_transform(x)
    km = KMeans(n_clusters=K, n_init=10, random_state=0).fit_predict(z)
    gm = GaussianMixture(n_components=K, covariance_type="full", random_state=0).fit(z).predict(z)
    hd = HDBSCAN(min_cluster_size=MIN_CLUSTER_SIZE, copy=True).fit_predict(z)
    names = [f"is_{e}" for e in ELEMENTS] + [f"cn_{e}" for e in ELEMENTS] + ["q4", "q6"]
    np.savetxt(args.out / "features.csv", x, delimiter=",", header=",".join(names), comments="", fmt="%.17g")
    with open(args.out / "labels.csv", "w") as fh:
        fh.write("truth,kmeans,gmm,hdbscan\n")
        for t, a, b, c in zip(truth, km, gm, hd):
            fh.write(f"{t},{a},{b},{c}\n")
    (args.out / "README.md").write_text(
        "# Clustering and descriptor fixtures\n\n"
        "Made by `java-analysis/src/test/python/make_cluster_fixtures.py` "
        f"(numpy {np.__version__}, scipy {scipy.__version__}, ase {ase.__version__}, scikit-learn {sklearn.__version__}).\n"
        f"Structures: rattled bcc Li, LiCl, Li2S supercells (seed {args.seed}); descriptors r_on={R_ON}, r_cut={R_CUT}, "
        f"Steinhardt weighted with the same switching; k={K} for KMeans and GaussianMixture, HDBSCAN min_cluster_size={MIN_CLUSTER_SIZE}.\n"
    )
    print(f"{len(truth)} atoms; kmeans {len(set(km))} / gmm {len(set(gm))} / hdbscan {len(set(hd) - {-1})} clusters "
          f"({int((hd == -1).sum())} noise)")


if __name__ == "__main__":
    main()
