package org.interphase.penetration;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The slab layout of a cell written by {@code interphase build-cell}, read from its {@code .properties} side file.
 *
 * @param metalZlo       z of the lowest Li plane of the metal slab as built (A, from boxlo)
 * @param metalZhi       z of the highest Li plane
 * @param electrolyteZlo z of the lowest electrolyte atom
 * @param electrolyteZhi z of the highest electrolyte atom
 * @param lz             box height
 * @param gap            interlayer gap; the interface planes are mid-gap
 * @param metalAtoms     metal atoms have ids 1..metalAtoms
 * @param atoms          total atoms
 */
public record CellGeometry(double metalZlo, double metalZhi, double electrolyteZlo, double electrolyteZhi, double lz,
                           double gap, int metalAtoms, int atoms) {

    /** Reads FILE (Java properties as written by build-cell). @throws IOException one-line cause */
    public static CellGeometry read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IOException("cell file " + file + " does not exist: pass the .properties file that build-cell wrote next to the data file");
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof IOException io ? org.interphase.io.Messages.ioCause(io) : "it is not a properties file";
            throw new IOException("cannot read cell file " + file + ": " + why + ": pass the .properties file that build-cell wrote");
        }
        try {
            String ids = req(p, "metal_ids", file);
            int nMetal = Integer.parseInt(ids.substring(ids.indexOf(':') + 1).trim());
            return new CellGeometry(d(p, "metal_zlo", file), d(p, "metal_zhi", file), d(p, "electrolyte_zlo", file),
                    d(p, "electrolyte_zhi", file), d(p, "lz", file), d(p, "gap", file), nMetal,
                    Integer.parseInt(req(p, "atoms", file).trim()));
        } catch (NumberFormatException e) {
            throw new IOException("cell file " + file + " has a malformed number (" + e.getMessage() + "): rewrite it with interphase build-cell");
        }
    }

    private static double d(Properties p, String key, Path f) throws IOException {
        return Double.parseDouble(req(p, key, f).trim());
    }

    private static String req(Properties p, String key, Path f) throws IOException {
        String v = p.getProperty(key);
        if (v == null) throw new IOException("cell file " + f + " has no '" + key + "': pass the .properties file written by interphase build-cell");
        return v;
    }
}
