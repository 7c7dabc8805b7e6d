package org.interphase.analysis;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.interphase.io.InputException;
import org.interphase.io.Messages;
import org.interphase.io.PartialOutputs;

/**
 * Output directory written atomically per file: everything is written into a hidden staging directory inside the
 * output directory and moved into place only by {@link #commit}, with the report moved last. If the run fails,
 * {@link #close} deletes the staging directory so no partial output is left beside older complete results; if the
 * process is interrupted (SIGINT, SIGTERM), a shutdown hook does ({@link PartialOutputs}). Staging directories left
 * by processes that no longer run (SIGKILL) are removed when the next run opens the same directory.
 */
public final class AtomicOutput implements AutoCloseable {
    /** Start of the staging directory's name; the owner's process id follows. */
    static final String STAGING_PREFIX = ".interphase-staging-";

    /** Every file a run of {@code interphase analyze} can write; a run removes the ones it did not write. */
    public static final List<String> KNOWN_OUTPUTS = List.of("labels.extxyz", "labels.csv", "phase_fractions.csv",
            "phase_profile.csv", "thickness.csv", "clusters.csv", "pca_map.png", "pca_map.svg", "phase_fractions.png",
            "phase_fractions.svg", "phase_profile.png", "phase_profile.svg", "report.txt");

    private final Path outDir;
    private final Path staging;
    private final List<String> files = new ArrayList<>();
    private final List<String> removedStale = new ArrayList<>();
    private boolean committed;
    private final boolean created;

    /**
     * Creates the output and staging directories.
     *
     * @throws InputException when the output directory cannot be created or written, naming the cause and the fix
     */
    public AtomicOutput(Path outDir) {
        this.outDir = outDir;
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new InputException("output directory " + outDir + " is an existing file: choose another -o DIR");
        }
        this.created = !Files.isDirectory(outDir);
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            Path inTheWay = Messages.fileInTheWay(outDir);
            if (inTheWay != null) {
                throw new InputException("cannot create output directory " + outDir + ": " + inTheWay + " is a file, not a directory: "
                        + "choose another -o DIR");
            }
            throw new InputException("cannot create output directory " + outDir + ": " + Messages.ioCause(e) + ": choose another -o DIR");
        }
        PartialOutputs.sweep(outDir, STAGING_PREFIX, "");
        try {
            this.staging = Files.createTempDirectory(outDir, PartialOutputs.name(STAGING_PREFIX));
        } catch (IOException e) {
            throw new InputException("cannot write into output directory " + outDir + ": " + Messages.ioCause(e)
                    + ": choose a writable -o DIR");
        }
        PartialOutputs.register(staging);
        if (created) PartialOutputs.registerCreatedDirectory(outDir);
    }

    /** Path of a file in staging; the name is recorded for commit. */
    public Path file(String name) {
        if (!files.contains(name)) files.add(name);
        return staging.resolve(name);
    }

    /** A scratch file in staging that is not committed. */
    public Path scratch(String name) {
        return staging.resolve(name);
    }

    /**
     * Moves every recorded file into the output directory, {@code last} last, after removing the outputs of an
     * earlier run that this run did not write (see {@link #removedStale}), so the directory holds one run.
     */
    public void commit(String last) throws IOException {
        for (String k : KNOWN_OUTPUTS) {
            Path old = outDir.resolve(k);
            if (!files.contains(k) && Files.isRegularFile(old)) {
                Files.delete(old);
                removedStale.add(k);
            }
        }
        for (String f : files) {
            if (f.equals(last)) continue;
            move(f);
        }
        if (files.contains(last)) move(last);
        committed = true;
        PartialOutputs.unregister(outDir);
    }

    /** Outputs of an earlier run that {@link #commit} removed because this run did not write them. */
    public List<String> removedStale() {
        return List.copyOf(removedStale);
    }

    private void move(String f) throws IOException {
        Path src = staging.resolve(f);
        if (!Files.exists(src)) return;
        try {
            Files.move(src, outDir.resolve(f), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(src, outDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Names of committed files. */
    public List<String> files() {
        return List.copyOf(files);
    }

    @Override
    public void close() throws IOException {
        PartialOutputs.deleteTree(staging);
        PartialOutputs.unregister(staging);
        if (!committed && created) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(outDir)) {
                if (!ds.iterator().hasNext()) Files.deleteIfExists(outDir);
            }
        }
        PartialOutputs.unregister(outDir);
    }

    /** Whether {@link #commit} ran. */
    public boolean committed() {
        return committed;
    }
}
