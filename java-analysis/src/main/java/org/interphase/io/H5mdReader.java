package org.interphase.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Streams frames from an H5MD file as written by LAMMPS {@code dump h5md}: per frame it reads only that
 * frame's slice of {@code /particles/<group>/position/value} [frames][N][3] (float64), the matching
 * {@code species/value} (int32 LAMMPS types; time-dependent or fixed) and {@code box/edges} (time-dependent
 * {@code value/step/time} hard-linked to position's, or a fixed [3] dataset; an [3][3] matrix of cell
 * vectors is also accepted). Periodicity comes from the {@code box} attribute {@code boundary}
 * ("periodic"/"none"). LAMMPS does not store boxlo, so positions are taken as written minus the
 * optional origin given to the constructor.
 */
public final class H5mdReader implements FrameSource {
    private final Path path;
    private final HdfFile file;
    private final TypeMap typeMap;
    private final double[] origin;
    private final Dataset position;
    private final int[] positionStep;
    private final double[] positionTime;
    private final Dataset species;          // rank 2 (time-dependent) or rank 1 (fixed)
    private final int[] speciesStep;        // null when fixed
    private final Dataset edges;            // rank 2 time-dependent [F][3], rank 1 fixed [3], rank 2 fixed [3][3]
    private final boolean edgesTimeDependent;
    private final boolean[] periodic;
    private final int frames;
    private final int natoms;
    private int next;

    /**
     * Opens the file.
     *
     * @param path    H5MD file
     * @param group   particles group name, or null to use the only one
     * @param typeMap type-to-element map
     * @param origin  boxlo to subtract from positions (3 values) or null for zero
     */
    public H5mdReader(Path path, String group, TypeMap typeMap, double[] origin) {
        this.path = path;
        this.typeMap = typeMap;
        this.origin = origin == null ? new double[3] : origin.clone();
        HdfFile f;
        try {
            f = new HdfFile(path);
        } catch (RuntimeException e) {
            throw new InputException(path + " is not a readable HDF5 file (" + oneLine(e)
                    + "): pass a LAMMPS 'dump h5md' file, or a text dump / extended XYZ file");
        }
        this.file = f;
        try {
            Node particlesNode = file.getChild("particles");
            if (!(particlesNode instanceof Group particles)) {
                throw new InputException(path + " has no /particles group, so it is not an H5MD trajectory: write it with LAMMPS 'dump h5md'");
            }
            Map<String, Node> groups = particles.getChildren();
            String gname = group;
            if (gname == null) {
                if (groups.size() != 1) {
                    throw new InputException(path + " has " + groups.size() + " particle groups " + groups.keySet()
                            + ": choose one with --group NAME");
                }
                gname = groups.keySet().iterator().next();
            }
            if (!(groups.get(gname) instanceof Group g)) {
                throw new InputException(path + " has no particle group '" + gname + "' (found " + groups.keySet() + "): fix --group");
            }
            String base = "/particles/" + gname;
            Group pos = childGroup(g, "position", base
                    + "/position is missing: write the dump with 'dump ID group h5md N file.h5 position species'");
            this.position = dataset(pos, "value", base + "/position/value");
            int[] pd = position.getDimensions();
            if (pd.length != 3 || pd[2] != 3) {
                throw new InputException(base + "/position/value has shape " + java.util.Arrays.toString(pd)
                        + ", expected [frames][N][3]: only 3-d time-dependent positions are supported");
            }
            this.positionStep = toIntArray(dataset(pos, "step", base + "/position/step").getData(), base + "/position/step");
            Object t = dataset(pos, "time", base + "/position/time").getData();
            this.positionTime = toDoubleArray(t, base + "/position/time");
            this.frames = Math.min(pd[0], Math.min(positionStep.length, positionTime.length));
            this.natoms = pd[1];

            Group sp = childGroup(g, "species", base
                    + "/species is missing, so atom types are unknown: add 'species' to the dump h5md command");
            this.species = dataset(sp, "value", base + "/species/value");
            if (species.getDimensions().length == 2) {
                this.speciesStep = toIntArray(dataset(sp, "step", base + "/species/step").getData(), base + "/species/step");
            } else {
                this.speciesStep = null;
            }
            int[] sd = species.getDimensions();
            if (sd[sd.length - 1] != natoms) {
                throw new InputException(base + "/species/value has " + sd[sd.length - 1] + " atoms but position has " + natoms
                        + ": the file is inconsistent; rewrite it");
            }

            Group box = childGroup(g, "box", base + "/box is missing: write the dump with box yes (the default)");
            this.periodic = readBoundary(box, base);
            Node e = box.getChild("edges");
            if (e instanceof Group eg) {
                this.edges = dataset(eg, "value", base + "/box/edges/value");
                this.edgesTimeDependent = true;
            } else if (e instanceof Dataset ed) {
                this.edges = ed;
                this.edgesTimeDependent = false;
            } else {
                throw new InputException(base + "/box/edges is missing: cannot build the cell; write the dump with box yes");
            }
        } catch (InputException ex) {
            closeQuietly();
            throw ex;
        } catch (RuntimeException ex) {
            closeQuietly();
            throw new InputException(path + " is a damaged or truncated HDF5 file (" + oneLine(ex) + "): rewrite it");
        }
    }

