package org.interphase.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads committed test fixtures from the classpath. */
public final class Fixtures {
    private Fixtures() {
    }

    /** Copies a classpath resource to a temporary file. */
    public static Path copy(String resource, Path dir) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            Path p = dir.resolve(Path.of(resource).getFileName().toString());
            Files.copy(in, p);
            return p;
        }
    }

    /** Lines of a classpath resource. */
    public static List<String> lines(String resource) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("missing test resource " + resource);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** Numeric CSV body (header skipped). */
    public static double[][] csv(String resource) throws IOException {
        List<String> l = lines(resource);
        List<double[]> rows = new ArrayList<>();
        for (String s : l.subList(1, l.size())) {
            if (s.isBlank()) continue;
            String[] t = s.split(",");
            double[] r = new double[t.length];
            for (int i = 0; i < t.length; i++) r[i] = Double.parseDouble(t[i]);
            rows.add(r);
        }
        return rows.toArray(double[][]::new);
    }
}
