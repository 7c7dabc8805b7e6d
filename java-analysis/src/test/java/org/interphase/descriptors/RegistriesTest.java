package org.interphase.descriptors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.interphase.clustering.Clusterers;
import org.junit.jupiter.api.Test;

/** The descriptor and clustering registries, and the weights from the declared feature groups. */
class RegistriesTest {
    private static final List<String> EL = List.of("Li", "P", "S", "Cl");

    @Test
    void cheapOnlyIsUnweightedAndSoapIsBalancedAgainstTheCheapBlock() {
        FeatureComputer cheap = Descriptors.open(DescriptorOptions.cheap(3.2, 3.7, 3.2, 3.7), EL, ForkJoinPool.commonPool());
        assertEquals(10, cheap.count(FeatureGroup.CHEAP));
        assertNull(FeatureWeights.of(cheap));
        SoapParameters soap = SoapParameters.of(4.0, 2, 2, 0.5, "gto", EL);
        FeatureComputer withSoap = Descriptors.open(new DescriptorOptions(3.2, 3.7, 3.2, 3.7, soap, null), EL, ForkJoinPool.commonPool());
        int d = withSoap.dimension();
        double[] expected = new double[d];
        Arrays.fill(expected, 1.0);
        for (int k = 10; k < d; k++) expected[k] = Math.sqrt(10.0 / (d - 10));
        assertArrayEquals(expected, FeatureWeights.of(withSoap));
        assertEquals(d - 10, withSoap.count(FeatureGroup.SOAP));
        assertEquals(Soap.PREFIX + "Li-Li_l0_n0_n0", withSoap.featureNames().get(10));
    }

    @Test
    void clusteringMethodsAreRegisteredByTheirCliNames() {
        assertEquals(List.of("kmeans", "gmm", "hdbscan", "dpc", "adp"), Clusterers.names());
        assertEquals("hdbscan", Clusterers.lookup("HDBSCAN").orElseThrow());
    }
}
