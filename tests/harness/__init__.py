"""The one LAMMPS test harness of the project (tests/harness/lammps.py).

Every suite under tests/ and the benchmark scripts run the real LAMMPS through it: finding the
binary and the plugin from the environment `source scripts/env.sh` sets, mpirun with the MPI
settings the tests need, timeouts that kill the whole process group, and parsers for what LAMMPS
writes (thermo blocks, the interphase-stats line, dumps, timings). tests/conftest.py turns its
lookups into the session fixtures `lmp` and `plugin`.
"""
