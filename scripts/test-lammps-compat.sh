#!/usr/bin/env bash
# The plugin's reference tests on another LAMMPS than the project's default (scripts/lib.sh),
# by default Debian trixie's 20250204. Builds that LAMMPS and a plugin for it into their own cache
# folders (.cache/lammps-<version>, .cache/interphase-lammps-<version>), then runs the tests that
# compare pair_style onnx with LAMMPS's own pair_style morse and with nequip's calculator, and the
# shim's tests, against it. scripts/test.sh runs it after the whole suite on the default LAMMPS.
#   bash scripts/test-lammps-compat.sh [VERSION]
set -euo pipefail
export INTERPHASE_LAMMPS_VERSION="${1:-20250204}"
unset INTERPHASE_LMP INTERPHASE_PLUGIN INTERPHASE_LAMMPS_SRC
source "$(dirname "$0")/lib.sh"
cd "$IPH_ROOT"
bash scripts/provision-lammps.sh
bash scripts/build-plugin.sh
source scripts/env.sh
say "reference tests on LAMMPS $(lmp_version "$INTERPHASE_LMP") ($INTERPHASE_LMP)"
"$INTERPHASE_PYTHON" -m pytest -q -rfE --basetemp="$IPH_CACHE/pytest-compat-$INTERPHASE_LAMMPS_VERSION" \
  tests/pair/test_morse_reference.py tests/pair/test_equivariant_fixtures.py tests/native_bridge
