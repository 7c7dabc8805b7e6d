"""Density-peak reference values from DADApy, for DensityPeaksVsDadapyTest (java-analysis).

DADApy pins numpy < 2 and jax, which conflict with the project's test environment, so run this script in its own
virtual environment:  python -m venv dv && dv/bin/pip install -r requirements-dpc.txt && dv/bin/python make_dpc_fixtures.py

For each case, the points (Gaussian blobs, seeded), then DADApy's k-NN log density (intrinsic dimension set to the
data's), the decision-graph delta and the density-peak clustering (Rodriguez and Laio 2014) at the given cuts are
written to resources/fixtures/dpc/<case>.txt.
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


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "dpc"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1492)
    write(out / "blobs2d.txt", blobs(rng, np.array([[0, 0], [4, 0], [2, 3.5]]), [120, 80, 100], 0.6), 10, -1e300, 1.5)
    c6 = 3.0 * rng.standard_normal((5, 6))
    write(out / "blobs6d.txt", blobs(rng, c6, [90, 70, 60, 50, 80], 0.5), 8, -1e300, 1.5)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
