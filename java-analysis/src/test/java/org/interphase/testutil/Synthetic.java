package org.interphase.testutil;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Synthetic two-slab cell for tests: a bcc Li slab (a = 3.51 A along z, laterally strained to 5.13*4/6 A) and a
 * rock-salt LiCl slab (a = 5.13 A) stacked along z, periodic, every atom rattled by a Gaussian (sigma 0.08 A).
 * The truth label of each atom is the slab it was placed in.
 */
public final class Synthetic {
    /** Atoms of the cell. */
    public record Cell(double lx, double ly, double lz, List<String> elements, List<double[]> positions, List<String> truth) {
    }

    private Synthetic() {
    }

    /** Builds the cell with nLi bcc cells and nCl rock-salt cells along z and nLat rock-salt cells laterally. */
    public static Cell liLiCl(int nLat, int nLi, int nCl, double sigma, long seed) {
        double aCl = 5.13, aLiZ = 3.51;
        double lat = nLat * aCl;
        int nLiLat = (int) Math.round(lat / 3.51);
        double aLiLat = lat / nLiLat;
        double gap = 2.6;
        double zLi = nLi * aLiZ, zCl = nCl * aCl;
        double lz = zLi + gap + zCl + gap;
        Random r = new Random(seed);
        List<String> el = new ArrayList<>();
        List<double[]> pos = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        for (int i = 0; i < nLiLat; i++) for (int j = 0; j < nLiLat; j++) for (int k = 0; k < nLi; k++) {
            for (double[] b : new double[][] {{0, 0, 0}, {0.5, 0.5, 0.5}}) {
                el.add("Li");
                pos.add(new double[] {(i + b[0]) * aLiLat + sigma * r.nextGaussian(), (j + b[1]) * aLiLat + sigma * r.nextGaussian(),
                        (k + b[2]) * aLiZ + sigma * r.nextGaussian()});
                truth.add("Li");
            }
        }
        double z0 = zLi + gap;
        double[][] fcc = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
        for (int i = 0; i < nLat; i++) for (int j = 0; j < nLat; j++) for (int k = 0; k < nCl; k++) {
            for (double[] f : fcc) {
                for (int s = 0; s < 2; s++) {
                    double o = s == 0 ? 0 : 0.5;
                    el.add(s == 0 ? "Cl" : "Li");
                    pos.add(new double[] {(i + f[0] + o) * aCl + sigma * r.nextGaussian(), (j + f[1]) * aCl + sigma * r.nextGaussian(),
                            z0 + (k + f[2]) * aCl + 0.25 * aCl * 0 + sigma * r.nextGaussian()});
                    truth.add("LiCl");
                }
            }
        }
        for (double[] p : pos) {
            p[0] = ((p[0] % lat) + lat) % lat;
            p[1] = ((p[1] % lat) + lat) % lat;
            p[2] = ((p[2] % lz) + lz) % lz;
        }
        return new Cell(lat, lat, lz, el, pos, truth);
    }

    /** Writes nFrames rattled copies (different seeds) as extended XYZ. */
    public static void writeExtXyz(Path file, int nLat, int nLi, int nCl, int nFrames, double sigma) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (int f = 0; f < nFrames; f++) {
                Cell c = liLiCl(nLat, nLi, nCl, sigma, 100 + f);
                w.write(c.elements().size() + "\n");
                w.write(String.format(Locale.ROOT, "Lattice=\"%.6f 0 0 0 %.6f 0 0 0 %.6f\" Properties=species:S:1:pos:R:3 Time=%.1f step=%d pbc=\"T T T\"%n",
                        c.lx(), c.ly(), c.lz(), f * 0.5, f * 500));
                for (int i = 0; i < c.elements().size(); i++) {
                    double[] p = c.positions().get(i);
                    w.write(String.format(Locale.ROOT, "%s %.6f %.6f %.6f%n", c.elements().get(i), p[0], p[1], p[2]));
                }
            }
        }
    }

    /** Writes a demo file: args = path [frames]. */
    public static void main(String[] args) throws IOException {
        writeExtXyz(Path.of(args[0]), 4, 8, 5, args.length > 1 ? Integer.parseInt(args[1]) : 3, 0.08);
    }
}
