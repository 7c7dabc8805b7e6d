package org.interphase.testsupport;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import org.interphase.bridge.BridgeLayouts;
import org.interphase.bridge.NativeEntry;

/**
 * Plays the C++ shim: allocates an iph_vtable, calls NativeEntry.bootstrap, and calls the
 * function pointers it wrote through FFM downcalls (so every call crosses native code and the
 * upcall stubs exactly as from LAMMPS).
 */
@SuppressWarnings("restricted") // native access is this class's purpose
public final class NativeBridge implements AutoCloseable {
    public final Arena arena = Arena.ofConfined();
    public final MemorySegment vtable = arena.allocate(BridgeLayouts.VTABLE);
    public final MemorySegment err = arena.allocate(BridgeLayouts.IPH_ERRCAP);
    private final MethodHandle create;
    private final MethodHandle coeff;
    private final MethodHandle compute;
    private final MethodHandle stats;
    private final MethodHandle destroy;
    public final int bootstrapCode;

    public NativeBridge() {
        bootstrapCode = NativeEntry.bootstrap(vtable.address(), vtable.byteSize());
        Linker l = Linker.nativeLinker();
        create = l.downcallHandle((MemorySegment) BridgeLayouts.VTABLE_CREATE.get(vtable, 0L), NativeEntry.CREATE);
        coeff = l.downcallHandle((MemorySegment) BridgeLayouts.VTABLE_COEFF.get(vtable, 0L), NativeEntry.COEFF);
        compute = l.downcallHandle((MemorySegment) BridgeLayouts.VTABLE_COMPUTE.get(vtable, 0L), NativeEntry.COMPUTE);
        stats = l.downcallHandle((MemorySegment) BridgeLayouts.VTABLE_STATS.get(vtable, 0L), NativeEntry.STATS);
        destroy = l.downcallHandle((MemorySegment) BridgeLayouts.VTABLE_DESTROY.get(vtable, 0L), NativeEntry.DESTROY);
    }

    /** The last error line. */
    public String error() {
        return err.getString(0, StandardCharsets.UTF_8);
    }

    /** Result of create: code and handle. */
    public record Created(int code, long handle) {}

    /** create() with these pair_style arguments on a single rank. */
    public Created create(String... args) throws Throwable {
        MemorySegment s = arena.allocate(BridgeLayouts.SETTINGS);
        MemorySegment argv = arena.allocate(ADDRESS, Math.max(1, args.length));
        for (int k = 0; k < args.length; k++) {
            argv.setAtIndex(ADDRESS, k, arena.allocateFrom(args[k]));
        }
        BridgeLayouts.SETTINGS_ABI_VERSION.set(s, 0L, BridgeLayouts.ABI_VERSION);
        BridgeLayouts.SETTINGS_MPI_RANK.set(s, 0L, 0);
        BridgeLayouts.SETTINGS_MPI_SIZE.set(s, 0L, 1);
        BridgeLayouts.SETTINGS_NODE_LOCAL_RANK.set(s, 0L, 0);
        BridgeLayouts.SETTINGS_NODE_SIZE.set(s, 0L, 1);
        BridgeLayouts.SETTINGS_NARG.set(s, 0L, args.length);
        BridgeLayouts.SETTINGS_ARG.set(s, 0L, argv);
        return create(s);
    }

    /** create() on CPU with one thread, padding on or off. */
    public Created create(boolean pad) throws Throwable {
        return create("pad", pad ? "yes" : "no");
    }

    public Created create(MemorySegment settings) throws Throwable {
        MemorySegment h = arena.allocate(JAVA_LONG);
        err.set(JAVA_BYTE, 0, (byte) 0);
        int code = (int) create.invokeExact(settings, h, err, (long) BridgeLayouts.IPH_ERRCAP);
        return new Created(code, h.get(JAVA_LONG, 0));
    }

    /** Result of coeff. */
    public record Coeff(int code, int hops, double rMax, double[] typeCutoff) {}

    /**
     * @param model one model file, or several separated by single spaces (a committee)
     * @param elements [ntypes+1], [0] unused, null = NULL
     */
    public Coeff coeff(long handle, String model, String[] elements) throws Throwable {
        int ntypes = elements.length - 1;
        MemorySegment a = arena.allocate(BridgeLayouts.COEFF_ARGS);
        MemorySegment els = arena.allocate(ADDRESS, ntypes + 1);
        for (int t = 1; t <= ntypes; t++) {
            els.setAtIndex(ADDRESS, t, elements[t] == null ? MemorySegment.NULL : arena.allocateFrom(elements[t]));
        }
        MemorySegment cut = arena.allocate(JAVA_DOUBLE, (long) (ntypes + 1) * (ntypes + 1));
        String[] models = model.split(" ");
        MemorySegment paths = arena.allocate(ADDRESS, models.length);
        for (int m = 0; m < models.length; m++) {
            paths.setAtIndex(ADDRESS, m, arena.allocateFrom(models[m]));
        }
        BridgeLayouts.COEFF_MODEL_PATHS.set(a, 0L, paths);
        BridgeLayouts.COEFF_NMODELS.set(a, 0L, models.length);
        BridgeLayouts.COEFF_COMMITTEE.set(a, 0L, arena.allocate(BridgeLayouts.COMMITTEE));
        BridgeLayouts.COEFF_TYPE_ELEMENTS.set(a, 0L, els);
        BridgeLayouts.COEFF_TYPE_CUTOFF.set(a, 0L, cut);
        BridgeLayouts.COEFF_NTYPES.set(a, 0L, ntypes);
        err.set(JAVA_BYTE, 0, (byte) 0);
        int code = (int) coeff.invokeExact(handle, a, err, (long) BridgeLayouts.IPH_ERRCAP);
        return new Coeff(code, (int) BridgeLayouts.COEFF_HOPS.get(a, 0L), (double) BridgeLayouts.COEFF_R_MAX.get(a, 0L),
                cut.toArray(JAVA_DOUBLE));
    }

    public int compute(long handle, MemorySegment args) throws Throwable {
        err.set(JAVA_BYTE, 0, (byte) 0);
        return (int) compute.invokeExact(handle, args.address(), err.address(), (long) BridgeLayouts.IPH_ERRCAP);
    }

    public MemorySegment stats(long handle) throws Throwable {
        MemorySegment s = arena.allocate(BridgeLayouts.STATS);
        int code = (int) stats.invokeExact(handle, s, err, (long) BridgeLayouts.IPH_ERRCAP);
        if (code != 0) {
            throw new IllegalStateException("stats failed: " + error());
        }
        return s;
    }

    public int destroy(long handle) throws Throwable {
        return (int) destroy.invokeExact(handle, err, (long) BridgeLayouts.IPH_ERRCAP);
    }

    @Override
    public void close() {
        arena.close();
    }
}
