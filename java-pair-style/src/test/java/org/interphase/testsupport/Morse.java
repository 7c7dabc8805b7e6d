package org.interphase.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-form multi-species Morse reference (E = 1/2 sum_i sum_j phi(r_ij) over all images),
 * with the parameters read from tests/models/morse_params.json.
 */
public final class Morse {
    public final List<String> species;
    public final double[][] d0;
    public final double[][] alpha;
    public final double[][] r0;
    public final double rc;

    public Morse(Path paramsJson) throws IOException {
        String s = Files.readString(paramsJson);
        species = List.of("Li", "P", "S", "Cl");
        int n = species.size();
        d0 = new double[n][n];
        alpha = new double[n][n];
        r0 = new double[n][n];
        Matcher rcm = Pattern.compile("\"rc\":\\s*([0-9.eE+-]+)").matcher(s);
        if (!rcm.find()) {
            throw new IOException("no rc in " + paramsJson);
        }
        rc = Double.parseDouble(rcm.group(1));
        Pattern p = Pattern.compile("\"pair\":\\s*\\[\\s*\"(\\w+)\",\\s*\"(\\w+)\"\\s*\\],\\s*\"D0\":\\s*([0-9.eE+-]+),"
                + "\\s*\"alpha\":\\s*([0-9.eE+-]+),\\s*\"r0\":\\s*([0-9.eE+-]+)");
        // the first parameter set only ("pairs"; "pairs_b" of the committee models follows "rc_b")
        int end = s.indexOf("\"rc_b\"");
        Matcher m = p.matcher(end < 0 ? s : s.substring(0, end));
        int found = 0;
        while (m.find()) {
            int a = species.indexOf(m.group(1));
            int b = species.indexOf(m.group(2));
            for (int[] ab : new int[][] {{a, b}, {b, a}}) {
                d0[ab[0]][ab[1]] = Double.parseDouble(m.group(3));
                alpha[ab[0]][ab[1]] = Double.parseDouble(m.group(4));
                r0[ab[0]][ab[1]] = Double.parseDouble(m.group(5));
            }
            found++;
        }
        if (found != n * (n + 1) / 2) {
            throw new IOException("expected " + n * (n + 1) / 2 + " pairs in " + paramsJson + ", found " + found);
        }
    }

    public double phi(int a, int b, double r) {
        double ex = Math.exp(-alpha[a][b] * (r - r0[a][b]));
        return d0[a][b] * (ex * ex - 2 * ex);
    }

    public double dphi(int a, int b, double r) {
        double ex = Math.exp(-alpha[a][b] * (r - r0[a][b]));
        return 2 * alpha[a][b] * d0[a][b] * (ex - ex * ex);
    }

    /** Energy, per-atom energy, forces, virial and per-atom virial of a periodic configuration. */
    public record Result(double energy, double[] eatom, double[] forces, double[] virial, double[] vatom) {}

    /** @param speciesOfAtom model species index of each local atom */
    public Result evaluate(double[][] h, double[] pos, int[] speciesOfAtom) {
        int n = speciesOfAtom.length;
        double[] eatom = new double[n];
        double[] f = new double[3 * n];
        double[] v = new double[6];
        double[] va = new double[6 * n];
        double e = 0;
        for (AllImages.Pair p : AllImages.pairs(h, pos, speciesOfAtom, (a, b) -> rc, rc)) {
            int a = speciesOfAtom[p.i()];
            int b = speciesOfAtom[p.j()];
            double r = p.r();
            double half = 0.5 * phi(a, b, r);
            e += half;
            eatom[p.i()] += half;
            // force on i from this directed pair: -d phi/d x_i = phi'(r) d/r (half: the pair is counted twice)
            double g = dphi(a, b, r) / r;
            f[3 * p.i()] += g * p.dx();
            f[3 * p.i() + 1] += g * p.dy();
            f[3 * p.i() + 2] += g * p.dz();
            // pair virial (counted once per unordered pair => half per directed pair): -phi'(r) d d / r
            double[] w = {p.dx() * p.dx(), p.dy() * p.dy(), p.dz() * p.dz(), p.dx() * p.dy(), p.dx() * p.dz(), p.dy() * p.dz()};
            for (int k = 0; k < 6; k++) {
                double c = -0.5 * g * w[k];
                v[k] += c;
                va[6 * p.i() + k] += c;
            }
        }
        return new Result(e, eatom, f, v, va);
    }
}
