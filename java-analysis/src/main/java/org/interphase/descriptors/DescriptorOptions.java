package org.interphase.descriptors;

import java.nio.file.Path;

/**
 * The descriptor options of {@code interphase analyze} and {@code interphase select}, read by the factories of
 * {@link Descriptors}.
 *
 * @param cnOn   coordination switching start (A)
 * @param cnCut  coordination cutoff (A)
 * @param qOn    Steinhardt switching start (A); == qCut for the standard hard cutoff
 * @param qCut   Steinhardt cutoff (A)
 * @param soap   SOAP parameters (species are replaced by the analysed elements), or null for no SOAP
 * @param latent ONNX model whose node_latent features to add, or null
 */
public record DescriptorOptions(double cnOn, double cnCut, double qOn, double qCut, SoapParameters soap, Path latent) {

    /** Only the cheap descriptors, with these coordination and Steinhardt cutoffs. */
    public static DescriptorOptions cheap(double cnOn, double cnCut, double qOn, double qCut) {
        return new DescriptorOptions(cnOn, cnCut, qOn, qCut, null, null);
    }
}
