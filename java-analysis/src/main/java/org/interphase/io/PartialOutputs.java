package org.interphase.io;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Partial outputs (temporary files and staging directories) that must not outlive the process.
 *
 * <p>While a path is registered, a JVM shutdown hook deletes it when the process ends before the owner
 * unregistered it: SIGINT (Ctrl-C), SIGTERM (batch time limits, {@code timeout}) and {@code System.exit} all run
 * the hook. SIGKILL cannot be caught; for it, {@link #name} puts the owner's process id into every partial
 * name and {@link #sweep} removes the partial outputs of processes that no longer run, which every later run
 * into the same directory does before it writes.
 */
public final class PartialOutputs {
    private static final Set<Path> LIVE = new LinkedHashSet<>();
    private static final Set<Path> EMPTY_ONLY = new LinkedHashSet<>();
    private static final java.util.regex.Pattern OWNER = java.util.regex.Pattern.compile("\\.?(\\d+)(?:-\\d+)?");
    private static boolean hooked;

    private PartialOutputs() {
    }

    /** {@code prefix + pid + "-"}: the start of the name of a partial output owned by this process. */
    public static String name(String prefix) {
        return prefix + ProcessHandle.current().pid() + "-";
    }

    /** Deletes {@code path} (a file or a whole directory tree) if the process ends while it is registered. */
    public static synchronized void register(Path path) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(PartialOutputs::onExit, "interphase-partial-outputs"));
            hooked = true;
        }
        LIVE.add(path.toAbsolutePath());
    }

    /**
     * Like {@link #register}, for a directory the run created: it is removed at an interruption only if it is empty
     * once the registered partial outputs inside it are gone.
     */
    public static synchronized void registerCreatedDirectory(Path dir) {
        register(dir);
        EMPTY_ONLY.add(dir.toAbsolutePath());
    }

    /** The owner finished with {@code path} (moved into place or deleted it). */
    public static synchronized void unregister(Path path) {
        LIVE.remove(path.toAbsolutePath());
        EMPTY_ONLY.remove(path.toAbsolutePath());
    }

    private static void onExit() {
        List<Path> left;
        Set<Path> emptyOnly;
        synchronized (PartialOutputs.class) {
            left = new ArrayList<>(LIVE);
            emptyOnly = new LinkedHashSet<>(EMPTY_ONLY);
            LIVE.clear();
            EMPTY_ONLY.clear();
        }
        if (left.isEmpty()) return;
        List<String> removed = new ArrayList<>();
        for (Path p : left) {
            if (emptyOnly.contains(p)) {
                try {
                    Files.deleteIfExists(p); // fails, as it should, when anything else is inside
                } catch (IOException | SecurityException e) {
                    continue;
                }
            }
            // the interrupted thread may still be writing: retry until the tree is gone
            for (int attempt = 0; attempt < 20 && Files.exists(p, LinkOption.NOFOLLOW_LINKS); attempt++) deleteTree(p);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) removed.add(p.toString());
        }
        if (removed.isEmpty()) return;
        PrintStream err = System.err;
        err.println("interphase: interrupted: removed the partial output " + String.join(", ", removed));
        err.flush();
    }

    /**
     * Removes the partial outputs in {@code dir} named {@code prefix [.]<pid>-<random> suffix} ({@link #name})
     * whose process no longer runs; older names {@code prefix <random> suffix} are removed too, since no process
     * has such an id. Returns how many were removed.
     *
     * @param suffix the end of the names (e.g. ".tmp"), or "" for any
     */
    public static int sweep(Path dir, String prefix, String suffix) {
        int n = 0;
        if (dir == null || !Files.isDirectory(dir)) return 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (!f.startsWith(prefix) || !f.endsWith(suffix) || f.length() <= prefix.length() + suffix.length()) continue;
                // this version: [.]<pid>-<random>; older versions: <random> (no process has such an id)
                java.util.regex.Matcher m = OWNER.matcher(f.substring(prefix.length(), f.length() - suffix.length()));
                if (!m.matches()) continue;
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException tooLong) {
                    pid = -1;
                }
                if (pid == ProcessHandle.current().pid() || pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                deleteTree(p);
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) n++;
            }
        } catch (IOException | SecurityException e) {
            // an unreadable directory: the run itself will report it when it writes there
        }
        return n;
    }

    /** Deletes a file or directory tree, best effort (never follows symbolic links). */
    public static void deleteTree(Path p) {
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path c : ds) deleteTree(c);
                }
            }
            Files.deleteIfExists(p);
        } catch (IOException | SecurityException e) {
            // best effort: the caller checks whether the path is gone
        }
    }
}
