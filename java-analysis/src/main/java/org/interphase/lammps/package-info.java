/**
 * Running LAMMPS from the analysis tools: where the {@code lmp} binary and the {@code pair_style onnx} plugin are
 * ({@link org.interphase.lammps.LammpsInstallation}) and one serial run of an input deck with clear errors
 * ({@link org.interphase.lammps.LammpsRun}).
 */
package org.interphase.lammps;
