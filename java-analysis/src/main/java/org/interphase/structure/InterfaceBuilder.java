package org.interphase.structure;

import java.util.Locale;

/**
 * Builds a periodic Li | Li6PS5Cl | Li symmetric cell for reactive MD.
 *
 * <p><b>Orientation.</b> Li(001) || Li6PS5Cl(001) with Li[100] || Li6PS5Cl[100]: both cubic, so the (001) planes
 * of the two crystals are stacked along z with their cube axes aligned along x and y.
 *
 * <p><b>Lattice matching.</b> The electrolyte keeps its lattice constant a_E; along x (and likewise y) the box is
 * nx * a_E and holds m = round(nx * a_E / a_Li) bcc Li cells, so the metal takes the whole mismatch as a biaxial
 * lateral strain a_E nx / (m a_Li) - 1 (Li is the much softer side). With a_E = 10.2795 A and a_Li = 3.51 A this
 * gives 3 Li cells per electrolyte cell (10.53 A on 10.28 A) and -2.38 % (compressive) strain for nx &lt;= 7; larger
 * nx allow better ratios (23 Li cells on 8: +1.87 %; 29 on 10: +0.99 %; 41 on 14: +0.002 %). Along z the Li keeps
 * its bulk (001) plane spacing a_Li / 2.
 *
 * <p><b>Terminations.</b> The electrolyte slab is whole unit cells (stoichiometric Li24P4S20Cl4 per cell) cut at
 * fractional z = {@code cut} (default midway between the S(16e) plane at 0.1155 and the S(4c)/Li(24g) plane at
 * 0.25), so no PS4 tetrahedron is broken. Its lower face exposes the S(4c)/Li(24g) layer, its upper face the
 * apex S atoms of PS4 groups: the two interfaces of the periodic cell are therefore different.
 *
 * <p><b>Stack along z.</b> gap/2, Li slab, gap, electrolyte slab, gap/2, where the gap is the distance between the
 * outermost atomic planes of the two slabs; the box boundary lies mid-gap at the second interface.
 */
public final class InterfaceBuilder {
    /** Largest cell we build (memory and LAMMPS tagint sanity). */
    public static final long MAX_ATOMS = 100_000_000L;

    private InterfaceBuilder() {
    }

    /** Number of Li cells matched to {@code n} electrolyte cells of lattice constant {@code aE}. */
    public static int liCellsFor(int n, double aE, double aLi) {
        return (int) Math.max(1, Math.round(n * aE / aLi));
    }

    /** Number of atoms of the cell that {@link #build} makes for {@code spec}, without building it. */
    public static long atomCount(InterfaceSpec spec) {
        CrystalCell e = spec.electrolyte();
        int ez = spec.electrolyteSize().cells(e.a(), "--electrolyte");
        int mz = spec.metalSize().cells(spec.liLattice(), "--metal");
        long mx = liCellsFor(spec.nx(), e.a(), spec.liLattice());
        long my = liCellsFor(spec.ny(), e.a(), spec.liLattice());
        return 2L * mx * my * mz + (long) e.size() * spec.nx() * spec.ny() * ez;
    }

