#!/usr/bin/env bash
# BENCHMARK-ONLY (not run by setup.sh or CI): builds a second LAMMPS from the same source tree
# as scripts/provision-lammps.sh, with the ML-IAP "unified" Python interface, so that
# benchmarks/peer_mliap.py can compare pair_style onnx with nequip's own LAMMPS ML-IAP
# integration (pair_style mliap unified <model>.nequip.lmp.pt 0).
#
#   packages : PYTHON ML-IAP ML-SNAP PLUGIN  (MLIAP_ENABLE_PYTHON=ON; PLUGIN so the very same
#              binary can also load interphaseplugin.so)
#   python   : the project venv ($IPH_VENV/bin/python, so torch and nequip import); needs
#              cython and numpy in that venv (benchmarks/requirements-peer.txt)
#   output   : $INTERPHASE_CACHE/lammps-<version>-mliap/{bin/lmp,lib,python/lammps}
#
# Takes ~6-10 min on 2 idle cores (28 min measured under a load average of ~15); it runs niced
# with -j2. Re-running is a no-op.
# Usage: nohup bash scripts/provision-lammps-mliap.sh > .cache/provision-lammps-mliap.log 2>&1 &
set -euo pipefail
# Pinned to 20250204: benchmarks/peer_mliap_compat.py adapts nequip's ML-IAP wrapper to that version's
# ML-IAP Python API, and benchmarks/peer_mliap.py reads lammps-20250204-mliap. Needs
# INTERPHASE_LAMMPS_VERSION=20250204 bash scripts/provision-lammps.sh first (it fetches the source).
export INTERPHASE_LAMMPS_VERSION="${INTERPHASE_LAMMPS_VERSION:-20250204}"
source "$(dirname "$0")/lib.sh"

prefix="$IPH_LAMMPS_PREFIX-mliap"
exit_if_built "$prefix" "LAMMPS $IPH_LAMMPS_VERSION with ML-IAP/Python"
require_disk "$IPH_CACHE" 2000
require_tools mpicxx cmake ninja
py="$IPH_VENV/bin/python"
[ -x "$py" ] || die "no Python venv at $IPH_VENV. Run scripts/setup-python.sh first."
"$py" -c "import numpy, Cython" 2>/dev/null \
  || die "cython or numpy missing in $IPH_VENV (ML-IAP's Python coupling is generated with cythonize). Run: $py -m pip install -r benchmarks/requirements-peer.txt"
[ -x "$IPH_VENV/bin/cythonize" ] || die "$IPH_VENV/bin/cythonize not found. Run: $py -m pip install cython"
# LAMMPS embeds Python: it must link a shared libpython of the same interpreter the venv uses.
shared=$("$py" -c "import sysconfig; print(sysconfig.get_config_var('Py_ENABLE_SHARED') or 0)")
[ "$shared" = "1" ] || die "the venv's Python was built without --enable-shared, so LAMMPS cannot embed it. Recreate $IPH_VENV from a shared-library Python (e.g. pyenv with PYTHON_CONFIGURE_OPTS=--enable-shared)."

work="$IPH_CACHE/lammps-src-$IPH_LAMMPS_VERSION"
src_tree=$(ls -d "$work"/lammps-*/ 2>/dev/null | head -n1 || true)
src_tree="${src_tree%/}"
[ -n "$src_tree" ] && [ -f "$src_tree/src/ML-IAP/mliap_unified_couple.pyx" ] \
  || die "no LAMMPS source tree under $work. Run scripts/provision-lammps.sh first (it fetches the source)."
say "LAMMPS source: $src_tree"

build="$work/build-mliap"
mkdir -p "$build"
say "configuring (log: $build/cmake.log)"
cmake -S "$src_tree/cmake" -B "$build" -G Ninja "${IPH_LAMMPS_CMAKE_BUILD[@]}" \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_RPATH="$prefix/lib" \
  -DPython_EXECUTABLE="$py" -DPKG_PYTHON=ON \
  -DPKG_ML-IAP=ON -DPKG_ML-SNAP=ON -DMLIAP_ENABLE_PYTHON=ON -DPKG_PLUGIN=ON > "$build/cmake.log" 2>&1 \
  || die "configuring LAMMPS (ML-IAP/Python) failed; see $build/cmake.log."
say "building (6-30 min depending on machine load; log: $build/build.log)"
nice -n 10 cmake --build "$build" -j 2 > "$build/build.log" 2>&1 \
  || die "building LAMMPS (ML-IAP/Python) failed; see the end of $build/build.log."
cmake --install "$build" > "$build/install.log" 2>&1 || die "installing LAMMPS failed; see $build/install.log."
# The embedded interpreter imports 'lammps.mliap' (pure Python): keep a private copy next to the
# build instead of pip-installing it into the shared venv. Put "$prefix/python" on PYTHONPATH.
rm -rf "$prefix/python"
mkdir -p "$prefix/python"
cp -r "$src_tree/python/lammps" "$prefix/python/lammps"
echo "$src_tree" > "$prefix/source-dir"
lmp_has_package "$prefix/bin/lmp" ML-IAP || die "the LAMMPS we built has no ML-IAP package; see $build/cmake.log."
lmp_has_package "$prefix/bin/lmp" PYTHON || die "the LAMMPS we built has no PYTHON package; see $build/cmake.log."
touch "$prefix/.complete"
say "LAMMPS with ML-IAP unified/Python installed in $prefix"
