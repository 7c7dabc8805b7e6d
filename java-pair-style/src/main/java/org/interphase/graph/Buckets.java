package org.interphase.graph;

/**
 * Bucket sizing of the padded graph: grow to ceil(1.05 * need) when need exceeds the
 * capacity, shrink (to the same size) only when need drops below 0.85 * capacity, so that
 * the fluctuations of the atom and edge counts in MD (ghost atoms crossing the shell, edges
 * crossing the cutoff: typically well below 1% per step at 10k atoms) reuse the same tensors.
 * Padding overhead: 0 to 5% after growth, at most 1/0.85 - 1 = 18% before a shrink.
 */
public final class Buckets {
    private Buckets() {}

    public static final double GROW = 1.05;
    public static final double SHRINK_BELOW = 0.85;

    /** New capacity for need given the current capacity (0 = none yet). */
    public static int capacity(int need, int current) {
        if (current <= 0 || need > current || need < SHRINK_BELOW * current) {
            long c = (long) Math.ceil(GROW * need);
            if (c > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("graph too large: " + need + " entries");
            }
            return (int) Math.max(c, 1);
        }
        return current;
    }
}
