package org.interphase.descriptors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.interphase.io.Box;
import org.interphase.io.Frame;

/** Reads the dscribe SOAP fixtures written by src/test/python/make_soap_fixtures.py. */
final class SoapFixtures {
    private SoapFixtures() {
    }

    /** One value file: parameters, structure and reference rows. */
    record Case(String file, String structure, SoapParameters params, boolean periodic, int[] centres, double[][] values) {
    }

    static List<String> lines(String resource) {
        InputStream in = SoapFixtures.class.getResourceAsStream("/soap/" + resource);
        if (in == null) throw new IllegalStateException("missing test resource soap/" + resource + ": run make_soap_fixtures.py");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> out = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) out.add(line.strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> manifest() {
        return lines("MANIFEST.txt");
    }

    static Frame structure(String name) {
        return parseStructure(lines("structures/" + name + ".txt"));
    }

    /** A structure in the fixtures' plain-text format (blank and comment lines already removed). */
    static Frame parseStructure(List<String> l) {
        int i = 0;
        double[] h = new double[9];
        boolean[] pbc = new boolean[3];
        int natoms = -1;
        while (natoms < 0) {
            String line = l.get(i++);
            if (line.equals("cell")) {
                for (int row = 0; row < 3; row++) {
                    String[] t = l.get(i++).split("\\s+");
                    for (int c = 0; c < 3; c++) h[3 * row + c] = Double.parseDouble(t[c]);
                }
            } else if (line.startsWith("pbc ")) {
                String[] t = line.split("\\s+");
                for (int d = 0; d < 3; d++) pbc[d] = t[d + 1].equals("T");
            } else if (line.startsWith("natoms ")) {
                natoms = Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        double[] pos = new double[3 * natoms];
        int[] types = new int[natoms];
        String[] elements = new String[natoms];
        Map<String, Integer> typeOf = new LinkedHashMap<>();
        for (int a = 0; a < natoms; a++) {
            String[] t = l.get(i++).split("\\s+");
            elements[a] = t[0];
            types[a] = typeOf.computeIfAbsent(t[0], k -> typeOf.size() + 1);
            for (int d = 0; d < 3; d++) pos[3 * a + d] = Double.parseDouble(t[d + 1]);
        }
        return new Frame(0, 0.0, new Box(h, pbc), pos, types, elements);
    }

    static Case load(String file) {
        List<String> l = lines("values/" + file);
        Map<String, String> head = new HashMap<>();
        List<int[]> centres = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (String line : l) {
            String[] t = line.split("\\s+", 2);
            if (t[0].equals("centre")) {
                String[] v = t[1].split("\\s+");
                double[] row = new double[v.length - 1];
                for (int k = 1; k < v.length; k++) row[k - 1] = Double.parseDouble(v[k]);
                centres.add(new int[] {Integer.parseInt(v[0])});
                rows.add(row);
            } else {
                head.put(t[0], t[1]);
            }
        }
        SoapParameters p = SoapParameters.of(Double.parseDouble(head.get("r_cut")), Integer.parseInt(head.get("n_max")),
                Integer.parseInt(head.get("l_max")), Double.parseDouble(head.get("sigma")), head.get("rbf"),
                List.of(head.get("species").split("\\s+")));
        int dim = Integer.parseInt(head.get("dimension"));
        for (double[] row : rows) {
            if (row.length != dim) throw new IllegalStateException(file + ": row has " + row.length + " values, expected " + dim);
        }
        return new Case(file, head.get("structure"), p, Boolean.parseBoolean(head.get("periodic")),
                centres.stream().mapToInt(c -> c[0]).toArray(), rows.toArray(new double[0][]));
    }
}
