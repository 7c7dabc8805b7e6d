package org.interphase.bridge;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;

/**
 * Entry point called once by the C++ shim through JNI:
 * {@code static int bootstrap(long tableAddress, long tableSize)}. It writes abi_version and
 * table_size into the iph_vtable at tableAddress and, when the sizes agree, fills the five
 * function pointers with FFM upcall stubs (allocated in the global arena, valid for the life
 * of the process).
 *
 * <p>Returns 0 on success, 1 when tableSize differs from sizeof(iph_vtable) of this jar
 * (abi_version/table_size are still written so the shim can report the mismatch), 2 on any
 * other failure (one line on stderr).
 */
@SuppressWarnings("restricted") // native access is this class's purpose
public final class NativeEntry {
    private NativeEntry() {}

    public static final FunctionDescriptor CREATE = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    public static final FunctionDescriptor COEFF = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    /**
     * compute(handle, args, err, errcap): the two pointers are declared as 64-bit integers (same
     * registers in the C calling conventions of x86-64 and AArch64), because the upcall stub would
     * otherwise box each ADDRESS argument in a new MemorySegment on every MD step.
     */
    public static final FunctionDescriptor COMPUTE = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    public static final FunctionDescriptor STATS = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    public static final FunctionDescriptor DESTROY = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG);

    private static MemorySegment[] stubs;

    public static int bootstrap(long tableAddress, long tableSize) {
        try {
            if (tableAddress == 0 || tableSize < 8) {
                System.err.println("interphase: Java bridge bootstrap got an invalid iph_vtable (address "
                        + tableAddress + ", size " + tableSize + ")");
                return 2;
            }
            long expected = BridgeLayouts.VTABLE.byteSize();
            MemorySegment table = MemorySegment.ofAddress(tableAddress).reinterpret(tableSize);
            // raw writes: the struct VarHandles would refuse a table of the wrong size
            table.set(JAVA_INT, BridgeLayouts.VTABLE.byteOffset(PathElement.groupElement("abi_version")),
                    BridgeLayouts.ABI_VERSION);
            table.set(JAVA_INT, BridgeLayouts.VTABLE.byteOffset(PathElement.groupElement("table_size")), (int) expected);
            if (tableSize != expected) {
                return 1;
            }
            MemorySegment[] s = stubs();
            BridgeLayouts.VTABLE_CREATE.set(table, 0L, s[0]);
            BridgeLayouts.VTABLE_COEFF.set(table, 0L, s[1]);
            BridgeLayouts.VTABLE_COMPUTE.set(table, 0L, s[2]);
            BridgeLayouts.VTABLE_STATS.set(table, 0L, s[3]);
            BridgeLayouts.VTABLE_DESTROY.set(table, 0L, s[4]);
            return 0;
        } catch (Throwable t) {
            try {
                System.err.println("interphase: Java bridge bootstrap failed: " + t
                        + " (run the JVM with --enable-native-access=ALL-UNNAMED and JDK >= 22)");
            } catch (Throwable ignored) {
                // nothing else to do
            }
            return 2;
        }
    }

    private static synchronized MemorySegment[] stubs() throws ReflectiveOperationException {
        if (stubs == null) {
            Linker linker = Linker.nativeLinker();
            Arena global = Arena.global();
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            stubs = new MemorySegment[] {
                linker.upcallStub(lookup.findStatic(Upcalls.class, "create", CREATE.toMethodType()), CREATE, global),
                linker.upcallStub(lookup.findStatic(Upcalls.class, "coeff", COEFF.toMethodType()), COEFF, global),
                linker.upcallStub(lookup.findStatic(Upcalls.class, "compute", COMPUTE.toMethodType()), COMPUTE, global),
                linker.upcallStub(lookup.findStatic(Upcalls.class, "stats", STATS.toMethodType()), STATS, global),
                linker.upcallStub(lookup.findStatic(Upcalls.class, "destroy", DESTROY.toMethodType()), DESTROY, global),
            };
        }
        return stubs;
    }
}
