#!/usr/bin/env bash
# Runs the whole test suite: Java unit tests (Maven), then the integration tests against
# the real LAMMPS, MPI and ONNX Runtime (pytest), then the exporter tests, all on the default
# LAMMPS (20260704); then the plugin's reference tests on Debian trixie's LAMMPS 20250204.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
echo "== Java tests (mvn verify)"
mvn -B verify -Dinterphase.lmp="$INTERPHASE_LMP" -Dinterphase.plugin="$INTERPHASE_PLUGIN" \
    -Dinterphase.shared="$INTERPHASE_SHARED" -Dinterphase.root="$INTERPHASE_ROOT"
echo "== Integration and exporter tests (pytest)"
"$INTERPHASE_PYTHON" -m pytest -q -rfE tests model-export/tests
echo "== The plugin's reference tests on LAMMPS 20250204 (Debian trixie)"
bash scripts/test-lammps-compat.sh 20250204
