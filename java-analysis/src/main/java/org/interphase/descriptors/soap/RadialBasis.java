package org.interphase.descriptors.soap;

/**
 * Radial part of the SOAP density expansion, with the Gaussian smearing already integrated.
 *
 * <p>For one neighbour at distance r and direction u the coefficient contribution is
 * {@code c_nlm += R_nl(r) * Y_lm(u)} with real orthonormal spherical harmonics Y_lm, where
 * R_nl(r) = 4 pi * integral_0^inf r'^2 g_nl(r') exp(-eta (r'^2 + r^2)) i_l(2 eta r r') dr'
 * (i_l the modified spherical Bessel function of the first kind, eta = 1/(2 sigma^2)). This is the
 * expansion of an unnormalised Gaussian exp(-eta |x - r_j|^2) per atom, as in dscribe 2.1.
 * Implementations are immutable and thread-safe.
 */
public interface RadialBasis {
    /** Number of radial functions n_max. */
    int nMax();

    /** Largest angular degree l_max. */
    int lMax();

    /**
     * Writes R_nl(r) for l = 0..l_max, n = 0..n_max-1 into {@code out[l * nMax() + n]}. For r^2 &lt;= 1e-12
     * (an atom on the centre) only l = 0 is non-zero.
     */
    void evaluate(double r, double[] out);
}
