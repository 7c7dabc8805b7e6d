package org.interphase.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations in the repository (system property interphase.repo, set by the pom). */
public final class Repo {
    private Repo() {}

    public static Path root() {
        String p = System.getProperty("interphase.repo");
        Path root = p != null ? Path.of(p) : Path.of("..");
        root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("native-bridge"))) {
            throw new IllegalStateException("repository root not found at " + root + ": run the tests through Maven");
        }
        return root;
    }

    /** tests/models/NAME; fails with the fix when the generated models are missing. */
    public static Path model(String name) {
        Path m = root().resolve("tests/models").resolve(name);
        if (!Files.isRegularFile(m)) {
            throw new IllegalStateException("missing test model " + m
                    + ": run '.venv/bin/python tests/models/make_analytic_models.py'");
        }
        return m;
    }
}
