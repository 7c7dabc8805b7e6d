package org.interphase.analysis;

import java.nio.file.Path;
import org.interphase.clustering.ClusteringOptions;
import org.interphase.descriptors.DescriptorOptions;
import org.interphase.io.Trajectories;
import org.interphase.io.TypeMap;

/**
 * Everything {@link AnalysisPipeline} needs, in groups: what to read, the descriptors, the clustering, the phase
 * labels and the outputs.
 *
 * @param input       the trajectory and how to read it
 * @param descriptors descriptor options
 * @param clustering  clustering options
 * @param labelling   phase-label options
 * @param output      what to write where
 * @param seed        random seed (sampling, clustering, reference rattling)
 * @param threads     worker threads
 */
public record AnalysisConfig(Input input, DescriptorOptions descriptors, ClusteringOptions clustering, Labelling labelling,
        Output output, long seed, int threads) {

    /**
     * The trajectory.
     *
     * @param dump    trajectory file
     * @param format  file format (AUTO detects)
     * @param typeMap type-to-element map (null for extxyz / dumps with element column)
     * @param group   H5MD particles group (null = the only one)
     * @param origin  boxlo to subtract from H5MD positions (null = 0)
     * @param every   analyse every n-th frame
     */
    public record Input(Path dump, Trajectories.Format format, TypeMap typeMap, String group, double[] origin, int every) {
    }

    /**
     * Phase labels of the clusters.
     *
     * @param threshold   max standardised distance to a reference site
     * @param rattle      reference rattling amplitude (A)
     * @param temperature trajectory temperature in K for the harmonic reference rattle, or null for the fixed rattle
     * @param md          references by MD with the trajectory's model instead of rattling, or null
     */
    public record Labelling(double threshold, double rattle, Double temperature, ReferenceMd md) {
        /** Harmonic or fixed rattling (no MD). */
        public Labelling(double threshold, double rattle, Double temperature) {
            this(threshold, rattle, temperature, null);
        }
    }

    /**
     * Reference environments from MD of each reference crystal with the trajectory's model.
     *
     * @param model    the ONNX model
     * @param lammps   LAMMPS and the pair_style onnx plugin
     * @param cache    cache directory of finished runs
     * @param protocol MD lengths
     */
    public record ReferenceMd(Path model, org.interphase.lammps.LammpsInstallation lammps, Path cache,
            org.interphase.phases.MdReferences.Protocol protocol) {
    }

    /**
     * Outputs.
     *
     * @param outDir     output directory
     * @param binWidth   profile bin width (A)
     * @param writeAtoms write per-atom extxyz and CSV
     * @param plots      write PNG and SVG plots
     * @param progress   show a progress bar (only on a terminal)
     */
    public record Output(Path outDir, double binWidth, boolean writeAtoms, boolean plots, boolean progress) {
    }
}
