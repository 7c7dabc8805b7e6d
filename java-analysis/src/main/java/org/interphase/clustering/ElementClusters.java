package org.interphase.clustering;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Clusters fitted separately for each centre element (or once for all atoms), numbered consecutively. A centre's
 * element is the largest of the first {@code groups} standardised features (the one-hot is_X block, where the own
 * element is the only positive entry). Fitting per element lets every element resolve its own sites (Li in Li metal,
 * argyrodite and Li2S; P in PS4 and on an antifluorite site) instead of spending a global k on the largest
 * differences; k, when given, is per element.
 */
public final class ElementClusters {
    private final List<ClusterModel> models;   // per group (null = group absent from the sample)
    private final int[] offset;
    private final int k;
    private final int[] sampleLabels;
    private final String selection;
    private final int groups;

    private ElementClusters(List<ClusterModel> models, int[] offset, int k, int[] sampleLabels, String selection, int groups) {
        this.models = models;
        this.offset = offset;
        this.k = k;
        this.sampleLabels = sampleLabels;
        this.selection = selection;
        this.groups = groups;
    }

    /**
     * Fits on the sample: z the standardised rows (for the element), y the rows actually clustered (z or its
     * principal components). groups = 0 fits one model for all rows.
     *
     * @param names element names of the groups, for the selection text
     * @throws IllegalArgumentException (one line) when a group cannot be clustered
     */
    public static ElementClusters fit(double[][] z, double[][] y, int groups, List<String> names, Clusterer method) {
        int n = z.length;
        if (groups <= 0) {
            ClusterModel m = fitRows(method, y);
            return new ElementClusters(List.of(m), new int[] {0}, m.k(), m.sampleLabels(), m.selection(), 0);
        }
        int[] grp = new int[n];
        int[] size = new int[groups];
        for (int i = 0; i < n; i++) {
            grp[i] = group(z[i], groups);
            size[grp[i]]++;
        }
        List<ClusterModel> models = new ArrayList<>();
        int[] offset = new int[groups];
        int[] labels = new int[n];
        int total = 0;
        StringBuilder sel = new StringBuilder();
        for (int g = 0; g < groups; g++) {
            offset[g] = total;
            if (size[g] == 0) {
                models.add(null);
                continue;
            }
            double[][] yg = new double[size[g]][];
            int[] idx = new int[size[g]];
            int q = 0;
            for (int i = 0; i < n; i++) if (grp[i] == g) {
                idx[q] = i;
                yg[q++] = y[i];
            }
            if (size[g] < 2) {
                labels[idx[0]] = total;
                total += 1;
                models.add(null);
                sel.append(names.get(g)).append(": 1 atom; ");
                continue;
            }
            ClusterModel m = fitRows(method, yg);
            models.add(m);
            for (int r = 0; r < idx.length; r++) labels[idx[r]] = m.sampleLabels()[r] < 0 ? -1 : total + m.sampleLabels()[r];
            total += m.k();
            sel.append(names.get(g)).append(": ").append(m.selection().trim()).append("; ");
        }
        return new ElementClusters(models, offset, total, labels, sel.toString().trim(), groups);
    }

    private static ClusterModel fitRows(Clusterer method, double[][] y) {
        if (y.length < 2) throw new IllegalArgumentException("need at least 2 atoms to cluster, got " + y.length);
        return method.fit(y);
    }

    private static int group(double[] z, int groups) {
        int best = 0;
        for (int g = 1; g < groups; g++) if (z[g] > z[best]) best = g;
        return best;
    }

    /** Cluster of a point: z standardised (for the element), y as clustered; -1 = noise. */
    public int predict(double[] z, double[] y) {
        if (groups == 0) return models.get(0).predict(y);
        int g = group(z, groups);
        ClusterModel m = models.get(g);
        if (m == null) {
            // an element absent from (or alone in) the sample: its own cluster if it had one, else noise
            boolean has = offset[g] < (g + 1 < groups ? offset[g + 1] : k);
            return has ? offset[g] : -1;
        }
        int c = m.predict(y);
        return c < 0 ? -1 : offset[g] + c;
    }

    /** Total number of clusters. */
    public int k() {
        return k;
    }

    /** Labels of the fitting sample. */
    public int[] sampleLabels() {
        return sampleLabels;
    }

    /** How k was chosen (per element). */
    public String selection() {
        return selection;
    }

    /** The fitted per-group models (null entries for absent groups); one entry when fitted for all atoms. */
    public List<ClusterModel> models() {
        return Collections.unmodifiableList(models);
    }
}
