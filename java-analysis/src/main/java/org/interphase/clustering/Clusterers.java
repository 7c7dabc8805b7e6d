package org.interphase.clustering;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * THE registry of clustering methods: CLI name to factory. The CLI takes its {@code --method} values and their
 * validation from here. A new method is one {@link Clusterer} class and one line in the table below.
 */
public final class Clusterers {
    /** Makes a method's clusterer from the options. */
    @FunctionalInterface
    public interface Factory {
        /** The clusterer for these options and seed. */
        Clusterer create(ClusteringOptions options, long seed);
    }

    private static final Map<String, Factory> METHODS = new LinkedHashMap<>();

    static {
        METHODS.put(KMeansClusterer.NAME, (o, seed) -> new KMeansClusterer(o.kChoice(), seed));
        METHODS.put(GaussianMixtureClusterer.NAME, (o, seed) -> new GaussianMixtureClusterer(o.kChoice(), seed));
        METHODS.put(HdbscanClusterer.NAME, (o, seed) -> new HdbscanClusterer(o.minClusterSize()));
        METHODS.put(DensityPeaksClusterer.NAME, (o, seed) -> new DensityPeaksClusterer(o.dpc()));
        METHODS.put(AdvancedDensityPeaksClusterer.NAME, (o, seed) -> new AdvancedDensityPeaksClusterer(o.adp()));
    }

    private Clusterers() {
    }

    /** The CLI names of all methods, in registration order. */
    public static List<String> names() {
        return List.copyOf(METHODS.keySet());
    }

    /** The registered name that equals {@code name} ignoring case, if any. */
    public static Optional<String> lookup(String name) {
        if (name == null) return Optional.empty();
        String n = name.toLowerCase(Locale.ROOT);
        return METHODS.containsKey(n) ? Optional.of(n) : Optional.empty();
    }

    /**
     * The clusterer of {@code options.method()}.
     *
     * @throws IllegalArgumentException for a method that is not registered
     */
    public static Clusterer create(ClusteringOptions options, long seed) {
        Factory f = lookup(options.method()).map(METHODS::get).orElseThrow(() -> new IllegalArgumentException(
                "unknown clustering method '" + options.method() + "': use one of " + String.join(", ", names())));
        return f.create(options, seed);
    }
}