    private void closeQuietly() {
        try {
            file.close();
        } catch (RuntimeException ignored) {
            // already failing
        }
    }

    private static Group childGroup(Group g, String name, String missing) {
        Node n = g.getChild(name);
        if (n instanceof Group c) return c;
        throw new InputException(missing);
    }

    private static Dataset dataset(Group g, String name, String where) {
        Node n = g.getChild(name);
        if (n instanceof Dataset d) return d;
        throw new InputException(where + " is missing: the H5MD file is incomplete; rewrite it");
    }

    private static boolean[] readBoundary(Group box, String base) {
        boolean[] p = {true, true, true};
        Attribute a = box.getAttribute("boundary");
        if (a == null) return p;
        Object d = a.getData();
        if (d instanceof String[] s && s.length >= 3) {
            for (int i = 0; i < 3; i++) p[i] = s[i].trim().equalsIgnoreCase("periodic");
        }
        return p;
    }

    static String oneLine(Throwable e) {
        return Messages.oneLine(e);
    }

    private static int[] toIntArray(Object o, String where) {
        if (o instanceof int[] a) return a;
        if (o instanceof long[] a) {
            int[] r = new int[a.length];
            for (int i = 0; i < a.length; i++) r[i] = (int) a[i];
            return r;
        }
        throw new InputException(where + " is not a 1-d integer dataset: the H5MD file is not from LAMMPS dump h5md");
    }

    private static double[] toDoubleArray(Object o, String where) {
        if (o instanceof double[] a) return a;
        if (o instanceof float[] a) {
            double[] r = new double[a.length];
            for (int i = 0; i < a.length; i++) r[i] = a[i];
            return r;
        }
        throw new InputException(where + " is not a 1-d float dataset: the H5MD file is not from LAMMPS dump h5md");
    }

    @Override
    public long frameCountHint() {
        return frames;
    }

    @Override
    public String description() {
        return path + " (H5MD)";
    }

    /** Number of atoms per frame. */
    public int atoms() {
        return natoms;
    }

    @Override
    public Frame next() {
        if (next >= frames) return null;
        int f = next++;
        if (natoms == 0) { // before any slicing: jhdf cannot slice an empty dataset
            throw new InputException(path + ": frame " + f + " (step " + positionStep[f] + ") has zero atoms: nothing to analyse; dump a non-empty group");
        }
        try {
            double[] x = FrameSlices.doubles(position, f);
            for (int i = 0; i < natoms; i++) {
                x[3 * i] -= origin[0];
                x[3 * i + 1] -= origin[1];
                x[3 * i + 2] -= origin[2];
            }
            int[] types = readSpecies(f);
            Box box = readBox(f);
            String[] el = typeMap.apply(types, path + " frame " + f);
            return new Frame(positionStep[f], positionTime[f], box, x, types, el);
        } catch (InputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InputException(path + ": cannot read frame " + f + ", the file is damaged or truncated (" + oneLine(e) + "): rewrite it");
        }
    }

    private int[] readSpecies(int f) {
        Object s;
        if (speciesStep == null) {
            s = species.getData();
        } else {
            int idx = -1;
            int step = positionStep[f];
            int count = Math.min(species.getDimensions()[0], speciesStep.length);
            for (int k = 0; k < count; k++) {
                if (speciesStep[k] <= step) idx = k;
            }
            if (idx < 0) {
                throw new InputException(path + ": no species data at or before step " + step + ": write species with every frame");
            }
            return FrameSlices.ints(species, idx);
        }
        return toIntArray(s, path + " species/value");
    }

    private Box readBox(int f) {
        double[] h = new double[9];
        if (edgesTimeDependent) {
            int[] d = edges.getDimensions();
            if (d.length == 2) {
                double[] e = FrameSlices.doubles(edges, f);
                h[0] = e[0];
                h[4] = e[1];
                h[8] = e[2];
            } else {
                double[] v = FrameSlices.doubles(edges, f);
                System.arraycopy(v, 0, h, 0, 9);
            }
        } else {
            Object m = edges.getData();
            if (m instanceof double[] e && e.length == 3) {
                h[0] = e[0];
                h[4] = e[1];
                h[8] = e[2];
            } else if (m instanceof double[][] v) {
                for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) h[3 * r + c] = v[r][c];
            } else {
                throw new InputException(path + ": box/edges has an unsupported shape: expected [3] or [3][3] float64");
            }
        }
        return new Box(h, periodic);
    }

    @Override
    public void close() throws IOException {
        closeQuietly();
    }
}
