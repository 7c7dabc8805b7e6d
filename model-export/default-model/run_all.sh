#!/usr/bin/env bash
# Regenerate the default Li-P-S-Cl model (v2) from scratch: about 1 h of labelling and 5 h of
# training on 2 cores. Each step is skipped when its output exists.
#   1. make_dataset.py                 -> data/initial.extxyz.xz   (SevenNet-0 labels)
#   2. active_learning.py --round 1, 2 -> data/al_round{1,2}.extxyz.xz (+ .json summaries; the
#                                         committed round 1 was made by an earlier ASE-only version)
#   3. make_round3.py --set round3, round4, holdout -> data/{round3,round4,holdout}.extxyz.xz
#   4. train.sh v2_S                   -> runs/v2_S/train/best.ckpt (config/allegro_lipscl_v2.yaml)
#   5. package_and_export.sh v2_S      -> models/li-p-s-cl-allegro.{f64,f32}.onnx + test errors
#   6. evaluate.py on the hold-out set -> runs/v2_S/holdout.md (the table in models/README.md)
# The shipped v2 was trained in several sessions with one warm restart (models/README.md,
# "Training"); one uninterrupted run of the same length reaches comparable errors, not the same bits.
# Needs: .venv with nequip 0.19.1, nequip-allegro 0.8.3, interphase-export (model-export/),
#        and requirements.txt (sevenn) for the labeller.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${INTERPHASE_PYTHON:-$HERE/../../.venv/bin/python}"
cd "$HERE"
export HF_HUB_OFFLINE=1
[[ -f data/initial.extxyz.xz ]] || nice -n 10 "$PY" make_dataset.py
# active learning needs LAMMPS and the plugin (scripts/setup.sh) and their environment
source "$HERE/../../scripts/env.sh"
[[ -f data/al_round1.extxyz.xz ]] || nice -n 10 "$PY" active_learning.py --round 1 --members 4 \
    --epochs 16 --max 48
[[ -f data/al_round2.extxyz.xz ]] || nice -n 10 "$PY" active_learning.py --round 2 --epochs 16 --max 32
for set in round3 round4 holdout; do
  [[ -f data/$set.extxyz.xz ]] || nice -n 10 "$PY" make_round3.py --set "$set"
done
CONFIG=allegro_lipscl_v2 nice -n 10 ./train.sh v2_S ++max_time=00:05:00:00
nice -n 10 ./package_and_export.sh v2_S
nice -n 10 "$PY" evaluate.py "$HERE/../../models/li-p-s-cl-allegro.f32.onnx" data/holdout.extxyz.xz \
    --reaction --out runs/v2_S/holdout.md
