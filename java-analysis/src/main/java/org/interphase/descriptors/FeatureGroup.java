package org.interphase.descriptors;

/**
 * The block a descriptor's features belong to, which decides how they are weighted and clustered
 * ({@link FeatureWeights}, {@code AnalysisPipeline}).
 */
public enum FeatureGroup {
    /** Few, cheap, interpretable features (species one-hot, coordination numbers, Steinhardt q_l): weight 1. */
    CHEAP,
    /** The SOAP power spectrum: many features, weighted against the cheap block. */
    SOAP,
    /** The potential's learned per-atom latent features: many features, weighted against the cheap block. */
    LATENT,
    /** The species-agnostic shell geometry of the phase labeller; never clustered or weighted. */
    GEOMETRY
}
