package org.interphase.testsupport;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's real liblammps.so, loaded into this JVM and driven through LAMMPS's C library
 * API (src/library.h) with FFM downcalls: LAMMPS runs in the test process, on the test thread,
 * so a {@code pair_style onnx} created by it must attach to this JVM instead of starting one.
 *
 * <p>Location: system property {@code interphase.liblammps}, else {@code <dir of
 * interphase.lmp>/../lib/liblammps.so} (scripts/test.sh passes -Dinterphase.lmp). The library
 * is never unloaded (the plugin and the JVM state live as long as the process).
 */
@SuppressWarnings("restricted") // native access is this class's purpose
public final class LibLammps implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static SymbolLookup lookup;
    private static MethodHandle open;
    private static MethodHandle close;
    private static MethodHandle command;
    private static MethodHandle getThermo;
    private static MethodHandle gatherAtoms;
    private static MethodHandle hasError;
    private static MethodHandle lastError;
    private static MethodHandle mpiFinalize;

    private final Arena arena = Arena.ofConfined();
    private MemorySegment handle;

    /** liblammps.so from -Dinterphase.liblammps or -Dinterphase.lmp; fails the test with the fix when absent. */
    public static Path libraryPath() {
        String lib = System.getProperty("interphase.liblammps");
        String lmp = System.getProperty("interphase.lmp");
        Path p;
        if (lib != null && !lib.isBlank()) {
            p = Path.of(lib);
        } else if (lmp != null && !lmp.isBlank()) {
            Path bin = Path.of(lmp).toAbsolutePath().getParent();
            p = bin.resolve("../lib/liblammps.so").normalize();
        } else {
            return fail("system properties interphase.lmp and interphase.liblammps are not set: run 'bash scripts/test.sh' "
                    + "(it passes -Dinterphase.lmp=$INTERPHASE_LMP) or 'mvn verify -Dinterphase.lmp=/path/to/bin/lmp "
                    + "-Dinterphase.plugin=/path/to/interphaseplugin.so' after scripts/setup.sh");
        }
        if (!Files.isRegularFile(p)) {
            return fail("liblammps.so not found at " + p + ": build LAMMPS as a shared library with scripts/setup.sh "
                    + "(provision-lammps.sh installs lib/liblammps.so next to bin/lmp) or pass -Dinterphase.liblammps=/path/to/liblammps.so");
        }
        return p;
    }

    /** interphaseplugin.so from -Dinterphase.plugin; fails the test with the fix when absent. */
    public static Path pluginPath() {
        String s = System.getProperty("interphase.plugin");
        if (s == null || s.isBlank()) {
            return fail("system property interphase.plugin is not set: run 'bash scripts/test.sh' "
                    + "(it passes -Dinterphase.plugin=$INTERPHASE_PLUGIN) or add -Dinterphase.plugin=/path/to/interphaseplugin.so");
        }
        Path p = Path.of(s);
        if (!Files.isRegularFile(p)) {
            return fail("interphase.plugin=" + p + " does not exist: build and install it with scripts/build-plugin.sh");
        }
        return p;
    }

    private static synchronized void load() {
        if (lookup != null) {
            return;
        }
        Path lib = libraryPath();
        SymbolLookup l;
        try {
            l = SymbolLookup.libraryLookup(lib, Arena.global());
        } catch (IllegalArgumentException e) {
            fail("cannot load " + lib + " (" + e.getMessage() + "): rebuild LAMMPS with scripts/setup.sh");
            return;
        }
        open = handle(l, "lammps_open_no_mpi", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        close = handle(l, "lammps_close", FunctionDescriptor.ofVoid(ADDRESS));
        command = handle(l, "lammps_command", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        getThermo = handle(l, "lammps_get_thermo", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, ADDRESS));
        gatherAtoms = handle(l, "lammps_gather_atoms",
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        hasError = handle(l, "lammps_has_error", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        lastError = handle(l, "lammps_get_last_error_message", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        mpiFinalize = handle(l, "lammps_mpi_finalize", FunctionDescriptor.ofVoid());
        lookup = l;
    }

    private static MethodHandle handle(SymbolLookup l, String name, FunctionDescriptor d) {
        MemorySegment sym = l.find(name).orElseThrow(() -> new AssertionError(
                name + " not found in liblammps: it is not the LAMMPS C library API (src/library.h) of LAMMPS >= 2Aug2023"));
        return LINKER.downcallHandle(sym, d);
    }

    /**
     * lammps_open_no_mpi with the given command-line arguments (after argv[0]); it initialises MPI
     * (as a singleton) when this MPI-enabled liblammps is first opened in the process.
     */
    public LibLammps(String... args) throws Throwable {
        load();
        MemorySegment argv = arena.allocate(ADDRESS, args.length + 2L);
        argv.setAtIndex(ADDRESS, 0, arena.allocateFrom("liblammps"));
        for (int k = 0; k < args.length; k++) {
            argv.setAtIndex(ADDRESS, k + 1, arena.allocateFrom(args[k]));
        }
        argv.setAtIndex(ADDRESS, args.length + 1, MemorySegment.NULL);
        handle = (MemorySegment) open.invokeExact(args.length + 1, argv, MemorySegment.NULL);
        if (handle.equals(MemorySegment.NULL)) {
            throw new AssertionError("lammps_open_no_mpi returned NULL (bad arguments or MPI could not start)");
        }
        checkError("lammps_open_no_mpi");
    }

    /** Runs one input line; a LAMMPS error becomes an AssertionError with LAMMPS's message. */
    public void command(String line) throws Throwable {
        MemorySegment ignored = (MemorySegment) command.invokeExact(handle, arena.allocateFrom(line));
        checkError(line);
    }

    /** Runs several input lines (one per element). */
    public void commands(String... lines) throws Throwable {
        for (String line : lines) {
            command(line);
        }
    }

    /** The current value of a thermo keyword (pe, press, pxx, ...). */
    public double thermo(String keyword) throws Throwable {
        double v = (double) getThermo.invokeExact(handle, arena.allocateFrom(keyword));
        checkError("lammps_get_thermo " + keyword);
        return v;
    }

    /** A per-atom double vector property (count values per atom, e.g. "f" with 3), ordered by atom ID. */
    public double[] gatherDoubles(String name, int count, int natoms) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_DOUBLE, (long) count * natoms);
            gatherAtoms.invokeExact(handle, a.allocateFrom(name), 1, count, out);
            checkError("lammps_gather_atoms " + name);
            return out.toArray(JAVA_DOUBLE);
        }
    }

    private void checkError(String what) throws Throwable {
        int err = (int) hasError.invokeExact(handle);
        if (err != 0) {
            MemorySegment buf = arena.allocate(JAVA_BYTE, 2048);
            int kind = (int) lastError.invokeExact(handle, buf, 2048);
            throw new AssertionError("LAMMPS error (kind " + kind + ") in '" + what + "': "
                    + buf.getString(0, StandardCharsets.UTF_8).strip());
        }
    }

    /** lammps_close: deletes the instance (and its pair style, which prints the stats line). */
    @Override
    public void close() throws Exception {
        if (handle != null) {
            try {
                close.invokeExact(handle);
            } catch (Throwable t) {
                throw new IllegalStateException("lammps_close failed", t);
            }
            handle = null;
        }
        arena.close();
    }

    /** lammps_mpi_finalize, once, when no instance is left (the JVM exits right after the test class). */
    public static void finalizeMpi() throws Throwable {
        if (mpiFinalize != null) {
            mpiFinalize.invokeExact();
        }
    }
}
