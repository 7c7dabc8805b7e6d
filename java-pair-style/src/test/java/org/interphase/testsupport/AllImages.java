package org.interphase.testsupport;

import java.util.ArrayList;
import java.util.List;

/** Brute-force O(N^2 * images) reference: every pair (i, j, image) of local atoms within a cutoff. */
public final class AllImages {
    private AllImages() {}

    /** A directed pair: centre i, neighbour j (local indices), d = x_j + image - x_i. */
    public record Pair(int i, int j, double dx, double dy, double dz) {
        public double r() {
            return Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
    }

    public interface Cutoff {
        double of(int typeI, int typeJ);
    }

    /** All directed pairs with |d| below cut(type_i, type_j). */
    public static List<Pair> pairs(double[][] h, double[] pos, int[] types, Cutoff cut, double maxCut) {
        int n = types.length;
        int m = (int) Math.ceil(maxCut / FakeLammps.minWidth(h)) + 1;
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double rc = cut.of(types[i], types[j]);
                for (int n0 = -m; n0 <= m; n0++) {
                    for (int n1 = -m; n1 <= m; n1++) {
                        for (int n2 = -m; n2 <= m; n2++) {
                            if (i == j && n0 == 0 && n1 == 0 && n2 == 0) {
                                continue;
                            }
                            double dx = pos[3 * j] + n0 * h[0][0] + n1 * h[1][0] + n2 * h[2][0] - pos[3 * i];
                            double dy = pos[3 * j + 1] + n0 * h[0][1] + n1 * h[1][1] + n2 * h[2][1] - pos[3 * i + 1];
                            double dz = pos[3 * j + 2] + n0 * h[0][2] + n1 * h[1][2] + n2 * h[2][2] - pos[3 * i + 2];
                            if (dx * dx + dy * dy + dz * dz < rc * rc) {
                                out.add(new Pair(i, j, dx, dy, dz));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

}
