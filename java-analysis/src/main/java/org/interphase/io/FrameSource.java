package org.interphase.io;

import java.io.IOException;

/** A stream of frames read one at a time (bounded memory). Not thread-safe. */
public interface FrameSource extends AutoCloseable {
    /** The next frame, or null at the end. @throws InputException for malformed input */
    Frame next() throws IOException;

    /** Number of frames if known cheaply, else -1. */
    default long frameCountHint() {
        return -1;
    }

    /**
     * The atom ids of the frame last returned by {@link #next}, in the frame's (sorted) order, or null when the format
     * stores none (H5MD from LAMMPS is sorted by id but stores no ids; extended XYZ keeps the file's order).
     */
    default long[] atomIds() {
        return null;
    }

    /** A short description (path and format) used in messages. */
    String description();

    @Override
    void close() throws IOException;
}
