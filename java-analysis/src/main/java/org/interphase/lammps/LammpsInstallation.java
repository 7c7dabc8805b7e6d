package org.interphase.lammps;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.interphase.io.InputException;

/**
 * A LAMMPS binary and, when pair_style onnx is not built into it, the Interphase plugin to load.
 *
 * <p>Found from the command-line options, else the environment that {@code bin/interphase} and
 * {@code scripts/env.sh} set ({@value #ENV_LMP}, {@value #ENV_PLUGIN}), else {@code lmp} on the PATH.
 *
 * @param lmp    the LAMMPS executable
 * @param plugin the pair_style onnx plugin ({@code interphaseplugin.so}), or null when LAMMPS has it built in
 */
public record LammpsInstallation(Path lmp, Path plugin) {
    /** Environment variable naming the LAMMPS executable. */
    public static final String ENV_LMP = "INTERPHASE_LMP";
    /** Environment variable naming the pair_style onnx plugin. */
    public static final String ENV_PLUGIN = "INTERPHASE_PLUGIN";

    /**
     * Resolves the installation.
     *
     * @param lmpOption    --lmp, or null
     * @param pluginOption --plugin, or null
     * @throws InputException naming what is missing and how to provide it
     */
    public static LammpsInstallation find(Path lmpOption, Path pluginOption) {
        Path lmp = lmpOption != null ? lmpOption : fromEnv(ENV_LMP);
        if (lmp == null) lmp = onPath("lmp");
        if (lmp == null || !Files.isExecutable(lmp)) {
            throw new InputException("LAMMPS not found" + (lmp == null ? "" : " at " + lmp) + ": pass --lmp PATH or set " + ENV_LMP
                    + " to an lmp that can load pair_style onnx (scripts/setup.sh builds one), or drop --model to use harmonic references");
        }
        Path plugin = pluginOption != null ? pluginOption : fromEnv(ENV_PLUGIN);
        if (plugin != null && !Files.isRegularFile(plugin)) {
            throw new InputException("the pair_style onnx plugin " + plugin + " does not exist: pass --plugin PATH or set " + ENV_PLUGIN
                    + " to interphaseplugin.so (scripts/build-plugin.sh builds it)");
        }
        return new LammpsInstallation(lmp.toAbsolutePath(), plugin == null ? null : plugin.toAbsolutePath());
    }

    private static Path fromEnv(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    private static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, exe);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** "lmp at PATH (plugin PATH)". */
    public String describe() {
        return lmp + (plugin == null ? "" : " with " + plugin.getFileName());
    }
}
