#!/usr/bin/env bash
# Regenerate the default Li-P-S-Cl model from scratch (about 1-1.5 h on 2 busy cores).
#   1. make_dataset.py      -> data/initial.extxyz.xz     (SevenNet-0 labels)
#   2. active_learning.py   -> data/al_round1.extxyz.xz   (+ .json summary; the committed round 1 was
#                              made by the earlier ASE-only version of the script)
#   3. train.sh final       -> runs/final/train/best.ckpt (nequip-train, config/allegro_lipscl.yaml)
#   4. package_and_export.sh final -> models/li-p-s-cl-allegro.{f64,f32}.onnx + test errors
# Needs: .venv with nequip 0.19.1, nequip-allegro 0.8.3, interphase-export (model-export/),
#        and requirements.txt (sevenn) for the labeller.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${INTERPHASE_PYTHON:-$HERE/../../.venv/bin/python}"
cd "$HERE"
[[ -f data/initial.extxyz.xz ]] || nice -n 10 "$PY" make_dataset.py
# active learning needs LAMMPS and the plugin (scripts/setup.sh) and their environment
source "$HERE/../../scripts/env.sh"
[[ -f data/al_round1.extxyz.xz ]] || nice -n 10 "$PY" active_learning.py --round 1 --members 4 \
    --epochs 16 --max 48
nice -n 10 ./train.sh final ++max_time=00:00:21:00 ++batch_size=2 ++lr=0.005
nice -n 10 ./package_and_export.sh final
