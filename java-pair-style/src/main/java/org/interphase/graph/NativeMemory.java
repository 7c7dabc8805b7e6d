package org.interphase.graph;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Access to LAMMPS's arrays by raw address, without creating a MemorySegment per array per
 * step (the compute path must not allocate). Callers check indices against the counts LAMMPS
 * passed before they read.
 */
@SuppressWarnings("restricted") // native access is this class's purpose
public final class NativeMemory {
    private NativeMemory() {}

    /** The whole address space (a restricted segment: needs --enable-native-access). */
    public static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    public static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    public static int getInt(long address, long index) {
        return ALL.get(INT, address + 4L * index);
    }

    public static long getAddress(long address, long index) {
        return ALL.get(LONG, address + 8L * index);
    }

    public static double getDouble(long address, long index) {
        return ALL.get(DOUBLE, address + 8L * index);
    }

    public static long getLong(long address, long index) {
        return ALL.get(LONG, address + 8L * index);
    }

    public static float getFloat(long address, long index) {
        return ALL.get(FLOAT, address + 4L * index);
    }

    public static void setLong(long address, long index, long v) {
        ALL.set(LONG, address + 8L * index, v);
    }

    public static void setDouble(long address, long index, double v) {
        ALL.set(DOUBLE, address + 8L * index, v);
    }

    public static void setFloat(long address, long index, float v) {
        ALL.set(FLOAT, address + 4L * index, v);
    }

    public static void addDouble(long address, long index, double v) {
        long a = address + 8L * index;
        ALL.set(DOUBLE, a, ALL.get(DOUBLE, a) + v);
    }

    /** dst[k] += src[k] for k &lt; n (doubles). */
    public static void addInto(long dst, long src, long n) {
        for (long k = 0; k < n; k++) {
            long a = dst + 8 * k;
            ALL.set(DOUBLE, a, ALL.get(DOUBLE, a) + ALL.get(DOUBLE, src + 8 * k));
        }
    }
}
