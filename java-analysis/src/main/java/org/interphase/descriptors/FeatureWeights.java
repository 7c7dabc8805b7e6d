package org.interphase.descriptors;

import java.util.Arrays;

/**
 * Per-feature weights applied after standardisation, from the features' declared groups: the cheap features keep
 * weight 1, and all the other clustered features (SOAP and latent together, as one block) get
 * sqrt(cheap / others), so that the non-cheap block's total standardised variance equals the cheap block's.
 */
public final class FeatureWeights {
    private FeatureWeights() {
    }

    /** The weights of the computer's features, or null (all 1) when every feature is cheap. */
    public static double[] of(FeatureComputer fc) {
        int d = fc.dimension();
        int cheap = fc.count(FeatureGroup.CHEAP);
        if (d == cheap) return null;
        double[] w = new double[d];
        Arrays.fill(w, 1.0);
        double other = Math.sqrt((double) cheap / (d - cheap));
        for (int k = 0; k < d; k++) if (fc.group(k) != FeatureGroup.CHEAP) w[k] = other;
        return w;
    }
}
