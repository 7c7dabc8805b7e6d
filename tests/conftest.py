"""Fixtures shared by every suite in tests/: the LAMMPS binary and the installed plugin, from
the one LAMMPS harness (tests/harness), which reads INTERPHASE_LMP and INTERPHASE_PLUGIN as
`source scripts/env.sh` sets them."""
from harness.fixtures import lmp, plugin  # noqa: F401  (pytest registers the imported fixtures)
