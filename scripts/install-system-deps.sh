#!/usr/bin/env bash
# Installs the Debian packages Interphase builds against (MPI, HDF5, build tools).
# Needs root (or sudo). Idempotent and quick when everything is present.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
pkgs=(openmpi-bin libopenmpi-dev libhdf5-dev hdf5-tools libfftw3-dev zlib1g-dev xz-utils pkg-config
      cmake ninja-build g++ make python3-venv)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && { say "system packages present"; exit 0; }
sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"
[ -z "$sudo_cmd" ] || command -v sudo >/dev/null || die "need root to install ${missing[*]}. Run this script as root or install them with apt-get."
say "installing ${missing[*]}"
$sudo_cmd apt-get update -qq >/dev/null || die "apt-get update failed. Check access to Debian's package mirror."
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null \
  || die "apt-get install ${missing[*]} failed. Install them by hand and re-run."
