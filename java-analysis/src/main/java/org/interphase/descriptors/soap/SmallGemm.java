package org.interphase.descriptors.soap;

/**
 * C = A^T B (or C += A^T B) for the small, strided matrices of the SOAP inner loops, with a 2x4 register tile:
 * each pass over the reduction index loads 6 values for 8 multiply-adds instead of re-reading and re-writing C.
 * Element (i, j) of the result is sum_t a[aOff + t*aStride + i] * b[bOff + t*bStride + j].
 */
public final class SmallGemm {
    private SmallGemm() {
    }

    /**
     * @param k          reduction length
     * @param m          rows of C (columns of A)
     * @param n          columns of C (columns of B)
     * @param accumulate add to C instead of overwriting it
     * @param upper      only entries with j &gt;= i are needed (others may or may not be written)
     */
    public static void atb(double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, int k, int m, int n,
            double[] c, int cOff, int cStride, boolean accumulate, boolean upper) {
        int i = 0;
        for (; i + 1 < m; i += 2) {
            int j = upper ? (i & ~3) : 0;
            for (; j + 3 < n; j += 4) {
                double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
                int pa = aOff + i, pb = bOff + j;
                for (int t = 0; t < k; t++, pa += aStride, pb += bStride) {
                    double a0 = a[pa], a1 = a[pa + 1];
                    double b0 = b[pb], b1 = b[pb + 1], b2 = b[pb + 2], b3 = b[pb + 3];
                    c00 += a0 * b0;
                    c01 += a0 * b1;
                    c02 += a0 * b2;
                    c03 += a0 * b3;
                    c10 += a1 * b0;
                    c11 += a1 * b1;
                    c12 += a1 * b2;
                    c13 += a1 * b3;
                }
                int r0 = cOff + i * cStride + j;
                store4(c, r0, accumulate, c00, c01, c02, c03);
                store4(c, r0 + cStride, accumulate, c10, c11, c12, c13);
            }
            for (; j < n; j++) {
                double c0 = 0, c1 = 0;
                int pa = aOff + i, pb = bOff + j;
                for (int t = 0; t < k; t++, pa += aStride, pb += bStride) {
                    double bv = b[pb];
                    c0 += a[pa] * bv;
                    c1 += a[pa + 1] * bv;
                }
                int r0 = cOff + i * cStride + j;
                if (accumulate) {
                    c[r0] += c0;
                    c[r0 + cStride] += c1;
                } else {
                    c[r0] = c0;
                    c[r0 + cStride] = c1;
                }
            }
        }
        for (; i < m; i++) {
            int j = upper ? (i & ~3) : 0;
            for (; j + 3 < n; j += 4) {
                double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
                int pa = aOff + i, pb = bOff + j;
                for (int t = 0; t < k; t++, pa += aStride, pb += bStride) {
                    double av = a[pa];
                    c0 += av * b[pb];
                    c1 += av * b[pb + 1];
                    c2 += av * b[pb + 2];
                    c3 += av * b[pb + 3];
                }
                store4(c, cOff + i * cStride + j, accumulate, c0, c1, c2, c3);
            }
            for (; j < n; j++) {
                double s = 0;
                int pa = aOff + i, pb = bOff + j;
                for (int t = 0; t < k; t++, pa += aStride, pb += bStride) s += a[pa] * b[pb];
                int r = cOff + i * cStride + j;
                if (accumulate) {
                    c[r] += s;
                } else {
                    c[r] = s;
                }
            }
        }
    }

    /** Writes (or with {@code accumulate} adds) v0..v3 to c[r..r+3]. */
    private static void store4(double[] c, int r, boolean accumulate, double v0, double v1, double v2, double v3) {
        if (accumulate) {
            c[r] += v0;
            c[r + 1] += v1;
            c[r + 2] += v2;
            c[r + 3] += v3;
        } else {
            c[r] = v0;
            c[r + 1] = v1;
            c[r + 2] = v2;
            c[r + 3] = v3;
        }
    }
}
