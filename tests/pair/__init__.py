"""pair_style onnx integration tests (real LAMMPS, real MPI) and their helpers."""
