package org.interphase.analysis;

import java.nio.file.Path;
import org.interphase.clustering.ClusterModel;
import org.interphase.io.Trajectories;
import org.interphase.io.TypeMap;

/**
 * Everything {@link AnalysisPipeline} needs.
 *
 * @param dump        trajectory file
 * @param format      file format (AUTO detects)
 * @param typeMap     type-to-element map (null for extxyz / dumps with element column)
 * @param group       H5MD particles group (null = the only one)
 * @param origin      boxlo to subtract from H5MD positions (null = 0)
 * @param outDir      output directory
 * @param every       analyse every n-th frame
 * @param cnOn        coordination switching start (A)
 * @param cnCut       coordination cutoff (A)
 * @param qOn         Steinhardt switching start (A); == qCut for the standard hard cutoff
 * @param qCut        Steinhardt cutoff (A)
 * @param method      clustering method
 * @param k           clusters (0 = choose)
 * @param kMin        smallest k tried
 * @param kMax        largest k tried
 * @param criterion   criterion for k
 * @param minClusterSize HDBSCAN min_cluster_size
 * @param sample      max atom-environments used to fit the clustering
 * @param seed        random seed
 * @param threshold   max standardised distance to a reference site
 * @param rattle      reference rattling amplitude (A)
 * @param binWidth    profile bin width (A)
 * @param threads     worker threads
 * @param writeAtoms  write per-atom extxyz and CSV
 * @param plots       write PNG and SVG plots
 * @param progress    show a progress bar (only on a terminal)
 * @param soap        SOAP parameters to add to the descriptors, or null
 * @param latent      ONNX model whose node_latent features to add to the descriptors, or null
 * @param temperature trajectory temperature in K for the harmonic reference rattle, or null for the fixed rattle
 * @param perElement  cluster each centre element separately (k per element) instead of all atoms together
 * @param dpc         density-peak parameters (method DPC)
 */
public record AnalysisConfig(Path dump, Trajectories.Format format, TypeMap typeMap, String group, double[] origin, Path outDir,
        int every, double cnOn, double cnCut, double qOn, double qCut, ClusterModel.Method method, int k, int kMin, int kMax,
        ClusterModel.Criterion criterion, int minClusterSize, int sample, long seed, double threshold, double rattle,
        double binWidth, int threads, boolean writeAtoms, boolean plots, boolean progress,
        org.interphase.descriptors.SoapParameters soap, Path latent, Double temperature, boolean perElement,
        org.interphase.clustering.DensityPeaks.Parameters dpc) {

    /** The configuration without a temperature (fixed reference rattle). */
    public AnalysisConfig(Path dump, Trajectories.Format format, TypeMap typeMap, String group, double[] origin, Path outDir,
            int every, double cnOn, double cnCut, double qOn, double qCut, ClusterModel.Method method, int k, int kMin, int kMax,
            ClusterModel.Criterion criterion, int minClusterSize, int sample, long seed, double threshold, double rattle,
            double binWidth, int threads, boolean writeAtoms, boolean plots, boolean progress,
            org.interphase.descriptors.SoapParameters soap, Path latent) {
        this(dump, format, typeMap, group, origin, outDir, every, cnOn, cnCut, qOn, qCut, method, k, kMin, kMax, criterion, minClusterSize,
                sample, seed, threshold, rattle, binWidth, threads, writeAtoms, plots, progress, soap, latent, null, true,
                new org.interphase.clustering.DensityPeaks.Parameters(10, 0, Double.NEGATIVE_INFINITY, 2.0));
    }
}
