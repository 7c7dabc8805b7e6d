#!/usr/bin/env bash
# Train an Allegro model on the labelled data with nequip's own entry point (nequip-train).
# Usage: train.sh RUN_NAME [hydra overrides ...]
#   e.g. train.sh final ++max_time=00:00:35:00
#        train.sh committee1 ++seed=1 ++max_epochs=15 ++num_scalar_features=16
# Output: runs/RUN_NAME/{data,train}/ (checkpoints, CSV log, test predictions) - git-ignored.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${INTERPHASE_PYTHON:-$HERE/../../.venv/bin/python}"
BIN="$(dirname "$PY")"
NAME="${1:?usage: train.sh RUN_NAME [hydra overrides ...]}"
shift
RUN="$HERE/runs/$NAME"
mkdir -p "$RUN"
cd "$HERE"
if [[ ! -f "$RUN/data/train.extxyz" ]]; then
  "$PY" split.py "$RUN/data" ${DATA_FILES:-}
fi
SHIFTS="$(cat "$RUN/data/energy_shifts.txt")"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
exec "$BIN/nequip-train" -cp "$HERE/config" -cn allegro_lipscl \
  ++data_dir="$RUN/data" "++energy_shifts=$SHIFTS" \
  hydra.run.dir="$RUN/train" "$@"
