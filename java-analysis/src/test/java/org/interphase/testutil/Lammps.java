package org.interphase.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs the project's real LAMMPS binary (system property interphase.lmp, set by scripts/test.sh). */
public final class Lammps {
    private Lammps() {
    }

    /** The LAMMPS binary; fails the test with a clear message when it is not configured. */
    public static Path binary() {
        String p = System.getProperty("interphase.lmp");
        if (p == null || p.isBlank()) {
            p = System.getenv("INTERPHASE_LMP");
        }
        if (p == null || p.isBlank()) {
            fail("system property interphase.lmp is not set: run 'bash scripts/test.sh' (it passes -Dinterphase.lmp=$INTERPHASE_LMP) "
                    + "or 'mvn verify -Dinterphase.lmp=/path/to/lmp' after building LAMMPS with scripts/setup.sh");
        }
        Path b = Path.of(p);
        if (!Files.isExecutable(b)) {
            fail("interphase.lmp=" + p + " is not an executable LAMMPS binary: build it with scripts/setup.sh");
        }
        return b;
    }

    /** Runs the input script in dir (log to dir/log.lammps) and asserts success. */
    public static void run(Path dir, String script) throws IOException, InterruptedException {
        Path in = dir.resolve("in.lmp");
        Files.writeString(in, script);
        ProcessBuilder pb = new ProcessBuilder(binary().toString(), "-in", "in.lmp", "-log", "log.lammps", "-screen", "none")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("lmp.out").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "LAMMPS did not finish within 120 s");
        String log = Files.exists(dir.resolve("log.lammps")) ? Files.readString(dir.resolve("log.lammps")) : "";
        assertEquals(0, p.exitValue(), "LAMMPS failed: " + Files.readString(dir.resolve("lmp.out")) + log);
    }
}
