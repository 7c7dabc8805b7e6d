package org.interphase.clustering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HDBSCAN (Campello, Moulavi, Sander 2013; McInnes, Healy, Astels 2017) with Euclidean distances: core distance
 * = distance to the min_samples-th nearest point (the point itself counted, as in scikit-learn), mutual
 * reachability minimum spanning tree (Prim, O(n^2): use on a subsample of a few thousand points), single-linkage
 * hierarchy, condensed tree with min_cluster_size, excess-of-mass cluster selection without the root. Noise = -1.
 */
public final class Hdbscan {
    private Hdbscan() {
    }

    /** Labels 0..k-1 or -1 for noise. */
    public static int[] fit(double[][] x, int minClusterSize, int minSamples) {
        int n = x.length;
        if (n < 2) {
            int[] l = new int[n];
            Arrays.fill(l, -1);
            return l;
        }
        int ms = Math.max(1, Math.min(minSamples, n));
        double[] core = new double[n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) row[j] = Math.sqrt(Distances.sq(x[i], x[j]));
            double[] s = row.clone();
            Arrays.sort(s);
            core[i] = s[ms - 1];
        }
        // Prim MST on mutual reachability
        boolean[] in = new boolean[n];
        double[] best = new double[n];
        int[] from = new int[n];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        int[] ea = new int[n - 1], eb = new int[n - 1];
        double[] ew = new double[n - 1];
        int cur = 0;
        in[0] = true;
        for (int e = 0; e < n - 1; e++) {
            for (int j = 0; j < n; j++) {
                if (in[j]) continue;
                double d = Math.max(Math.sqrt(Distances.sq(x[cur], x[j])), Math.max(core[cur], core[j]));
                if (d < best[j]) {
                    best[j] = d;
                    from[j] = cur;
                }
            }
            int nxt = -1;
            double bw = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (!in[j] && best[j] < bw) {
                    bw = best[j];
                    nxt = j;
                }
            }
            ea[e] = from[nxt];
            eb[e] = nxt;
            ew[e] = bw;
            in[nxt] = true;
            cur = nxt;
        }
        // single linkage: sort edges, union-find
        Integer[] ord = new Integer[n - 1];
        for (int e = 0; e < n - 1; e++) ord[e] = e;
        Arrays.sort(ord, (p, q) -> Double.compare(ew[p], ew[q]));
        int total = 2 * n - 1;
        int[] left = new int[total], right = new int[total], size = new int[total];
        double[] height = new double[total];
        int[] parentUf = new int[total];
        int[] rep = new int[total];
        for (int i = 0; i < total; i++) {
            parentUf[i] = i;
            size[i] = i < n ? 1 : 0;
            left[i] = right[i] = -1;
        }
        for (int i = 0; i < n; i++) rep[i] = i;
        int nextNode = n;
        for (int k = 0; k < n - 1; k++) {
            int e = ord[k];
            int ra = find(parentUf, ea[e]), rb = find(parentUf, eb[e]);
            int node = nextNode++;
            left[node] = rep[ra];
            right[node] = rep[rb];
            size[node] = size[rep[ra]] + size[rep[rb]];
            height[node] = ew[e];
            parentUf[ra] = rb;
            rep[rb] = node;
        }
        int root = total - 1;
        // condensed tree
        List<int[]> ctEdges = new ArrayList<>();     // {parentCluster, child (point or cluster), childSize}
        List<Double> ctLambda = new ArrayList<>();
        int[] relabel = new int[total];
        Arrays.fill(relabel, -1);
        int nextCluster = n;
        relabel[root] = nextCluster++;
        double[] birth = new double[2 * n];
        birth[relabel[root] - n] = 0;
        int[] stack = new int[total];
        int sp = 0;
        stack[sp++] = root;
        boolean[] ignore = new boolean[total];
        while (sp > 0) {
            int node = stack[--sp];
            if (node < n || ignore[node]) continue;
            int l = left[node], r = right[node];
            double lam = height[node] > 0 ? 1.0 / height[node] : Double.POSITIVE_INFINITY;
            boolean lBig = size[l] >= minClusterSize, rBig = size[r] >= minClusterSize;
            int pc = relabel[node];
            if (lBig && rBig) {
                relabel[l] = nextCluster++;
                birth[relabel[l] - n] = lam;
                ctEdges.add(new int[] {pc, relabel[l], size[l]});
                ctLambda.add(lam);
                relabel[r] = nextCluster++;
                birth[relabel[r] - n] = lam;
                ctEdges.add(new int[] {pc, relabel[r], size[r]});
                ctLambda.add(lam);
                stack[sp++] = l;
                stack[sp++] = r;
            } else if (!lBig && !rBig) {
                fallOut(l, pc, lam, n, left, right, ctEdges, ctLambda);
                fallOut(r, pc, lam, n, left, right, ctEdges, ctLambda);
            } else if (lBig) {
                relabel[l] = pc;
                fallOut(r, pc, lam, n, left, right, ctEdges, ctLambda);
                stack[sp++] = l;
            } else {
                relabel[r] = pc;
                fallOut(l, pc, lam, n, left, right, ctEdges, ctLambda);
                stack[sp++] = r;
            }
        }
        int nClusters = nextCluster - n;
        double[] stability = new double[nClusters];
        int[] clusterParent = new int[nClusters];
        Arrays.fill(clusterParent, -1);
        List<List<Integer>> children = new ArrayList<>();
        for (int c = 0; c < nClusters; c++) children.add(new ArrayList<>());
        for (int e = 0; e < ctEdges.size(); e++) {
            int[] ed = ctEdges.get(e);
            int p = ed[0] - n;
            double lam = ctLambda.get(e);
            if (Double.isInfinite(lam)) lam = Double.MAX_VALUE / (4.0 * n);
            stability[p] += (lam - birth[p]) * ed[2];
            if (ed[1] >= n) {
                clusterParent[ed[1] - n] = p;
                children.get(p).add(ed[1] - n);
            }
        }
        // excess of mass selection (clusters are created parent before child, so reverse order is bottom-up)
        boolean[] selected = new boolean[nClusters];
        double[] subtree = stability.clone();
        for (int c = nClusters - 1; c >= 1; c--) {
            double childSum = 0;
            for (int ch : children.get(c)) childSum += subtree[ch];
            if (children.get(c).isEmpty() || stability[c] >= childSum) {
                selected[c] = true;
                subtree[c] = stability[c];
                unselectDescendants(c, children, selected);
                selected[c] = true;
            } else {
                subtree[c] = childSum;
            }
        }
        // labels: each point's nearest selected ancestor cluster, else noise
        int[] pointCluster = new int[n];
        Arrays.fill(pointCluster, -1);
        for (int[] ed : ctEdges) if (ed[1] < n) pointCluster[ed[1]] = ed[0] - n;
        int[] labelOf = new int[nClusters];
        Arrays.fill(labelOf, -1);
        int nl = 0;
        for (int c = 0; c < nClusters; c++) if (selected[c]) labelOf[c] = nl++;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = pointCluster[i];
            while (c > 0 && !selected[c]) c = clusterParent[c];
            labels[i] = c > 0 && selected[c] ? labelOf[c] : -1;
        }
        return labels;
    }

    private static void unselectDescendants(int c, List<List<Integer>> children, boolean[] selected) {
        for (int ch : children.get(c)) {
            selected[ch] = false;
            unselectDescendants(ch, children, selected);
        }
    }

    private static void fallOut(int node, int pc, double lam, int n, int[] left, int[] right, List<int[]> edges, List<Double> lambdas) {
        int[] st = new int[2 * n];
        int sp = 0;
        st[sp++] = node;
        while (sp > 0) {
            int v = st[--sp];
            if (v < n) {
                edges.add(new int[] {pc, v, 1});
                lambdas.add(lam);
            } else {
                st[sp++] = left[v];
                st[sp++] = right[v];
            }
        }
    }

    private static int find(int[] p, int i) {
        while (p[i] != i) {
            p[i] = p[p[i]];
            i = p[i];
        }
        return i;
    }
}