    /** Builds the cell described by {@code spec}. */
    public static InterfaceCell build(InterfaceSpec spec) {
        CrystalCell e = spec.electrolyte();
        double aE = e.a();
        double aLi = spec.liLattice();
        int ez = spec.electrolyteSize().cells(aE, "--electrolyte");
        int mz = spec.metalSize().cells(aLi, "--metal");
        int nx = spec.nx();
        int ny = spec.ny();
        int mx = liCellsFor(nx, aE, aLi);
        int my = liCellsFor(ny, aE, aLi);
        double lx = nx * aE;
        double ly = ny * aE;
        long nMetal = 2L * mx * my * mz;
        long nElec = (long) e.size() * nx * ny * ez;
        if (nMetal + nElec > MAX_ATOMS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the requested cell has %d atoms, more than the limit of %d: reduce --nx/--ny or the thicknesses",
                    nMetal + nElec, MAX_ATOMS));
        }
        int n = (int) (nMetal + nElec);
        int[] types = new int[n];
        double[] pos = new double[3 * n];
        double half = 0.5 * spec.gap();

        // Metal: bcc (001) planes k = 0..2mz-1 at z = gap/2 + k aLi/2; even planes on cell corners, odd on body centres.
        double ax = lx / mx;
        double ay = ly / my;
        int k = 0;
        for (int plane = 0; plane < 2 * mz; plane++) {
            double off = (plane % 2 == 0) ? 0.0 : 0.5;
            double z = half + plane * 0.5 * aLi;
            for (int i = 0; i < mx; i++) {
                for (int j = 0; j < my; j++) {
                    types[k] = 1;
                    pos[3 * k] = (i + off) * ax;
                    pos[3 * k + 1] = (j + off) * ay;
                    pos[3 * k + 2] = z;
                    k++;
                }
            }
        }
        double metalZlo = half;
        double metalZhi = half + (2 * mz - 1) * 0.5 * aLi;

        // Electrolyte: cell shifted so the slab starts at fractional z = cut, replicated nx x ny x ez.
        int[] eType = new int[e.size()];
        double[] eShift = new double[e.size()];
        double fmin = Double.MAX_VALUE;
        double fmax = -Double.MAX_VALUE;
        for (int a = 0; a < e.size(); a++) {
            eType[a] = InterfaceCell.typeOf(e.element(a));
            eShift[a] = CrystalCell.wrap(e.frac(a, 2) - spec.cut());
            fmin = Math.min(fmin, eShift[a]);
            fmax = Math.max(fmax, eShift[a]);
        }
        double electrolyteZlo = metalZhi + spec.gap();
        double zOffset = electrolyteZlo - fmin * aE;
        for (int c = 0; c < ez; c++) {
            for (int i = 0; i < nx; i++) {
                for (int j = 0; j < ny; j++) {
                    for (int a = 0; a < e.size(); a++) {
                        types[k] = eType[a];
                        pos[3 * k] = (i + e.frac(a, 0)) * aE;
                        pos[3 * k + 1] = (j + e.frac(a, 1)) * aE;
                        pos[3 * k + 2] = zOffset + (c + eShift[a]) * aE;
                        k++;
                    }
                }
            }
        }
        double electrolyteZhi = zOffset + (ez - 1 + fmax) * aE;
        double lz = electrolyteZhi + half;
        InterfaceGeometry g = new InterfaceGeometry(lx, ly, lz, nx, ny, ez, mx, my, mz, ax / aLi - 1, ay / aLi - 1,
                metalZlo, metalZhi, electrolyteZlo, electrolyteZhi, spec.gap(), (int) nMetal, (int) nElec);
        return new InterfaceCell(g, types, pos);
    }

    /** Lateral repeats and slab thicknesses chosen by {@link #planForAtoms}. */
    public record Plan(int nx, int ny, int electrolyteCells, int metalCells) {
    }

    /**
     * Chooses sizes for about {@code target} atoms. Lateral: nx = ny = the larger of the smallest repeat that satisfies
     * {@code minLateral} and round(L / a_E), where L is the lateral length of a cell of thickness aspect * L holding
     * the target at the mean atom density of the two crystals; given nx, ny (either may be fixed by the caller), the
     * stack thickness is split equally in length between electrolyte and metal so the total is closest to the target.
     *
     * @param nxFixed    nx if the user fixed it, else 0
     * @param nyFixed    ny if the user fixed it, else 0
     * @param minLateral smallest allowed lateral box length (Angstrom)
     * @param aspect     stack thickness / lateral length (> 0)
     */
    public static Plan planForAtoms(long target, int nxFixed, int nyFixed, double minLateral, double aspect,
                                    CrystalCell e, double aLi) {
        if (target < 1 || target > MAX_ATOMS) {
            throw new IllegalArgumentException("--atoms must be between 1 and " + MAX_ATOMS + ", got " + target);
        }
        if (!(aspect > 0 && aspect <= 1000)) throw new IllegalArgumentException("--aspect must be > 0, got " + aspect);
        double aE = e.a();
        double rhoE = e.size() / (aE * aE * aE);
        double rhoM = 2.0 / (aLi * aLi * aLi);
        double rho = 0.5 * (rhoE + rhoM);
        int nMin = (int) Math.max(1, Math.ceil(minLateral / aE - 1e-9));
        int nGuess = (int) Math.round(Math.cbrt(target / (rho * aspect)) / aE);
        int nx = nxFixed > 0 ? nxFixed : Math.max(nMin, nGuess);
        int ny = nyFixed > 0 ? nyFixed : Math.max(nMin, nGuess);
        double perAngstromE = (double) e.size() * nx * ny / aE;
        double perAngstromM = 2.0 * liCellsFor(nx, aE, aLi) * liCellsFor(ny, aE, aLi) / aLi;
        double thickness = 2.0 * target / (perAngstromE + perAngstromM);
        int ez = (int) Math.max(1, Math.round(0.5 * thickness / aE));
        int mz = (int) Math.max(1, Math.round(0.5 * thickness / aLi));
        return new Plan(nx, ny, ez, mz);
    }

    /**
     * Compares every box length with 2 r_max + skin, the size below which LAMMPS's ghost atoms include more than
     * one periodic image of an atom within the cutoff plus skin. {@code pair_style onnx} handles that exactly (the
     * model only sees LAMMPS's ghost atoms), so this is a note, not an error: the cell is valid, but descriptors of
     * {@code interphase analyze} with a cutoff above half the box (e.g. {@code --latent} with this model) and
     * pair styles that assume one image will refuse it.
     *
     * @return the note naming the short direction, or null when every length is large enough
     */
    public static String cutoffNote(InterfaceGeometry g, double rMax, double skin, String cutoffSource) {
        double need = 2 * rMax + skin;
        if (g.lx() < need || g.ly() < need) {
            return String.format(Locale.ROOT,
                    "lateral box %.2f x %.2f A is smaller than 2*r_max + skin = 2*%.2f + %.2f = %.2f A (r_max from %s): "
                            + "LAMMPS ghost atoms hold several periodic images of an atom, which pair_style onnx handles exactly; "
                            + "--nx/--ny >= %d avoids it (tools that use one image, such as 'interphase analyze --latent', need that)",
                    g.lx(), g.ly(), rMax, skin, need, cutoffSource, (int) Math.ceil(need / (g.lx() / g.nx()) - 1e-9));
        }
        if (g.lz() < need) {
            return String.format(Locale.ROOT,
                    "box height %.2f A is smaller than 2*r_max + skin = %.2f A (r_max from %s): LAMMPS ghost atoms hold "
                            + "several periodic images, which pair_style onnx handles exactly; thicker slabs (--electrolyte/--metal) avoid it",
                    g.lz(), need, cutoffSource);
        }
        return null;
    }
}
