#!/usr/bin/env bash
# Committee members of the shipped default model, for the model deviation of long runs (issue 13).
# Usage: make_committee.sh K [EPOCHS=25]
#   Member K continues the shipped model's training state (checkpoints/v2_S.last.ckpt, epoch 410)
#   for EPOCHS more epochs on a bootstrap replicate of the training split (split.py --bootstrap K),
#   then is packaged and exported as models/committee/li-p-s-cl-allegro.mK.f32.onnx (checked
#   against nequip's calculator by interphase-export) and scored on the hold-out set
#   (runs/memberK/holdout.md). Model 0 of the committee is the shipped model itself, so the
#   deviation measures the spread around the weights that drive the dynamics.
# Why fine-tuned replicates and not independent trainings: one training of this model costs about
# 5 CPU-hours here; a replicate costs EPOCHS/410 of that. docs/long-runs.md shows how the deviation
# of this committee relates to the model's true error against SevenNet-0 on the hold-out frames.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${INTERPHASE_PYTHON:-$ROOT/.venv/bin/python}"
BIN="$(dirname "$PY")"
K="${1:?usage: make_committee.sh K [EPOCHS]}"
EPOCHS="${2:-25}"
[[ "$K" =~ ^[1-9][0-9]*$ ]] || { echo "error: K must be a positive integer (the member and its bootstrap seed)" >&2; exit 1; }
BASE="$HERE/checkpoints/v2_S.last.ckpt"
BASE_EPOCH=410
NAME="member$K"
RUN="$HERE/runs/$NAME"
OUT="$ROOT/models/committee/li-p-s-cl-allegro.m$K.f32.onnx"
if [[ ! -f "$RUN/train/last.ckpt" ]]; then
  mkdir -p "$RUN/train"
  cp "$BASE" "$RUN/train/last.ckpt"
fi
SPLIT_ARGS="--bootstrap $K" CONFIG=allegro_lipscl_v2 "$HERE/train.sh" "$NAME" \
  ++max_epochs=$((BASE_EPOCH + EPOCHS)) ++max_time=00:23:00:00
CKPT="$RUN/train/last.ckpt"
PKG="$RUN/li-p-s-cl-allegro.m$K.nequip.zip"
(cd "$HERE" && "$PY" refit_shifts.py "$CKPT" "$RUN/data/train.extxyz" "$RUN/train/last_refit.ckpt")
"$BIN/nequip-package" build "$RUN/train/last_refit.ckpt" "$PKG"
mkdir -p "$(dirname "$OUT")"
"$BIN/interphase-export" "$PKG" -o "$OUT" --dtype float32 \
  --check-structures "${INTERPHASE_SHARED:-$ROOT/../shared}/data/Li6PS5Cl_conventional.data"
cd "$HERE"
"$PY" evaluate.py "$OUT" data/holdout.extxyz.xz --out "$RUN/holdout.md"
