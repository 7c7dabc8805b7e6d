package org.interphase.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * THE way a command writes one output file: into a temporary sibling that is moved into place only when the whole
 * body succeeded, so a failed run never leaves a truncated file (nor replaces an older complete one). The temporary
 * file is removed on any failure of the body, on SIGINT/SIGTERM, and, when a run was killed, by the next write of the
 * same file ({@link PartialOutputs}).
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** What is written into the file. */
    public interface Body {
        /** Writes the contents to {@code w}. */
        void write(BufferedWriter w) throws IOException;
    }

    /**
     * Writes {@code file} atomically.
     *
     * @throws IOException with a one-line message naming the file, the cause and the fix (-o)
     */
    public static void write(Path file, Body body) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) throw new IOException("cannot write " + file + ": it is a directory: choose a file name with -o");
        if (dir != null && !Files.isDirectory(dir)) {
            Path inTheWay = Messages.fileInTheWay(dir);
            if (inTheWay != null) {
                throw new IOException("cannot write " + file + ": " + inTheWay + " is a file, not a directory: choose another -o");
            }
            throw new IOException("cannot write " + file + ": directory " + dir + " does not exist: create it or choose another -o");
        }
        String prefix = "." + abs.getFileName();
        PartialOutputs.sweep(dir, prefix, ".tmp"); // left by a killed earlier run
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, PartialOutputs.name(prefix + "."), ".tmp");
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + reason(e) + " in " + dir + ": choose a writable -o");
        }
        PartialOutputs.register(tmp); // removed on SIGINT/SIGTERM
        boolean done = false;
        try {
            try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
                body.write(w);
            }
            try { // createTempFile makes the file owner-only; an output is an ordinary rw-r--r-- file
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep its default permissions
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + reason(e) + ": free disk space or choose another -o");
        } finally {
            if (!done) Files.deleteIfExists(tmp); // also when the body threw an InputException
            PartialOutputs.unregister(tmp);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such directory";
        return Messages.ioCause(e);
    }
}
