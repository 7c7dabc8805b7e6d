package org.interphase.bridge;

import java.util.Arrays;
import org.interphase.pair.PairOnnx;

/** The live pair style instances by handle (1, 2, ...); lookups do not allocate. */
final class HandleRegistry {
    private PairOnnx[] slots = new PairOnnx[8];

    synchronized long register(PairOnnx pair) {
        for (int h = 1; h < slots.length; h++) {
            if (slots[h] == null) {
                slots[h] = pair;
                return h;
            }
        }
        int h = slots.length;
        slots = Arrays.copyOf(slots, 2 * h);
        slots[h] = pair;
        return h;
    }

    synchronized PairOnnx get(long handle) {
        if (handle <= 0 || handle >= slots.length || slots[(int) handle] == null) {
            throw new IllegalStateException("unknown pair_style onnx handle " + handle
                    + " (destroyed or never created): the plugin and the Java bridge are out of step");
        }
        return slots[(int) handle];
    }

    synchronized PairOnnx remove(long handle) {
        PairOnnx p = get(handle);
        slots[(int) handle] = null;
        return p;
    }
}
