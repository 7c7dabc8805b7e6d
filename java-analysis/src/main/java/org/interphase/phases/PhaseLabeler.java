package org.interphase.phases;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.interphase.clustering.Standardizer;
import org.interphase.descriptors.FeatureComputer;
import org.interphase.io.Frame;

/**
 * Names clusters after reference crystal sites, and describes the others by their nearest structure type.
 *
 * <p>The descriptors of snapshots of supercells of every reference crystal ({@link ReferenceEnvironments}: rattled at
 * the trajectory's temperature or by fixed amplitudes, or sampled by MD with the trajectory's potential) are computed with the same {@link FeatureComputer} as
 * the trajectory; a standardiser is fitted on all reference environments pooled (so the space, and the threshold,
 * do not depend on the trajectory); each (phase, site) gets the centroid of its standardised features. The same
 * supercells also give, with a species-agnostic geometric descriptor (e.g.
 * {@link org.interphase.descriptors.SannGeometry}), one centroid per <em>prototype site</em> (structure type and
 * site with elements ignored, e.g. "antifluorite (Li2S type)", "anion site (4a)").
 *
 * <p>A cluster is named after the phase of the nearest site centroid when (1) that distance is at most the
 * threshold and (2) its geometry does not disagree: it disagrees when the cluster's geometric centroid is within
 * {@value #GEOMETRY_MATCH} (standardised geometric units) of a prototype site of another structure type and farther
 * than {@value #GEOMETRY_MISMATCH} from the matched site's own prototype site. Otherwise
 * it is {@value #UNASSIGNED} (a new phase), and its nearest prototype site says what it resembles; (2) is what keeps
 * a Cl on an antifluorite anion site from being named argyrodite's Cl.
 */
public final class PhaseLabeler {
    /** Label of clusters far from every reference (possible new phase) and of noise points. */
    public static final String UNASSIGNED = "unassigned";
    /** Smallest scale of a weighted-block feature, relative to the largest in the block. */
    public static final double SCALE_FLOOR = 1e-3;
    /** Largest standardised geometric distance at which a cluster's geometry counts as a reference prototype site. */
    public static final double GEOMETRY_MATCH = 1.0;
    /** Smallest standardised geometric distance from the matched site's prototype at which the geometry disagrees. */
    public static final double GEOMETRY_MISMATCH = 2.0;

    /** A reference site centroid; geometry is the raw geometric-descriptor centroid (null without geometry). */
    public record Site(String phase, String site, String element, double[] centroid, int count, String prototype, String prototypeSite) {
    }

    /** A prototype site: structure type and species-agnostic site, with its standardised geometric centroid. */
    public record PrototypeSite(String prototype, String site, double[] centroid) {
        /** "anion site (4a) of antifluorite (Li2S type)". */
        public String describe() {
            return site + " of " + prototype;
        }
    }

    /**
     * The nearest reference of a cluster centroid.
     *
     * @param phase       phase of the nearest site (descriptor space)
     * @param site        nearest site
     * @param distance    standardised distance to it
     * @param assigned    whether the cluster is named after that phase
     * @param prototype   structure type of the nearest prototype site (geometry), or null without geometry
     * @param prototypeSite that site's species-agnostic name, or null
     * @param geometryDistance standardised geometric distance to that prototype site (NaN without geometry)
     * @param reason      why the cluster is unassigned ("" when assigned)
     */
    public record Match(String phase, String site, double distance, boolean assigned, String prototype, String prototypeSite,
            double geometryDistance, String reason) {
        /** Phase name, or {@value PhaseLabeler#UNASSIGNED}. */
        public String label() {
            return assigned ? phase : UNASSIGNED;
        }
    }

    private final Standardizer scaler;
    private final Standardizer geoScaler;
    private final List<Site> sites;
    private final List<PrototypeSite> prototypes;
    private final List<String> phases;
    private final double threshold;
    private final ReferenceEnvironments references;

