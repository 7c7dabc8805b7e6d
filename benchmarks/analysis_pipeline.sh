#!/usr/bin/env bash
# Runs the interphase analyze benchmark (see analysis_pipeline.py); results in results/analysis-benchmark.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
exec nice -n 10 "$INTERPHASE_PYTHON" "$ROOT/benchmarks/analysis_pipeline.py" "$@"
