# Source this to get the Interphase environment (after scripts/setup.sh has run):
#   source scripts/env.sh
# It defines the paths every script and test uses; nothing here builds anything.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_jdk
export INTERPHASE_ROOT="$IPH_ROOT"
export INTERPHASE_CACHE="$IPH_CACHE"
# A LAMMPS binary or plugin already set by the user (their own build) wins over the defaults.
export INTERPHASE_LMP="${INTERPHASE_LMP:-$IPH_LMP}"
export INTERPHASE_LAMMPS_SRC="$(cat "$IPH_LAMMPS_PREFIX/source-dir" 2>/dev/null || true)"
export INTERPHASE_PLUGIN="${INTERPHASE_PLUGIN:-$IPH_PLUGIN}"
export INTERPHASE_CLI="$IPH_ROOT/bin/interphase"
export INTERPHASE_PYTHON="$IPH_VENV/bin/python"
export INTERPHASE_SHARED="${INTERPHASE_SHARED:-$(cd "$IPH_ROOT/.." && pwd)/shared}"
# mpirun as root (CI runs as root) and more ranks than cores (4 ranks on 2 cores in tests).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
# With more ranks than cores, idle ranks must yield the CPU instead of spinning.
export OMPI_MCA_mpi_yield_when_idle=1
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
