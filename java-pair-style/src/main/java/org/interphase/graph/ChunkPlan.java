package org.interphase.graph;

import java.util.Arrays;

/**
 * How a rank's centre atoms are split into chunks, one ONNX Runtime run each.
 *
 * <p>The centres are the local atoms of ilist whose types the style handles. With a chunk size
 * of 0, or a single chunk, there is one chunk in ilist order. Otherwise the centres are split by
 * recursive coordinate bisection into {@link #chunksFor} spatially compact boxes of nearly equal
 * size (each split at the count-weighted position along the longest extent
 * of its atoms), so each chunk touches few atoms outside itself and its tensors stay small; the
 * atoms of a chunk are kept in index order (LAMMPS sorts atoms spatially), which keeps their
 * reads of x local. The plan depends only on ilist, the types and the positions it was made
 * from, so it is deterministic; it is rebuilt when LAMMPS rebuilds its neighbour lists.
 */
public final class ChunkPlan {
    private int[] centres = new int[0];
    private int count;
    private int[] start = {0, 0};
    private int chunks;
    private double[] key = new double[0];
    private double meanNeighbours;

    private long madeForBuilds = Long.MIN_VALUE;
    private long madeForIlist;
    private int madeForInum = -1;
    private int madeForChunk = -1;
    private int madeForWorkers = -1;

    /**
     * Rebuilds the plan when the neighbour lists, ilist or the chunk size changed.
     *
     * @param speciesOfType [ntypes+1], -1 = type not handled
     * @param chunk centres per chunk, 0 = one chunk
     * @param workers threads that share the chunks: with chunk &gt; 0 the number of chunks is
     *        rounded up to a multiple of it (at most one chunk per centre), so every worker gets
     *        the same number of chunks
     * @return true when the plan was rebuilt
     */
    public boolean update(Neighbors nb, long ilist, int inum, long neighBuilds, int[] speciesOfType, int chunk,
                          int workers) {
        if (neighBuilds == madeForBuilds && ilist == madeForIlist && inum == madeForInum && chunk == madeForChunk
                && workers == madeForWorkers) {
            return false;
        }
        if (inum > 0 && ilist == 0) {
            throw new IllegalArgumentException("compute args: ilist is NULL with inum=" + inum);
        }
        if (centres.length < inum) {
            centres = new int[inum + inum / 8 + 16];
        }
        int n = 0;
        long neighbours = 0;
        for (int c = 0; c < inum; c++) {
            int i = NativeMemory.getInt(ilist, c);
            if (i < 0 || i >= nb.nlocal()) {
                throw new IllegalStateException("neighbor list: ilist[" + c + "] = " + i + " outside 0.."
                        + (nb.nlocal() - 1) + " (local atoms)");
            }
            int t = NativeMemory.getInt(nb.type(), i);
            if (t < 1 || t >= speciesOfType.length) {
                throw new IllegalStateException("atom " + i + " has type " + t + " outside 1.."
                        + (speciesOfType.length - 1));
            }
            if (speciesOfType[t] >= 0) {
                centres[n++] = i;
                neighbours += NativeMemory.getInt(nb.numneigh(), i);
            }
        }
        count = n;
        meanNeighbours = n == 0 ? 0.0 : (double) neighbours / n;
        int m = chunksFor(n, chunk, workers);
        if (start.length < m + 1) {
            start = new int[m + 1];
        }
        chunks = 0;
        start[0] = 0;
        if (m == 1 || n == 0) {
            start[1] = n;
            chunks = 1;
        } else {
            if (key.length < n) {
                key = new double[centres.length];
            }
            bisect(nb.x(), 0, n, m);
        }
        madeForBuilds = neighBuilds;
        madeForIlist = ilist;
        madeForInum = inum;
        madeForChunk = chunk;
        madeForWorkers = workers;
        return true;
    }

    /** Chunks for n centres: ceil(n / chunk) rounded up to a multiple of workers, at most n; 1 for chunk 0. */
    public static int chunksFor(int n, int chunk, int workers) {
        if (chunk <= 0 || n <= 1) {
            return 1;
        }
        long m = (n + (long) chunk - 1) / chunk;
        int w = Math.max(1, workers);
        m = (m + w - 1) / w * w;
        return (int) Math.min(m, n);
    }

    /** Splits centres[lo..hi) into m boxes, appending their ends to start. */
    private void bisect(long x, int lo, int hi, int m) {
        if (m == 1 || hi - lo <= 1) {
            Arrays.sort(centres, lo, hi);
            start[++chunks] = hi;
            return;
        }
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int c = lo; c < hi; c++) {
            long a = x + 24L * centres[c];
            for (int k = 0; k < 3; k++) {
                double v = NativeMemory.ALL.get(NativeMemory.DOUBLE, a + 8L * k);
                min[k] = Math.min(min[k], v);
                max[k] = Math.max(max[k], v);
            }
        }
        int axis = 0;
        for (int k = 1; k < 3; k++) {
            if (max[k] - min[k] > max[axis] - min[axis]) {
                axis = k;
            }
        }
        for (int c = lo; c < hi; c++) {
            key[c] = NativeMemory.ALL.get(NativeMemory.DOUBLE, x + 24L * centres[c] + 8L * axis);
        }
        int m1 = m / 2;
        int mid = lo + (int) Math.round((double) (hi - lo) * m1 / m);
        select(lo, hi, mid);
        bisect(x, lo, mid, m1);
        bisect(x, mid, hi, m - m1);
    }

    /** Quickselect on (key, atom index): afterwards [lo, k) &lt;= k &lt;= [k, hi). */
    private void select(int lo, int hi, int k) {
        int l = lo;
        int r = hi - 1;
        while (l < r) {
            int p = medianOfThree(l, (l + r) >>> 1, r);
            double pk = key[p];
            int pa = centres[p];
            int i = l;
            int j = r;
            while (i <= j) {
                while (less(key[i], centres[i], pk, pa)) {
                    i++;
                }
                while (less(pk, pa, key[j], centres[j])) {
                    j--;
                }
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (k <= j) {
                r = j;
            } else if (k >= i) {
                l = i;
            } else {
                return;
            }
        }
    }

    private int medianOfThree(int a, int b, int c) {
        boolean ab = less(key[a], centres[a], key[b], centres[b]);
        boolean bc = less(key[b], centres[b], key[c], centres[c]);
        boolean ac = less(key[a], centres[a], key[c], centres[c]);
        if (ab == bc) {
            return b;
        }
        return ab == ac ? c : a;
    }

    private static boolean less(double k1, int a1, double k2, int a2) {
        return k1 < k2 || (k1 == k2 && a1 < a2);
    }

    private void swap(int i, int j) {
        double k = key[i];
        key[i] = key[j];
        key[j] = k;
        int c = centres[i];
        centres[i] = centres[j];
        centres[j] = c;
    }

    /** Mean neighbour-list length of the centres (skin included) at the last rebuild. */
    public double meanNeighbours() { return meanNeighbours; }
    /** Centre atom indices, chunk by chunk (valid entries 0..count()-1). */
    public int[] centres() { return centres; }
    /** Centres in the plan. */
    public int count() { return count; }
    /** Number of chunks (1 when there is no centre). */
    public int chunks() { return chunks; }
    /** Chunk k is centres()[start(k) .. start(k + 1)). */
    public int start(int k) { return start[k]; }
}
