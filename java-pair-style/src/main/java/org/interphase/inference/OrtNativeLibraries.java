package org.interphase.inference;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Gives ONNX Runtime one persistent directory of native libraries instead of its default, which
 * unpacks ~28 MB into a fresh {@code /tmp/onnxruntime-java*} folder in every JVM and removes it only
 * on an orderly JVM shutdown. A LAMMPS process never shuts its embedded JVM down, so the default
 * leaks one folder per MPI rank per run and fills {@code /tmp} on a busy machine.
 *
 * <p>Before ONNX Runtime is first touched, {@link #configure()} sets the system property
 * {@code onnxruntime.native.path} (unless the user set it) to a folder that holds the libraries of the
 * ONNX Runtime jar on the class path, unpacked once and then reused by every process. Candidate
 * parents, first usable wins: {@code -Dinterphase.ort.native.dir} (the plugin sets it to its install
 * folder), {@code $XDG_CACHE_HOME/interphase} or {@code ~/.cache/interphase}, then {@code java.io.tmpdir}.
 * The folder is named after the ONNX Runtime build and platform; concurrent ranks unpack into private
 * folders and publish with an atomic rename, so they never see a half-written library.
 *
 * <p>This class is the project's one temp-folder policy: nothing per process. Even when it loads from
 * {@code onnxruntime.native.path}, ONNX Runtime's loader creates an (empty) {@code onnxruntime-java*}
 * folder in {@code java.io.tmpdir} and leaves its removal to {@code deleteOnExit}; so {@link #configure()}
 * also initialises ONNX Runtime and removes the empty folder that initialisation made.
 */
public final class OrtNativeLibraries {
    /** The property ONNX Runtime's loader reads. */
    public static final String ORT_PATH_PROPERTY = "onnxruntime.native.path";
    /** Our property: a preferred parent folder for the unpacked libraries. */
    public static final String DIR_PROPERTY = "interphase.ort.native.dir";

    private static final String[] LIBRARIES = {
        "onnxruntime", "onnxruntime4j_jni", "onnxruntime_providers_shared",
        "onnxruntime_providers_cuda", "onnxruntime_providers_tensorrt"};
    private static final String COMPLETE = ".complete";

    private static volatile Path configured;

    private OrtNativeLibraries() {
    }

    /**
     * Points ONNX Runtime at a persistent library folder; idempotent and cheap after the first call.
     *
     * @return the folder in use, or {@code null} when the user set {@code onnxruntime.native.path}
     *     or the jar has no libraries for this platform (ONNX Runtime then loads as it would alone)
     */
    public static synchronized Path configure() {
        if (configured != null) {
            return configured;
        }
        if (System.getProperty(ORT_PATH_PROPERTY) != null) {
            return null;
        }
        String platform = platform();
        List<Resource> libs = resources(platform);
        if (libs.isEmpty()) {
            return null;
        }
        String name = key(platform, libs);
        List<String> failures = new ArrayList<>();
        for (Path parent : candidateParents()) {
            try {
                Path dir = ensureUnpacked(parent.resolve(name), libs);
                System.setProperty(ORT_PATH_PROPERTY, dir.toString());
                initialiseWithoutTempLeftovers();
                configured = dir;
                return dir;
            } catch (IOException | UncheckedIOException | SecurityException e) {
                failures.add(parent + " (" + e.getMessage() + ")");
            }
        }
        throw new IllegalStateException("cannot unpack the ONNX Runtime native libraries into any of " + failures
                + ": make one of them writable, or set -Donnxruntime.native.path=DIR (in INTERPHASE_JVM_OPTS) "
                + "to a folder holding libonnxruntime.so and libonnxruntime4j_jni.so");
    }

    private static final String ORT_TEMP_PREFIX = "onnxruntime-java";

    /**
     * Loads ONNX Runtime's native code now (its static initialiser) and removes the empty
     * {@code onnxruntime-java*} folders that appeared in {@code java.io.tmpdir} meanwhile. A folder that
     * is not empty (another process's extraction in progress) is never touched.
     */
    private static void initialiseWithoutTempLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        java.util.Set<Path> before = ortTempFolders(tmp);
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", true, OrtNativeLibraries.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the ONNX Runtime jar is not on the class path: reinstall with scripts/build-plugin.sh", e);
        } catch (ExceptionInInitializerError e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("ONNX Runtime's native libraries do not load (" + OrtMessages.reason(String.valueOf(c.getMessage()))
                    + "): reinstall with scripts/build-plugin.sh, or set -Donnxruntime.native.path=DIR in INTERPHASE_JVM_OPTS", c);
        }
        for (Path p : ortTempFolders(tmp)) {
            if (!before.contains(p)) {
                try {
                    Files.deleteIfExists(p); // fails, harmlessly, when not empty
                } catch (IOException e) {
                    // not ours, or not empty: leave it
                }
            }
        }
    }

    private static java.util.Set<Path> ortTempFolders(Path tmp) {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith(ORT_TEMP_PREFIX)).collect(java.util.stream.Collectors.toSet());
        } catch (IOException | SecurityException e) {
            return java.util.Set.of();
        }
    }

    /** ONNX Runtime's own name for this platform, e.g. {@code linux-x64}. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") ? "aarch64" : arch;
        return o + "-" + a;
    }

    private record Resource(String file, URL url, long size) {
    }

    private static List<Resource> resources(String platform) {
        List<Resource> out = new ArrayList<>();
        for (String lib : LIBRARIES) {
            String file = System.mapLibraryName(lib);
            URL url = OrtEnvironment.class.getResource("/ai/onnxruntime/native/" + platform + "/" + file);
            if (url == null) {
                continue;
            }
            try {
                URLConnection c = url.openConnection();
                c.setUseCaches(false);
                out.add(new Resource(file, url, c.getContentLengthLong()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + url + " from the ONNX Runtime jar", e);
            }
        }
        return out;
    }

    /** Folder name: ONNX Runtime build, version, platform and total library size. */
    private static String key(String platform, List<Resource> libs) {
        Package p = OrtEnvironment.class.getPackage();
        String title = p == null || p.getImplementationTitle() == null ? "onnxruntime" : p.getImplementationTitle();
        String version = p == null || p.getImplementationVersion() == null ? "unknown" : p.getImplementationVersion();
        long total = libs.stream().mapToLong(Resource::size).sum();
        return (title + "-" + version + "-" + platform + "-" + Long.toHexString(total)).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static List<Path> candidateParents() {
        List<Path> out = new ArrayList<>();
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            out.add(Path.of(dir));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            out.add(Path.of(xdg, "interphase"));
        }
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank() && !home.equals("?")) {
            out.add(Path.of(home, ".cache", "interphase"));
        }
        out.add(Path.of(System.getProperty("java.io.tmpdir"), "interphase-" + System.getProperty("user.name", "user")));
        return out;
    }

    private static boolean complete(Path dir, List<Resource> libs) {
        if (!Files.isRegularFile(dir.resolve(COMPLETE))) {
            return false;
        }
        for (Resource r : libs) {
            Path f = dir.resolve(r.file());
            try {
                if (!Files.isRegularFile(f) || (r.size() >= 0 && Files.size(f) != r.size())) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    static Path ensureUnpacked(Path dir, List<Resource> libs) throws IOException {
        if (complete(dir, libs)) {
            return dir;
        }
        Files.createDirectories(dir.getParent());
        Path staging = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".staging-");
        try {
            for (Resource r : libs) {
                try (InputStream in = r.url().openStream()) {
                    Files.copy(in, staging.resolve(r.file()));
                }
            }
            Files.createFile(staging.resolve(COMPLETE));
            if (Files.exists(dir) && !complete(dir, libs)) {
                deleteTree(dir); // a stale or half-removed folder from an older run
            }
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                // another process published first; use theirs if it is whole
                if (!complete(dir, libs)) {
                    throw new IOException("could not publish " + dir + ": " + e);
                }
            }
        } finally {
            if (Files.exists(staging)) {
                deleteTree(staging);
            }
        }
        if (!complete(dir, libs)) {
            throw new IOException("unpacked libraries in " + dir + " are incomplete");
        }
        return dir;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
