package org.interphase.lammps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.interphase.io.InputException;

/**
 * One serial LAMMPS run of an input deck in a working directory: {@code lmp -in DECK -var NAME VALUE ... -log
 * log.lammps -screen none}, one OpenMP thread, with {@code plugin load PLUGIN} as the first command when the
 * installation names a plugin. A failed run becomes an {@link InputException} with LAMMPS's first ERROR line and
 * the path of its log; the working directory is left as it is for inspection.
 */
public final class LammpsRun {
    /** Name of the log file in the working directory. */
    public static final String LOG = "log.lammps";
    /** Name of the input file written to the working directory. */
    public static final String INPUT = "in.lammps";

    private LammpsRun() {
    }

    /**
     * Runs the deck and waits for it.
     *
     * @param what    what the run is, for messages (e.g. "reference MD of Li2S")
     * @param dir     working directory holding the deck and its inputs
     * @param deck    text of the input deck (written to dir as in.lammps)
     * @param vars    LAMMPS index variables
     * @param timeout seconds before the run is killed
     * @throws InputException when LAMMPS fails, with its error and the log path
     */
    public static void run(LammpsInstallation lammps, String what, Path dir, String deck, Map<String, String> vars, long timeout)
            throws IOException {
        String load = lammps.plugin() == null ? "" : "plugin load " + lammps.plugin() + "\n";
        Files.writeString(dir.resolve(INPUT), load + deck);
        List<String> cmd = new ArrayList<>(List.of(lammps.lmp().toString(), "-in", INPUT, "-log", LOG, "-screen", "none", "-nocite"));
        for (var e : vars.entrySet()) cmd.addAll(List.of("-var", e.getKey(), e.getValue()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new InputException("cannot start LAMMPS " + lammps.lmp() + " (" + e.getMessage() + "): pass --lmp PATH or set "
                    + LammpsInstallation.ENV_LMP + " to a working lmp");
        }
        boolean done;
        try {
            done = p.waitFor(timeout, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InputException(what + " was interrupted");
        }
        if (!done) {
            p.destroyForcibly();
            throw new InputException(what + " did not finish within " + timeout + " s and was stopped: see " + dir.resolve(LOG));
        }
        if (p.exitValue() != 0) {
            throw new InputException(what + " failed: " + firstError(dir) + " (log: " + dir.resolve(LOG) + ")");
        }
    }

    /** LAMMPS's first ERROR line in the log or its output, or the last line of the output. */
    static String firstError(Path dir) throws IOException {
        String last = "LAMMPS exited with an error and no message";
        for (String f : List.of(LOG, "stdout.txt")) {
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) continue;
            for (String line : Files.readAllLines(p, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("ERROR")) return line.strip();
                if (!line.isBlank()) last = line.strip();
            }
        }
        return last;
    }
}
