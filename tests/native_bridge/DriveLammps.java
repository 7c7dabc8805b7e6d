import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Drives LAMMPS from Java through liblammps' C library interface (FFM), so that the
 * pair_style onnx plugin finds a JVM already running in the process and attaches to it
 * instead of creating one. Usage: java --enable-native-access=ALL-UNNAMED DriveLammps.java
 * /path/to/liblammps.so input.lmp  -> prints "pe=... press=..." after the input has run.
 */
public final class DriveLammps {
    public static void main(String[] args) throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(args[0]), Arena.global());
        MethodHandle open = linker.downcallHandle(lib.find("lammps_open_no_mpi").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle file = linker.downcallHandle(lib.find("lammps_file").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        MethodHandle thermo = linker.downcallHandle(lib.find("lammps_get_thermo").orElseThrow(),
                FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS, ADDRESS));
        MethodHandle hasError = linker.downcallHandle(lib.find("lammps_has_error").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle close = linker.downcallHandle(lib.find("lammps_close").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            String[] a = {"drive", "-log", "none", "-screen", "none"};
            MemorySegment argv = arena.allocate(ADDRESS, a.length);
            for (int i = 0; i < a.length; i++) {
                argv.setAtIndex(ADDRESS, i, arena.allocateFrom(a[i]));
            }
            MemorySegment lmp = (MemorySegment) open.invoke(a.length, argv, MemorySegment.NULL);
            file.invoke(lmp, arena.allocateFrom(args[1]));
            if ((int) hasError.invoke(lmp) != 0) {
                System.out.println("LAMMPS reported an error");
                System.exit(1);
            }
            double pe = (double) thermo.invoke(lmp, arena.allocateFrom("pe"));
            double press = (double) thermo.invoke(lmp, arena.allocateFrom("press"));
            System.out.printf("pe=%.15g press=%.15g%n", pe, press);
            close.invoke(lmp);
        }
    }
}
