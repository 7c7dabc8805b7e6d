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

    /** A short description (path and format) used in messages. */
    String description();

    @Override
    void close() throws IOException;
}
