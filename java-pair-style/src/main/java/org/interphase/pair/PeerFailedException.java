package org.interphase.pair;

/**
 * This rank stopped its force evaluation because another rank failed during a collective
 * feature exchange; that rank reports the cause (the upcall returns IPH_ERR_PEER).
 */
public final class PeerFailedException extends RuntimeException {
    public PeerFailedException() {
        super("another MPI rank failed during the node-feature exchange", null, false, false);
    }
}
