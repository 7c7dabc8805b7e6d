package org.interphase.structure;

/**
 * What to build: lateral repeats of the electrolyte cell, slab thicknesses and interface geometry.
 *
 * @param electrolyte     conventional electrolyte cell (Li6PS5Cl), kept at its lattice constant
 * @param liLattice       bcc Li lattice constant (Angstrom); the metal takes the lateral strain
 * @param nx              electrolyte cells along x
 * @param ny              electrolyte cells along y
 * @param electrolyteSize electrolyte slab thickness (cells of the electrolyte or Angstrom)
 * @param metalSize       Li slab thickness (bcc cells, 2 atomic (001) planes each, or Angstrom)
 * @param gap             distance along z between the outermost atomic planes of the two slabs (Angstrom)
 * @param cut             fractional z of the electrolyte cell where the slab starts (the (001) cut plane)
 */
public record InterfaceSpec(CrystalCell electrolyte, double liLattice, int nx, int ny, Thickness electrolyteSize,
                            Thickness metalSize, double gap, double cut) {

    /** bcc Li lattice constant, a = 3.510 A (shared/data/README.md). */
    public static final double LI_BCC_A = 3.51;
    /** Default interlayer gap (Angstrom), see docs/main-job.md. */
    public static final double DEFAULT_GAP = 2.5;
    /**
     * Default cut: midway between the S(16e) plane at z = 0.1155 and the S(4c)/Li(24g) plane at z = 0.25, so no
     * PS4 tetrahedron is cut and the slab is stoichiometric.
     */
    public static final double DEFAULT_CUT = 0.5 * ((Argyrodite.X_S16E - 0.5) + 0.25);

    /** Validates ranges with one-line messages. */
    public InterfaceSpec {
        if (electrolyte == null || electrolyteSize == null || metalSize == null) throw new IllegalArgumentException("incomplete interface spec");
        if (nx < 1 || ny < 1) throw new IllegalArgumentException("--nx/--ny must be >= 1, got " + nx + " x " + ny);
        if (nx > 10_000 || ny > 10_000) throw new IllegalArgumentException("--nx/--ny of " + nx + " x " + ny + " is absurd: the limit is 10000");
        if (!(liLattice >= 2.5 && liLattice <= 5.0)) {
            throw new IllegalArgumentException("--a-li " + liLattice + " A is not a bcc Li lattice constant (expected 2.5..5, literature 3.51)");
        }
        if (!(gap >= 1.0 && gap <= 20.0)) {
            throw new IllegalArgumentException("--gap " + gap + " A is out of range: use 1.0..20 A (atoms closer than 1 A overlap; default "
                    + DEFAULT_GAP + ")");
        }
        if (!(cut >= 0.0 && cut < 1.0)) throw new IllegalArgumentException("--cut must be a fractional z in [0, 1), got " + cut);
    }
}
