"""Density-peak reference values from DADApy, for DensityPeaksVsDadapyTest (java-analysis).

DADApy pins numpy < 2 and jax, which conflict with the project's test environment, so run this script in its own
virtual environment:  python -m venv dv && dv/bin/pip install -r requirements-dpc.txt && dv/bin/python make_dpc_fixtures.py

For each case, the points (Gaussian blobs, seeded), then DADApy's k-NN log density (intrinsic dimension set to the
data's), the decision-graph delta and the density-peak clustering (Rodriguez and Laio 2014) at the given cuts are
written to resources/fixtures/dpc/<case>.txt. On the same points, DADApy's advanced density peaks
(compute_density_kNN(k), then compute_clustering_ADP(Z); d'Errico et al. 2021) go to resources/fixtures/dpc/adp_<case>.txt;
the script checks that DADApy's pure-Python ADP gives the same clusters as its Cython one.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from dadapy import Data


def blobs(rng: np.random.Generator, centres: np.ndarray, sizes: list[int], sigma: float) -> np.ndarray:
    return np.vstack([c + sigma * rng.standard_normal((n, centres.shape[1])) for c, n in zip(centres, sizes)])


def write(path: Path, x: np.ndarray, k: int, dens_cut: float, delta_cut: float) -> None:
    d = Data(coordinates=x, maxk=min(x.shape[0] - 1, 100), verbose=False)
    d.compute_distances(maxk=min(x.shape[0] - 1, 100))
    d.set_id(x.shape[1])
    d.compute_density_kNN(k=k)
    d.compute_DecGraph()
    d.compute_clustering_DP(dens_cut=dens_cut, delta_cut=delta_cut)
    import dadapy

    with path.open("w") as f:
        f.write(f"# dadapy {getattr(dadapy, '__version__', '0.3.4')}, numpy {np.__version__}: Data.set_id(D), compute_distances, compute_density_kNN(k), "
                f"compute_DecGraph(), compute_clustering_DP(dens_cut, delta_cut)\n")
        f.write(f"{x.shape[0]} {x.shape[1]} {k} {dens_cut!r} {delta_cut!r}\n")
        for i in range(x.shape[0]):
            f.write(" ".join(f"{v:.17g}" for v in x[i]) + f" {d.log_den[i]:.17g} {d.delta[i]:.17g} {d.cluster_assignment[i]}\n")


def write_adp(path: Path, x: np.ndarray, k: int, z: float) -> int:
    maxk = min(x.shape[0] - 1, 100)
    runs = []
    for pure in (False, True):
        d = Data(coordinates=x, maxk=maxk, verbose=False)
        d.compute_distances(maxk=maxk)
        d.set_id(x.shape[1])
        d.compute_density_kNN(k=k)
        (d.compute_clustering_ADP_pure_python if pure else d.compute_clustering_ADP)(Z=z)
        runs.append(d)
    cy, py = runs
    assert np.array_equal(cy.cluster_assignment, py.cluster_assignment), "DADApy's Cython and pure-Python ADP disagree"
    with path.open("w") as f:
        f.write(f"# dadapy 0.3.4, numpy {np.__version__}: Data(maxk={maxk}).set_id(D), compute_distances, compute_density_kNN(k), "
                f"compute_clustering_ADP(Z); then: N D k Z, the centres, per point x.. log_den cluster\n")
        f.write(f"{x.shape[0]} {x.shape[1]} {k} {z!r}\n")
        f.write(" ".join(str(int(c)) for c in cy.cluster_centers) + "\n")
        for i in range(x.shape[0]):
            f.write(" ".join(f"{v:.17g}" for v in x[i]) + f" {cy.log_den[i]:.17g} {cy.cluster_assignment[i]}\n")
    return int(cy.N_clusters)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "dpc"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1492)
    x2 = blobs(rng, np.array([[0, 0], [4, 0], [2, 3.5]]), [120, 80, 100], 0.6)
    write(out / "blobs2d.txt", x2, 10, -1e300, 1.5)
    c6 = 3.0 * rng.standard_normal((5, 6))
    x6 = blobs(rng, c6, [90, 70, 60, 50, 80], 0.5)
    write(out / "blobs6d.txt", x6, 8, -1e300, 1.5)
    for name, x, k, z in (("adp_blobs2d.txt", x2, 10, 1.65), ("adp_blobs2d_z05.txt", x2, 10, 0.5), ("adp_blobs6d.txt", x6, 8, 1.65)):
        print(name, "clusters:", write_adp(out / name, x, k, z))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
