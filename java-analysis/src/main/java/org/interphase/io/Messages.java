package org.interphase.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * THE message-flattening helpers of the CLI: every text that reaches a user's one-line error goes through
 * {@link #oneLine(String)}, and every {@link IOException} of a file operation is described by {@link #ioCause},
 * so no Java class name reaches the user.
 */
public final class Messages {
    private Messages() {
    }

    /** The text on one line: runs of whitespace (newlines included) become one space; null becomes "". */
    public static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    /** The first line of a multi-line text (native libraries append their source locations on later lines). */
    public static String firstLine(String text) {
        if (text == null) return "";
        String t = text.strip();
        int nl = t.indexOf('\n');
        return oneLine(nl < 0 ? t : t.substring(0, nl));
    }

    /** The message of a throwable on one line, or "no details" when it has none (never its class name). */
    public static String oneLine(Throwable t) {
        String m = oneLine(t.getMessage());
        return m.isEmpty() ? "no details" : m;
    }

    /**
     * What went wrong in a file operation, in words: "no such file or directory", "permission denied",
     * "it already exists", "a parent is not a directory", "no space left on device", the operating system's
     * reason, or "not a text file" for undecodable text.
     */
    public static String ioCause(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileAlreadyExistsException) return "it already exists";
        if (e instanceof NotDirectoryException) return "it is not a directory";
        if (e instanceof DirectoryNotEmptyException) return "the directory is not empty";
        if (e instanceof CharacterCodingException) return "it is not a text file (binary or not UTF-8)";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason().toLowerCase(Locale.ROOT);
        String m = oneLine(e.getMessage());
        return m.isEmpty() ? "input/output error" : m;
    }

    /** The nearest existing ancestor of {@code path} (or the path itself) that is a file, not a directory; null if none. */
    public static java.nio.file.Path fileInTheWay(java.nio.file.Path path) {
        for (java.nio.file.Path d = path.toAbsolutePath(); d != null; d = d.getParent()) {
            if (java.nio.file.Files.exists(d)) return java.nio.file.Files.isDirectory(d) ? null : d;
        }
        return null;
    }
}
