#!/usr/bin/env bash
# Train an Allegro model on the labelled data with nequip's own entry point (nequip-train).
# Usage: [CONFIG=allegro_lipscl_v2] [SPLIT_ARGS="--bootstrap SEED"] [DATA_FILES="a.extxyz.xz ..."]
#        [FROM_CKPT=checkpoints/v2_S.last.ckpt] train.sh RUN_NAME [hydra overrides ...]
#   e.g. train.sh final ++max_time=00:00:35:00
#        train.sh committee1 ++seed=1 ++max_epochs=15 ++num_scalar_features=16
#        CONFIG=allegro_lipscl_v2 train.sh v2_S ++max_time=00:01:10:00
# A run whose runs/RUN_NAME/train/last.ckpt exists is resumed from it (optimizer, scheduler,
# epoch counter and the elapsed training time: ++max_time counts every session, so raise it on
# each resume; the checkpoint's model and training settings are used), so a training
# can span sessions: copy last.ckpt into checkpoints/ to keep it (see README.md).
# FROM_CKPT fine-tunes: the model (architecture, weights, energy shifts) is nequip's
# ModelFromCheckpoint of that file, while the optimizer, learning-rate schedule and epoch count
# start afresh from CONFIG (a resumed run keeps its own optimizer state instead).
# DATA_FILES replaces split.py's default list of data files (every data/*.extxyz.xz but the hold-out).
# Output: runs/RUN_NAME/{data,train}/ (checkpoints, CSV log, test predictions) - git-ignored.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${INTERPHASE_PYTHON:-$HERE/../../.venv/bin/python}"
BIN="$(dirname "$PY")"
NAME="${1:?usage: train.sh RUN_NAME [hydra overrides ...]}"
[[ -z "${FROM_CKPT:-}" || -f "$FROM_CKPT" ]] || { echo "error: FROM_CKPT=$FROM_CKPT not found: give a nequip checkpoint (.ckpt)" >&2; exit 1; }
shift
RUN="$HERE/runs/$NAME"
mkdir -p "$RUN"
cd "$HERE"
if [[ ! -f "$RUN/data/train.extxyz" ]]; then
  "$PY" split.py ${SPLIT_ARGS:-} "$RUN/data" ${DATA_FILES:-}
fi
CONFIG="${CONFIG:-allegro_lipscl}"
# a config with nequip's ZBL term gets the shifts fitted to the energies minus that term (split.py)
# and a config with "energy_shifts_from: isolated" the labeller's isolated-atom energies
SHIFTS_FILE=energy_shifts.txt
if grep -q "nequip.nn.pair_potential.ZBL" "$HERE/config/$CONFIG.yaml"; then SHIFTS_FILE=energy_shifts_zbl.txt; fi
if grep -q "^energy_shifts_from: isolated" "$HERE/config/$CONFIG.yaml"; then SHIFTS_FILE=energy_shifts_isolated.txt; fi
SHIFTS="$(cat "$RUN/data/$SHIFTS_FILE")"
RESUME=()
if [[ -f "$RUN/train/last.ckpt" ]]; then
  # Lightning overwrites last.ckpt while training: resume from a copy
  cp "$RUN/train/last.ckpt" "$RUN/resume.ckpt"
  RESUME=("++ckpt_path=$RUN/resume.ckpt")
  echo "resuming $NAME from runs/$NAME/train/last.ckpt"
fi
MODEL=()
if [[ -n "${FROM_CKPT:-}" ]]; then
  MODEL=('~training_module.model' '+training_module.model._target_=nequip.model.ModelFromCheckpoint'
         "+training_module.model.checkpoint_path=$(realpath "$FROM_CKPT")")
fi
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
exec "$BIN/nequip-train" -cp "$HERE/config" -cn "$CONFIG" \
  ++data_dir="$RUN/data" "++energy_shifts=$SHIFTS" \
  hydra.run.dir="$RUN/train" "${MODEL[@]}" "${RESUME[@]}" "$@"
