package org.interphase.analysis;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Output directory written atomically per file: everything is written into a hidden staging directory inside the
 * output directory and moved into place only by {@link #commit}, with the report moved last. If the run fails,
 * {@link #close} deletes the staging directory so no partial output is left beside older complete results.
 */
public final class AtomicOutput implements AutoCloseable {
    private final Path outDir;
    private final Path staging;
    private final List<String> files = new ArrayList<>();
    private boolean committed;
    private final boolean created;

    /** Creates the output and staging directories. */
    public AtomicOutput(Path outDir) throws IOException {
        this.outDir = outDir;
        this.created = !Files.isDirectory(outDir);
        Files.createDirectories(outDir);
        this.staging = Files.createTempDirectory(outDir, ".interphase-staging-");
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

    /** Moves every recorded file into the output directory; {@code last} goes last. */
    public void commit(String last) throws IOException {
        for (String f : files) {
            if (f.equals(last)) continue;
            move(f);
        }
        if (files.contains(last)) move(last);
        committed = true;
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
        deleteTree(staging);
        if (!committed && created) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(outDir)) {
                if (!ds.iterator().hasNext()) Files.deleteIfExists(outDir);
            }
        }
    }

    /** Whether {@link #commit} ran. */
    public boolean committed() {
        return committed;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        if (Files.isDirectory(p)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) deleteTree(c);
            }
        }
        Files.deleteIfExists(p);
    }
}
