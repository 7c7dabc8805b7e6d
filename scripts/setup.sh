#!/usr/bin/env bash
# One-time (idempotent) setup of everything Interphase needs on a fresh machine:
# system packages, a JDK >= 22 check, the Python environment, LAMMPS (built from Debian's
# source package, cached), the Java modules and the pair_style onnx plugin.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$IPH_ROOT"
bash scripts/install-system-deps.sh
require_jdk
say "using JDK $JAVA_HOME"
command -v mvn >/dev/null || die "Maven (mvn) not found. Install it with 'apt-get install maven'."
bash scripts/setup-python.sh
bash scripts/provision-lammps.sh
say "building the Java modules"
mvn -B -q install -DskipTests > "$IPH_CACHE/mvn-install.log" 2>&1 \
  || { tail -n 30 "$IPH_CACHE/mvn-install.log" >&2; die "the Maven build failed (log: $IPH_CACHE/mvn-install.log)."; }
bash scripts/build-plugin.sh
say "setup complete"
