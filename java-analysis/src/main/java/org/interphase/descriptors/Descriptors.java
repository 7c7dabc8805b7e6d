package org.interphase.descriptors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

/**
 * THE registry of the clustered descriptors, in feature order: each entry makes its descriptor when the options ask
 * for it. A new descriptor is one {@link Descriptor} class and one line in the table below (plus its option in
 * {@link DescriptorOptions} and the CLI when it is optional).
 */
public final class Descriptors {
    /** Makes one kind of descriptor for the analysed elements, or nothing when the options leave it out. */
    @FunctionalInterface
    public interface Factory {
        Optional<Descriptor> create(DescriptorOptions options, List<String> elements);
    }

    /** Steinhardt orders of the cheap descriptors. */
    static final int[] STEINHARDT_L = {4, 6};

    private static final List<Factory> REGISTRY = List.of(
            (o, el) -> Optional.of(new CentreSpecies(el)),
            (o, el) -> Optional.of(new CoordinationNumbers(el, o.cnOn(), o.cnCut())),
            (o, el) -> Optional.of(new Steinhardt(STEINHARDT_L, o.qOn(), o.qCut())),
            (o, el) -> Optional.ofNullable(o.soap()).map(p -> new Soap(p.withSpecies(el))),
            (o, el) -> Optional.ofNullable(o.latent()).map(model -> LatentFeatures.forElements(model, el)));

    private Descriptors() {
    }

    /**
     * The descriptors the options ask for, for these elements, as one feature computer. Close it: it owns
     * descriptors that hold resources (the latent model's session).
     *
     * @param pool pool of the per-centre descriptors
     */
    public static FeatureComputer open(DescriptorOptions options, List<String> elements, ForkJoinPool pool) {
        List<Descriptor> ds = new ArrayList<>();
        try {
            for (Factory f : REGISTRY) f.create(options, elements).ifPresent(ds::add);
        } catch (RuntimeException e) {
            FeatureComputer.closeAll(ds);
            throw e;
        }
        return new FeatureComputer(ds, pool);
    }
}
