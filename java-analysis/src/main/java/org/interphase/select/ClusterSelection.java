package org.interphase.select;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.interphase.clustering.KMeans;
import org.interphase.clustering.Standardizer;

/**
 * Spreads a capped selection over distinct local environments: the candidates' descriptor vectors are standardised
 * (per feature, over the candidates) and split into {@code max} groups by k-means (k-means++ seeding, 10 restarts
 * from a fixed seed); from each group the candidate with the largest max_devi_f is taken (the earliest on ties). If
 * k-means leaves a group empty (candidates with identical descriptors), the remaining places go to the unselected
 * candidates with the largest max_devi_f. Deterministic for a given seed.
 */
public final class ClusterSelection {
    /** k-means restarts. */
    static final int RESTARTS = 10;
    /** k-means iteration cap. */
    static final int MAX_ITER = 300;

    /**
     * The result.
     *
     * @param selected indices of the chosen candidates, ascending
     * @param cluster  cluster of every candidate, numbered 0.. in the order of their first candidate
     * @param size     members of each cluster
     */
    public record Result(int[] selected, int[] cluster, int[] size) {
    }

    private ClusterSelection() {
    }

    /**
     * Chooses {@code max} of the candidates.
     *
     * @param features one descriptor vector per candidate (same length)
     * @param maxF     max_devi_f of each candidate
     * @param max      how many to choose, 1 <= max < number of candidates
     * @param seed     k-means seed
     */
    public static Result choose(double[][] features, double[] maxF, int max, long seed) {
        int n = features.length;
        if (max < 1 || max >= n) throw new IllegalArgumentException("max " + max + " must be in 1.." + (n - 1));
        double[][] z = Standardizer.fit(features).apply(features);
        int[] raw = KMeans.fit(z, max, seed, RESTARTS, MAX_ITER).labels();
        // renumber clusters in the order of their first candidate
        int[] map = new int[max];
        Arrays.fill(map, -1);
        int next = 0;
        int[] cluster = new int[n];
        for (int i = 0; i < n; i++) {
            if (map[raw[i]] < 0) map[raw[i]] = next++;
            cluster[i] = map[raw[i]];
        }
        int[] size = new int[next];
        int[] best = new int[next];
        Arrays.fill(best, -1);
        for (int i = 0; i < n; i++) {
            int c = cluster[i];
            size[c]++;
            if (best[c] < 0 || maxF[i] > maxF[best[c]]) best[c] = i;
        }
        boolean[] chosen = new boolean[n];
        for (int b : best) chosen[b] = true;
        for (int fill = next; fill < max; fill++) { // empty clusters: the most uncertain of the rest
            int pick = -1;
            for (int i = 0; i < n; i++) if (!chosen[i] && (pick < 0 || maxF[i] > maxF[pick])) pick = i;
            chosen[pick] = true;
        }
        List<Integer> sel = new ArrayList<>();
        for (int i = 0; i < n; i++) if (chosen[i]) sel.add(i);
        return new Result(sel.stream().mapToInt(Integer::intValue).toArray(), cluster, size);
    }
}
