package org.interphase.graph;

/**
 * Bucket sizing of the padded graph: grow to ceil(1.02 * need) when need exceeds the
 * capacity, shrink (to the same size) only when need drops below 0.9 * capacity, so that
 * small fluctuations of the atom and edge counts reuse the same tensors.
 */
public final class Buckets {
    private Buckets() {}

    public static final double GROW = 1.02;
    public static final double SHRINK_BELOW = 0.9;

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
