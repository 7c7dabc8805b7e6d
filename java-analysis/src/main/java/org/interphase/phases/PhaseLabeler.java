package org.interphase.phases;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.interphase.clustering.Standardizer;
import org.interphase.descriptors.FeatureComputer;
import org.interphase.io.Frame;

/**
 * Names clusters after reference crystal sites. The descriptors of thermally rattled supercells of every
 * reference crystal (a range of amplitudes from the perfect crystal to the largest, so that cold and hot
 * trajectories are both near the site centroids) are computed with the same {@link FeatureComputer} as the trajectory; a standardiser is fitted
 * on all reference environments pooled (so the space, and the threshold, do not depend on the trajectory); each
 * (phase, site) gets the centroid of its standardised features. A cluster is named after the phase of the site
 * centroid nearest (Euclidean) to the cluster's standardised centroid, or {@value #UNASSIGNED} when that distance
 * exceeds the threshold.
 */
public final class PhaseLabeler {
    /** Label of clusters far from every reference (possible new phase) and of noise points. */
    public static final String UNASSIGNED = "unassigned";

    /** A reference site centroid. */
    public record Site(String phase, String site, String element, double[] centroid, int count) {
    }

    /** The nearest reference of a cluster centroid. */
    public record Match(String phase, String site, double distance, boolean assigned) {
        /** Phase name, or {@value PhaseLabeler#UNASSIGNED}. */
        public String label() {
            return assigned ? phase : UNASSIGNED;
        }
    }

    private final Standardizer scaler;
    private final List<Site> sites;
    private final List<String> phases;
    private final double threshold;

    /**
     * Computes reference descriptors.
     *
     * @param features  descriptor set (same as for the trajectory)
     * @param crystals  reference crystals
     * @param sigma     largest rattling amplitude in Angstrom (Gaussian standard deviation per component)
     * @param copies    rattled copies per crystal, with amplitudes evenly spaced from 0 to sigma (one copy: sigma)
     * @param seed      random seed
     * @param threshold maximum standardised distance for a cluster to be named after a reference
     * @param weights   per-feature weights applied after standardisation (null = all 1)
     */
    public PhaseLabeler(FeatureComputer features, List<ReferenceCrystal> crystals, double sigma, int copies, long seed, double threshold,
            double[] weights) {
        this.threshold = threshold;
        Map<String, List<double[]>> bySite = new LinkedHashMap<>();
        Map<String, String[]> info = new LinkedHashMap<>();
        List<double[]> all = new ArrayList<>();
        List<String> ph = new ArrayList<>();
        double minWidth = 2 * features.cutoff() + 1.0;
        int d = features.dimension();
        for (ReferenceCrystal c : crystals) {
            ph.add(c.phase());
            for (int copy = 0; copy < copies; copy++) {
                double amp = copies == 1 ? sigma : sigma * copy / (copies - 1);
                ReferenceCrystal.Supercell sc = c.supercell(minWidth, amp, seed + 1000L * copy + c.phase().hashCode());
                Frame f = sc.frame();
                double[] x = features.compute(f);
                for (int i = 0; i < f.size(); i++) {
                    double[] row = new double[d];
                    System.arraycopy(x, i * d, row, 0, d);
                    String key = c.phase() + "|" + sc.sites()[i];
                    bySite.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
                    info.putIfAbsent(key, new String[] {c.phase(), sc.sites()[i], f.elements()[i]});
                    all.add(row);
                }
            }
        }
        Standardizer plain = Standardizer.fit(all.toArray(double[][]::new));
        if (weights != null) {
            double[] sc = plain.scale().clone();
            for (int k = 0; k < d; k++) sc[k] /= weights[k];
            plain = new Standardizer(plain.mean(), sc);
        }
        this.scaler = plain;
        List<Site> s = new ArrayList<>();
        for (var e : bySite.entrySet()) {
            double[] mu = new double[d];
            for (double[] r : e.getValue()) {
                double[] z = scaler.apply(r);
                for (int k = 0; k < d; k++) mu[k] += z[k];
            }
            for (int k = 0; k < d; k++) mu[k] /= e.getValue().size();
            String[] in = info.get(e.getKey());
            s.add(new Site(in[0], in[1], in[2], mu, e.getValue().size()));
        }
        this.sites = List.copyOf(s);
        this.phases = List.copyOf(ph);
    }

    /** The standardiser of the descriptor space. */
    public Standardizer scaler() {
        return scaler;
    }

    /** Reference site centroids (standardised). */
    public List<Site> sites() {
        return sites;
    }

    /** Reference phase names, in order. */
    public List<String> phases() {
        return phases;
    }

    /** The distance threshold. */
    public double threshold() {
        return threshold;
    }

    /** Nearest reference site of a standardised centroid. */
    public Match match(double[] zCentroid) {
        Site best = null;
        double bd = Double.MAX_VALUE;
        for (Site s : sites) {
            double d2 = 0;
            for (int k = 0; k < zCentroid.length; k++) {
                double t = zCentroid[k] - s.centroid()[k];
                d2 += t * t;
            }
            if (d2 < bd) {
                bd = d2;
                best = s;
            }
        }
        double dist = Math.sqrt(bd);
        return new Match(best.phase(), best.site(), dist, dist <= threshold);
    }
}
