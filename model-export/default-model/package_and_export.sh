#!/usr/bin/env bash
# Package the final checkpoint the nequip way and export the ONNX files of contract C7.
# Usage: package_and_export.sh [RUN_NAME=final] [OUT_STEM=models/li-p-s-cl-allegro]
#   (a candidate goes to e.g. OUT_STEM=runs/v2_S/li-p-s-cl-allegro, leaving the shipped files alone)
#   runs/RUN_NAME/train/best.ckpt -> best_refit.ckpt (refit_shifts.py: energy shifts re-fit on
#   the training frames; kept as trained for energy_shifts_from: isolated)
#   -> runs/RUN_NAME/li-p-s-cl-allegro.nequip.zip (nequip-package)
#   -> OUT_STEM.f64.onnx and .f32.onnx (interphase-export, which checks the
#      ONNX graph against nequip's own calculator before writing)
#   -> runs/RUN_NAME/test_errors.md (per-family test errors of the packaged model)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${INTERPHASE_PYTHON:-$ROOT/.venv/bin/python}"
BIN="$(dirname "$PY")"
NAME="${1:-final}"
STEM="${2:-$ROOT/models/li-p-s-cl-allegro}"
RUN="$HERE/runs/$NAME"
CKPT="$RUN/train/best.ckpt"
[[ -f "$CKPT" ]] || { echo "error: $CKPT not found: train first with train.sh $NAME" >&2; exit 1; }
PKG="$RUN/li-p-s-cl-allegro.nequip.zip"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
# re-fit the (non-trainable) per-type energy shifts on the training frames (refit_shifts.py),
# unless the run's config fixes them to the isolated-atom energies (energy_shifts_from: isolated)
if grep -q "^energy_shifts_from: isolated" "$RUN/train/.hydra/config.yaml"; then
  cp "$CKPT" "$RUN/train/best_refit.ckpt"
else
  (cd "$HERE" && "$PY" refit_shifts.py "$CKPT" "$RUN/data/train.extxyz" "$RUN/train/best_refit.ckpt")
fi
"$BIN/nequip-package" build "$RUN/train/best_refit.ckpt" "$PKG"
mkdir -p "$(dirname "$STEM")"
ARG_DATA="${INTERPHASE_SHARED:-$ROOT/../shared}/data/Li6PS5Cl_conventional.data"
for dt in float64 float32; do
  "$BIN/interphase-export" "$PKG" -o "$STEM.${dt/float/f}.onnx" \
      --dtype "$dt" --check-structures "$ARG_DATA"
done
cd "$HERE"
"$PY" evaluate.py "$PKG" "$RUN/data/test.extxyz" --out "$RUN/test_errors.md"
for f in f64 f32; do "$PY" speed_check.py "$STEM.$f.onnx"; done
