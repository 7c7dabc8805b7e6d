package org.interphase.descriptors.soap;

/**
 * The sizes every {@link RadialBasis} has: n_max radial functions for each l = 0..l_max, evaluated into
 * (l_max + 1) * n_max values.
 */
abstract class SizedRadialBasis implements RadialBasis {
    /** Number of radial functions n_max. */
    protected final int nMax;
    /** Largest angular degree l_max. */
    protected final int lMax;

    SizedRadialBasis(int nMax, int lMax) {
        this.nMax = nMax;
        this.lMax = lMax;
    }

    @Override
    public final int nMax() {
        return nMax;
    }

    @Override
    public final int lMax() {
        return lMax;
    }
}