    /** Fixed-amplitude references without geometry (the earlier rule): copies at sigma x {0, 1/3, 2/3, 1} when copies == 4. */
    public PhaseLabeler(FeatureComputer features, List<ReferenceCrystal> crystals, double sigma, int copies, long seed, double threshold,
            double[] weights) {
        this(features, null, crystals, new ReferenceRattle(null, sigma), seed, threshold, weights);
    }

    /**
     * Computes reference descriptors.
     *
     * @param features  descriptor set (same as for the trajectory)
     * @param geometry  species-agnostic geometric descriptor for prototypes, or null
     * @param crystals  reference crystals
     * @param references where the reference environments come from (rattled crystals, or MD with the model)
     * @param seed      random seed
     * @param threshold maximum standardised distance for a cluster to be named after a reference
     * @param weights   per-feature weights applied after standardisation (null = all 1)
     */
    public PhaseLabeler(FeatureComputer features, FeatureComputer geometry, List<ReferenceCrystal> crystals, ReferenceEnvironments references,
            long seed, double threshold, double[] weights) {
        this.threshold = threshold;
        this.references = references;
        Map<String, List<double[]>> bySite = new LinkedHashMap<>();
        Map<String, List<double[]>> geoBySite = new LinkedHashMap<>();
        Map<String, String[]> info = new LinkedHashMap<>();
        List<double[]> all = new ArrayList<>();
        List<double[]> allGeo = new ArrayList<>();
        List<String> ph = new ArrayList<>();
        double cut = Math.max(features.cutoff(), geometry == null ? 0 : geometry.cutoff());
        double minWidth = 2 * cut + 1.0;
        int d = features.dimension();
        int g = geometry == null ? 0 : geometry.dimension();
        try {
            references.prepare(crystals, minWidth, seed);
            for (ReferenceCrystal c : crystals) {
                ph.add(c.phase());
                for (ReferenceEnvironments.Snapshot snap : references.snapshots(c, minWidth, seed)) {
                    Frame f = snap.frame();
                    double[] x = features.compute(f);
                    double[] gx = geometry == null ? null : geometry.compute(f);
                    for (int i = 0; i < f.size(); i++) {
                        double[] row = new double[d];
                        System.arraycopy(x, i * d, row, 0, d);
                        String key = c.phase() + "|" + snap.sites()[i];
                        bySite.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
                        info.putIfAbsent(key, new String[] {c.phase(), snap.sites()[i], f.elements()[i]});
                        all.add(row);
                        if (gx != null) {
                            double[] gr = new double[g];
                            System.arraycopy(gx, i * g, gr, 0, g);
                            String pk = ReferenceCrystals.prototype(c.phase()) + "|" + ReferenceCrystals.prototypeSite(c.phase(), snap.sites()[i]);
                            geoBySite.computeIfAbsent(pk, k -> new ArrayList<>()).add(gr);
                            allGeo.add(gr);
                        }
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Standardizer plain = Standardizer.fit(all.toArray(double[][]::new));
        if (weights != null) {
            // regularise: in the weighted (SOAP/latent) block no feature's scale is below SCALE_FLOOR of the block's
            // largest, so features that barely vary in the references (high-n polynomial SOAP terms) cannot turn
            // trajectory noise into huge standardised distances
            double[] sc0 = plain.scale().clone();
            double top = 0;
            for (int k = 0; k < d; k++) if (weights[k] != 1.0) top = Math.max(top, sc0[k]);
            for (int k = 0; k < d; k++) if (weights[k] != 1.0) sc0[k] = Math.max(sc0[k], SCALE_FLOOR * top);
            plain = new Standardizer(plain.mean(), sc0);
            double[] sc = plain.scale().clone();
            for (int k = 0; k < d; k++) sc[k] /= weights[k];
            plain = new Standardizer(plain.mean(), sc);
        }
        this.scaler = plain;
        List<Site> s = new ArrayList<>();
        for (var e : bySite.entrySet()) {
            String[] in = info.get(e.getKey());
            s.add(new Site(in[0], in[1], in[2], meanOf(e.getValue(), scaler), e.getValue().size(), ReferenceCrystals.prototype(in[0]),
                    ReferenceCrystals.prototypeSite(in[0], in[1])));
        }
        this.sites = List.copyOf(s);
        this.phases = List.copyOf(ph);
        if (geometry != null) {
            this.geoScaler = Standardizer.fit(allGeo.toArray(double[][]::new));
            List<PrototypeSite> ps = new ArrayList<>();
            for (var e : geoBySite.entrySet()) {
                String[] k = e.getKey().split("\\|", 2);
                ps.add(new PrototypeSite(k[0], k[1], meanOf(e.getValue(), geoScaler)));
            }
            this.prototypes = List.copyOf(ps);
        } else {
            this.geoScaler = null;
            this.prototypes = List.of();
        }
    }

    private static double[] meanOf(List<double[]> rows, Standardizer st) {
        int d = rows.get(0).length;
        double[] mu = new double[d];
        for (double[] r : rows) {
            double[] z = st.apply(r);
            for (int k = 0; k < d; k++) mu[k] += z[k];
        }
        for (int k = 0; k < d; k++) mu[k] /= rows.size();
        return mu;
    }

    /** The standardiser of the descriptor space. */
    public Standardizer scaler() {
        return scaler;
    }

    /** Reference site centroids (standardised). */
    public List<Site> sites() {
        return sites;
    }

    /** Prototype sites (empty without geometry). */
    public List<PrototypeSite> prototypes() {
        return prototypes;
    }

    /** Reference phase names, in order. */
    public List<String> phases() {
        return phases;
    }

    /** The distance threshold. */
    public double threshold() {
        return threshold;
    }

    /** Where the reference environments came from. */
    public ReferenceEnvironments references() {
        return references;
    }

    /** Nearest reference site of a standardised centroid, without the geometric rule. */
    public Match match(double[] zCentroid) {
        return match(zCentroid, null);
    }

    /**
     * Nearest reference site of a standardised centroid, and, given the raw geometric centroid of the cluster, its
     * nearest prototype site and the geometric agreement rule (class comment).
     */
    public Match match(double[] zCentroid, double[] geometryCentroid) {
        Site best = null;
        double bd = Double.MAX_VALUE;
        for (Site s : sites) {
            double d2 = dist2(zCentroid, s.centroid());
            if (d2 < bd) {
                bd = d2;
                best = s;
            }
        }
        double dist = Math.sqrt(bd);
        boolean near = dist <= threshold;
        String reason = near ? "" : String.format(java.util.Locale.ROOT, "distance %.2f > %.2f", dist, threshold);
        if (geometryCentroid == null || prototypes.isEmpty()) return new Match(best.phase(), best.site(), dist, near, null, null, Double.NaN, reason);
        double[] gz = geoScaler.apply(geometryCentroid);
        PrototypeSite nearest = null;
        double gd = Double.MAX_VALUE, own = Double.MAX_VALUE;
        for (PrototypeSite p : prototypes) {
            double d2 = Math.sqrt(dist2(gz, p.centroid()));
            if (d2 < gd) {
                gd = d2;
                nearest = p;
            }
            if (p.prototype().equals(best.prototype()) && p.site().equals(best.prototypeSite())) own = d2;
        }
        // the geometry disagrees only when it clearly is another reference site: close to that one, and far from the
        // matched site's own prototype (distorted environments at interfaces are in between and do not count)
        // and only another structure type's site counts: thermal distortion inside the matched structure (e.g. Li moving
        // towards argyrodite's Cl in MD) is not a substitution
        boolean geometryAgrees = !(gd <= GEOMETRY_MATCH && own > GEOMETRY_MISMATCH && !nearest.prototype().equals(best.prototype()));
        if (near && !geometryAgrees) {
            reason = String.format(java.util.Locale.ROOT, "geometry is %s (%.2f), not %s of %s (%.2f)", nearest.describe(), gd,
                    best.prototypeSite(), best.prototype(), own);
        }
        return new Match(best.phase(), best.site(), dist, near && geometryAgrees, nearest.prototype(), nearest.site(), gd, reason);
    }

    private static double dist2(double[] a, double[] b) {
        double d2 = 0;
        for (int k = 0; k < a.length; k++) {
            double t = a[k] - b[k];
            d2 += t * t;
        }
        return d2;
    }
}
