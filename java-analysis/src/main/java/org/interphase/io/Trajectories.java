package org.interphase.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a trajectory file, detecting its format from its first bytes. */
public final class Trajectories {
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private Trajectories() {
    }

    /** Supported formats. */
    public enum Format { AUTO, H5MD, LAMMPS, EXTXYZ, DATA }

    /**
     * Opens {@code path}.
     *
     * @param format  forced format or AUTO
     * @param typeMap type map (required for H5MD and LAMMPS dumps without element column)
     * @param group   H5MD particles group or null
     * @param origin  H5MD boxlo or null
     */
    public static FrameSource open(Path path, Format format, TypeMap typeMap, String group, double[] origin) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new InputException(path + " does not exist or is not a file: check the DUMP path");
        }
        Format f = format == Format.AUTO ? detect(path) : format;
        if (format != Format.AUTO && format != Format.H5MD && isBinary(path)) {
            String what = isHdf5(path) ? "an HDF5 file" : "a binary file";
            throw new InputException(path + " is " + what + ", not a " + format.name() + " text file: drop --format "
                    + format.name() + " (the format is detected)" + (isHdf5(path) ? " or use --format H5MD" : ""));
        }
        return switch (f) {
            case H5MD -> {
                if (typeMap == null) {
                    throw new InputException("H5MD files store LAMMPS type ids only: pass --types Li,P,S,Cl or --data FILE.data");
                }
                yield new H5mdReader(path, group, typeMap, origin);
            }
            case LAMMPS -> new LammpsDumpReader(path, typeMap);
            case EXTXYZ -> new ExtXyzReader(path, typeMap);
            case DATA -> new LammpsDataReader(path, typeMap);
            case AUTO -> throw new IllegalStateException();
        };
    }

    private static byte[] head(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(512);
        }
    }

    private static boolean isHdf5(Path path) throws IOException {
        byte[] h = head(path);
        if (h.length < 8) return false;
        for (int i = 0; i < 8; i++) if (h[i] != HDF5[i]) return false;
        return true;
    }

    /** HDF5 signature or NUL bytes in the first 512 bytes: no text reader can read it. */
    private static boolean isBinary(Path path) throws IOException {
        if (isHdf5(path)) return true;
        for (byte b : head(path)) if (b == 0) return true;
        return false;
    }

    /** Detects the format from the first bytes. */
    public static Format detect(Path path) throws IOException {
        byte[] head = new byte[512];
        int len;
        try (InputStream in = Files.newInputStream(path)) {
            len = in.readNBytes(head, 0, head.length);
        }
        if (len == 0) throw new InputException(path + " is empty: pass a non-empty trajectory");
        if (len >= 8) {
            boolean h5 = true;
            for (int i = 0; i < 8; i++) h5 &= head[i] == HDF5[i];
            if (h5) return Format.H5MD;
        }
        String s = new String(head, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (s.startsWith("ITEM:")) return Format.LAMMPS;
        String first = s.strip().split("\\R", 2)[0].trim();
        if (first.matches("\\d+")) return Format.EXTXYZ;
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".data") || s.matches("(?s).*\\n\\s*\\d+\\s+atoms\\s*\\n.*")) return Format.DATA;
        if (name.endsWith(".h5") || name.endsWith(".h5md") || name.endsWith(".hdf5")) {
            throw new InputException(path + " is not an HDF5 file (no HDF5 signature): pass a file written by LAMMPS 'dump h5md'");
        }
        throw new InputException(path + " is not HDF5/H5MD, a LAMMPS text dump or extended XYZ: pass one of those (or force --format)");
    }
}
