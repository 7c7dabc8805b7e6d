package org.interphase.pair;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.interphase.bridge.BridgeLayouts;

/**
 * The shim's node-feature exchange between the layers of a contract-v2 model (iph_exchange_fn in
 * interphase_bridge.h), called through an FFM downcall from inside compute(). Collective: every
 * rank calls it the same number of times per step, passing its own state, so that a failure on
 * one rank stops every rank at the same exchange instead of leaving the others waiting.
 */
final class Exchange {
    private static final MethodHandle CALL = Linker.nativeLinker().downcallHandle(
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    private final MemorySegment function;
    private final MemorySegment context;

    Exchange(long function, long context) {
        this.function = MemorySegment.ofAddress(function);
        this.context = MemorySegment.ofAddress(context);
    }

    /**
     * Exchanges rows [nall * width] doubles at {@code rows}: forward (owners to their ghost copies)
     * or reverse (ghost rows added into their owners).
     *
     * @param localFailure what failed on this rank since the last exchange, or null
     * @throws RuntimeException localFailure itself when it is not null (after telling the other ranks), or
     *         {@link PeerFailedException} when another rank failed
     */
    void run(boolean forward, long rows, int width, Throwable localFailure) {
        int status = localFailure == null ? BridgeLayouts.IPH_OK : BridgeLayouts.IPH_ERR_ONE;
        int rc;
        try {
            rc = (int) CALL.invokeExact(function, context,
                    forward ? BridgeLayouts.IPH_EXCHANGE_FORWARD : BridgeLayouts.IPH_EXCHANGE_REVERSE,
                    MemorySegment.ofAddress(rows), width, status);
        } catch (Throwable t) {
            throw new IllegalStateException("the node-feature exchange failed: " + t, t);
        }
        if (localFailure != null) {
            rethrow(localFailure);
        }
        if (rc == BridgeLayouts.IPH_ERR_PEER) {
            throw new PeerFailedException();
        }
        if (rc != BridgeLayouts.IPH_OK) {
            throw new IllegalStateException("the node-feature exchange refused " + width + " values per atom (code "
                    + rc + "): the model's feature widths exceed what pair_coeff announced; re-issue pair_coeff");
        }
    }

    static void rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
