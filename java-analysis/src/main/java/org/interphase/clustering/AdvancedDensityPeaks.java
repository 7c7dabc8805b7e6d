package org.interphase.clustering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Advanced density-peak clustering (M. d'Errico, E. Facco, A. Laio, A. Rodriguez, Information Sciences 560, 476
 * (2021); DADApy's {@code compute_clustering_ADP} after {@code compute_density_kNN(k)}): no cuts to choose, the peaks
 * of the density are merged until every remaining one is statistically significant.
 *
 * <ol>
 * <li>Density: the k-NN estimate of {@link DensityPeaks}, log rho_i with error e_i = 1/sqrt(k); g_i = log rho_i - e_i
 * (shifted so that all are positive).</li>
 * <li>Putative peaks: points with no higher g among their k nearest neighbours, and not inside the k-neighbourhood of
 * a point of higher g.</li>
 * <li>Every other point, in order of decreasing g, joins the cluster of its nearest assigned neighbour among its
 * {@link #MAX_NEIGHBOURS} nearest.</li>
 * <li>Saddles: between clusters c and c', the point of highest g of c (or c') that has a neighbour of the other cluster
 * within k and is the nearest point of its own cluster to that neighbour; its log rho and error are the saddle's.</li>
 * <li>Merging: while some pair (a, b) has log rho_a - log rho_ab &lt; Z (e_a + e_ab) (or the same for b), the pair
 * with the highest saddle merges; the peak with the smaller (log rho - log rho_ab)/(e + e_ab) is absorbed, and the
 * merged cluster keeps the higher saddle towards every other cluster.</li>
 * </ol>
 *
 * @param logDensity log rho of every point
 * @param labels     final cluster of every point
 * @param centres    the surviving peaks, in cluster order
 * @param putative   number of putative peaks before merging
 */
public record AdvancedDensityPeaks(double[] logDensity, int[] labels, int[] centres, int putative) {
    /** Neighbours kept per point (DADApy's default maxk: min(100, N - 1)). */
    public static final int MAX_NEIGHBOURS = 100;

    /** Parameters: k neighbours for the density, intrinsic dimension (0 = the data's), and the merging factor Z. */
    public record Parameters(int k, int dimension, double z) {
        /** Checks the values; messages name cause and fix. */
        public Parameters {
            if (k < 1 || k > MAX_NEIGHBOURS) {
                throw new IllegalArgumentException("--adp K must be in 1.." + MAX_NEIGHBOURS + ", got " + k + ": e.g. --adp 10:2.5");
            }
            if (dimension < 0) throw new IllegalArgumentException("--adp ID must be >= 0 (0 = the data's dimension), got " + dimension);
            if (!(z > 0) || !Double.isFinite(z)) throw new IllegalArgumentException("--adp Z must be a positive number, got " + z + ": e.g. --adp 10:2.5");
        }
    }

    /** Number of clusters. */
    public int k() {
        return centres.length;
    }

    /**
     * Clusters the rows of x.
     *
     * @throws IllegalArgumentException when there are not more than k points
     */
    public static AdvancedDensityPeaks fit(double[][] x, Parameters p) {
        int n = x.length;
        if (n <= p.k()) {
            throw new IllegalArgumentException("advanced density peaks with --adp K=" + p.k() + " needs more than " + p.k()
                    + " atoms per clustered group, got " + n + ": lower K or analyse more atoms");
        }
        int maxk = Math.min(MAX_NEIGHBOURS, n - 1);
        int k = p.k();
        int[][] nn = neighbours(x, maxk);
        int dim = p.dimension() > 0 ? p.dimension() : x[0].length;
        double logPrefactor = dim / 2.0 * Math.log(Math.PI) - org.apache.commons.math3.special.Gamma.logGamma(dim / 2.0 + 1);
        double err = 1.0 / Math.sqrt(k);
        double[] logDen = new double[n];
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double rk = Math.sqrt(Distances.sq(x[i], x[nn[i][k]]));
            logDen[i] = Math.log(k) - (logPrefactor + dim * Math.log(rk)) - Math.log(n);
            min = Math.min(min, logDen[i] - p.z() * err);
        }
        double[] c = new double[n];   // log_den_c: shifted so that every g is positive
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = logDen[i] - min + 1;
            g[i] = c[i] - err;
        }
        for (double v : logDen) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("advanced density peaks: identical environments (zero k-NN distance) give an infinite density: "
                        + "use --method dpc or kmeans for perfect crystals, or raise --adp K");
            }
        }

        // putative peaks: no higher g within the k nearest; then drop those inside a higher point's k-neighbourhood
        List<Integer> raw = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean peak = true;
            for (int j = 1; j <= k && peak; j++) if (g[i] < g[nn[i][j]]) peak = false;
            if (peak) raw.add(i);
        }
        boolean[] isRaw = new boolean[n];
        for (int i : raw) isRaw[i] = true;
        boolean[] dropped = new boolean[n];
        int[] replacement = new int[n];       // the highest-g point that has a dropped peak in its k-neighbourhood
        Arrays.fill(replacement, -1);
        for (int i = 0; i < n; i++) {
            for (int j = 1; j <= k; j++) {
                int q = nn[i][j];
                if (isRaw[q] && g[i] > g[q]) {
                    dropped[q] = true;
                    if (replacement[q] < 0 || g[i] > g[replacement[q]]) replacement[q] = i;
                }
            }
        }
        List<Integer> centres = new ArrayList<>();
        for (int i : raw) if (!dropped[i]) centres.add(i);
        int nc = centres.size();
        int[] cluster = new int[n];
        Arrays.fill(cluster, -1);
        for (int a = 0; a < nc; a++) cluster[centres.get(a)] = a;
        boolean[] isCentre = new boolean[n];
        for (int i : centres) isCentre[i] = true;

        // preliminary assignment in order of decreasing g
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> g[a] != g[b] ? Double.compare(g[b], g[a]) : Integer.compare(a, b));
        for (int r = 0; r < n; r++) {
            int e = order[r];
            for (int j = 1; j <= maxk && cluster[e] < 0; j++) cluster[e] = cluster[nn[e][j]];
            if (cluster[e] < 0) {
                // none of its neighbours is assigned yet: the cluster of the highest replacement of a dropped peak
                // among its neighbours (itself included)
                int best = -1;
                for (int j = 0; j <= maxk; j++) {
                    int q = nn[e][j];
                    if (dropped[q] && (best < 0 || g[replacement[q]] > g[best])) best = replacement[q];
                }
                if (best < 0 || cluster[best] < 0) throw new IllegalStateException("advanced density peaks: point " + e + " could not be assigned");
                cluster[e] = cluster[best];
            }
        }

        // saddle points between clusters
        double[][] bord = new double[nc][nc];
        double[][] bordErr = new double[nc][nc];
        int[][] bordPoint = new int[nc][nc];
        for (int[] row : bordPoint) Arrays.fill(row, -1);
        for (int p1 = 0; p1 < n; p1++) {
            if (isCentre[p1]) continue;
            int cl = cluster[p1];
            int pp = -1, cp = -1;
            for (int j = 1; j <= k; j++) {
                int p2 = nn[p1][j];
                if (cluster[p2] != cl) {
                    pp = p2;
                    cp = cluster[p2];
                    break;
                }
            }
            if (pp < 0) continue;
            for (int j = 1; j <= maxk; j++) {
                int po = nn[pp][j];
                if (po == p1) break;
                if (cluster[po] == cl) {
                    pp = -1;
                    break;
                }
            }
            if (pp < 0) continue;
            if (g[p1] > bord[cl][cp]) {
                bord[cl][cp] = bord[cp][cl] = g[p1];
                bordPoint[cl][cp] = bordPoint[cp][cl] = p1;
            }
        }
        for (int a = 0; a < nc; a++) {
            for (int b = 0; b < nc; b++) {
                if (a != b && bordPoint[a][b] >= 0) {
                    bord[a][b] = c[bordPoint[a][b]];
                    bordErr[a][b] = err;
                }
            }
            bord[a][a] = -1;
            bordErr[a][a] = 0;
        }

        // merge peaks that are not statistically significant, highest saddle first
        boolean[] alive = new boolean[nc];
        Arrays.fill(alive, true);
        List<List<Integer>> members = new ArrayList<>();
        for (int a = 0; a < nc; a++) members.add(new ArrayList<>());
        for (int i = 0; i < n; i++) members.get(cluster[i]).add(i);
        while (true) {
            int im = -1, jm = -1;
            double top = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < nc - 1; a++) {
                for (int b = a + 1; b < nc; b++) {
                    double a1 = c[centres.get(a)] - bord[a][b], a2 = c[centres.get(b)] - bord[a][b];
                    double e1 = p.z() * (err + bordErr[a][b]), e2 = p.z() * (err + bordErr[a][b]);
                    if ((a1 < e1 || a2 < e2) && bord[a][b] > top) {
                        top = bord[a][b];
                        im = a;
                        jm = b;
                    }
                }
            }
            if (im < 0) break;
            double c1 = (c[centres.get(im)] - bord[im][jm]) / (err + bordErr[im][jm]);
            double c2 = (c[centres.get(jm)] - bord[im][jm]) / (err + bordErr[im][jm]);
            if (c1 < c2) {
                int t = im;
                im = jm;
                jm = t;
            }
            alive[jm] = false;
            bord[im][jm] = bord[jm][im] = -1;
            bordErr[im][jm] = bordErr[jm][im] = 0;
            members.get(im).addAll(members.get(jm));
            members.get(jm).clear();
            for (int o = 0; o < nc; o++) {
                if (o == im || o == jm) continue;
                if (bord[im][o] < bord[jm][o]) {
                    bordPoint[im][o] = bordPoint[o][im] = bordPoint[jm][o];
                    bord[im][o] = bord[o][im] = bord[jm][o];
                    bordErr[im][o] = bordErr[o][im] = bordErr[jm][o];
                }
                bord[jm][o] = bord[o][jm] = -1;
                bordErr[jm][o] = bordErr[o][jm] = 0;
            }
        }
        int[] labels = new int[n];
        List<Integer> kept = new ArrayList<>();
        for (int a = 0; a < nc; a++) {
            if (!alive[a]) continue;
            for (int i : members.get(a)) labels[i] = kept.size();
            kept.add(centres.get(a));
        }
        return new AdvancedDensityPeaks(logDen, labels, kept.stream().mapToInt(Integer::intValue).toArray(), nc);
    }

    /** For every point, itself and then its maxk nearest other points in order of distance (ties: lower index). */
    static int[][] neighbours(double[][] x, int maxk) {
        int n = x.length;
        int[][] out = new int[n][];
        double[] d = new double[n];
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[j] = j == i ? -1 : Distances.sq(x[i], x[j]);
                idx[j] = j;
            }
            Arrays.sort(idx, (a, b) -> d[a] != d[b] ? Double.compare(d[a], d[b]) : Integer.compare(a, b));
            int[] row = new int[maxk + 1];
            for (int j = 0; j <= maxk; j++) row[j] = idx[j];
            out[i] = row;
        }
        return out;
    }
}
