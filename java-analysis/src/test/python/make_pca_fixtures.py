"""PCA reference values from numpy's LAPACK SVD, for PcaVsNumpyTest (java-analysis).

Writes resources/fixtures/pca/<case>.txt: the sample matrix, then numpy's explained variances
(s**2/(n-1)) and right singular vectors of the centred sample. Cases:
  wide:  40 x 120 (fewer samples than features), rank 12, 7 constant columns
  tall:  150 x 60, full rank, 3 constant columns, one duplicated column
Run: python make_pca_fixtures.py [OUTDIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np


def case(rng: np.random.Generator, n: int, d: int, rank: int, const: int, dup: bool) -> np.ndarray:
    u, _ = np.linalg.qr(rng.standard_normal((n, rank)))
    v, _ = np.linalg.qr(rng.standard_normal((d, rank)))
    s = 10.0 * 0.8 ** np.arange(rank)
    x = (u * s) @ v.T * np.sqrt(n - 1) + rng.standard_normal(d) * 3.0
    x[:, :const] = rng.standard_normal(const)  # constant columns
    if dup:
        x[:, -1] = x[:, -2]
    return x


def write(path: Path, x: np.ndarray, k: int) -> None:
    xc = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(xc, full_matrices=False)
    var = s**2 / (x.shape[0] - 1)
    with path.open("w") as f:
        f.write(f"# numpy {np.__version__}: sample {x.shape[0]} x {x.shape[1]}, then k={k} variances and components\n")
        f.write(f"{x.shape[0]} {x.shape[1]} {k}\n")
        for row in x:
            f.write(" ".join(f"{v:.17g}" for v in row) + "\n")
        f.write(" ".join(f"{v:.17g}" for v in var[:k]) + "\n")
        for row in vt[:k]:
            f.write(" ".join(f"{v:.17g}" for v in row) + "\n")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "pca"
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2014)
    write(out / "wide.txt", case(rng, 40, 120, 12, 7, False), 8)
    write(out / "tall.txt", case(rng, 150, 60, 57, 3, True), 8)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
