package org.interphase.clustering;

/** Small vector helpers. */
final class Distances {
    private Distances() {
    }

    static double sq(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            s += d * d;
        }
        return s;
    }
}
