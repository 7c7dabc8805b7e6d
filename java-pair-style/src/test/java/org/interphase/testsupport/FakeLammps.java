package org.interphase.testsupport;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.interphase.bridge.BridgeLayouts;

/**
 * LAMMPS-like per-rank arrays for tests: local atoms in a periodic (triclinic) cell, ghost
 * atoms = periodic images within ghostCut of a local atom, and a full neighbour list (with
 * ghost neighbours, radius listCut, random special-bond bits) for the local atoms and,
 * optionally, the ghost atoms (REQ_GHOST). Everything lives in native memory of an Arena,
 * laid out as LAMMPS does (x[nall*3], type[nall], ilist, numneigh, firstneigh).
 */
public final class FakeLammps implements AutoCloseable {
    public final double[][] h; // rows a, b, c
    public final int nlocal;
    public final int nghost;
    public final int nall;
    public final int inum;
    public final int gnum;
    public final int[] owner; // local atom each atom is an image of
    public final int[][] shift; // image shift of each atom
    public final double[] xLocal; // 3*nlocal
    public final int[] types; // nall
    public final Arena arena = Arena.ofConfined();
    public final MemorySegment x;
    public final MemorySegment f;
    public final MemorySegment type;
    public final MemorySegment ilist;
    public final MemorySegment numneigh;
    public final MemorySegment firstneigh;
    public final MemorySegment eng;
    public final MemorySegment virial;
    public final MemorySegment eatom;
    public final MemorySegment vatom;
    public final MemorySegment args;
    /** LAMMPS atom IDs: owner + 1 (an image has the ID of the atom it images). */
    public final MemorySegment tag;
    /** neighbor->ncalls as the pair style sees it; bump it when the lists change. */
    public long neighBuilds = 1;

    /**
     * @param h cell rows a, b, c
     * @param pos local cartesian positions (3*n)
     * @param localTypes LAMMPS types 1..ntypes of the local atoms
     * @param ghostCut ghost shell
     * @param listCut neighbour list radius (cutoff + skin)
     * @param ghostCentres also list the ghosts' neighbours and put them in ilist (gnum > 0)
     */
    public FakeLammps(double[][] h, double[] pos, int[] localTypes, double ghostCut, double listCut,
                      boolean ghostCentres, long seed) {
        this.h = h;
        this.nlocal = localTypes.length;
        this.xLocal = pos.clone();
        List<double[]> gx = new ArrayList<>();
        List<Integer> gOwner = new ArrayList<>();
        List<int[]> gShift = new ArrayList<>();
        int m = (int) Math.ceil(ghostCut / minWidth(h)) + 1;
        for (int n0 = -m; n0 <= m; n0++) {
            for (int n1 = -m; n1 <= m; n1++) {
                for (int n2 = -m; n2 <= m; n2++) {
                    if (n0 == 0 && n1 == 0 && n2 == 0) {
                        continue;
                    }
                    for (int i = 0; i < nlocal; i++) {
                        double[] p = image(pos, i, n0, n1, n2);
                        if (minDistToLocal(p) < ghostCut) {
                            gx.add(p);
                            gOwner.add(i);
                            gShift.add(new int[] {n0, n1, n2});
                        }
                    }
                }
            }
        }
        nghost = gx.size();
        nall = nlocal + nghost;
        owner = new int[nall];
        shift = new int[nall][];
        types = new int[nall];
        x = arena.allocate(JAVA_DOUBLE, 3L * nall);
        type = arena.allocate(JAVA_INT, nall);
        for (int i = 0; i < nall; i++) {
            double[] p = i < nlocal ? new double[] {pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]} : gx.get(i - nlocal);
            owner[i] = i < nlocal ? i : gOwner.get(i - nlocal);
            shift[i] = i < nlocal ? new int[3] : gShift.get(i - nlocal);
            types[i] = localTypes[owner[i]];
            for (int k = 0; k < 3; k++) {
                x.setAtIndex(JAVA_DOUBLE, 3L * i + k, p[k]);
            }
            type.setAtIndex(JAVA_INT, i, types[i]);
        }
        inum = nlocal;
        gnum = ghostCentres ? nghost : 0;
        int ncentres = inum + gnum;
        ilist = arena.allocate(JAVA_INT, Math.max(1, ncentres));
        numneigh = arena.allocate(JAVA_INT, nall);
        firstneigh = arena.allocate(ADDRESS, nall);
        Random rnd = new Random(seed);
        double lc2 = listCut * listCut;
        for (int c = 0; c < ncentres; c++) {
            int i = c; // local atoms first, then ghosts, as LAMMPS orders ilist
            ilist.setAtIndex(JAVA_INT, c, i);
            List<Integer> js = new ArrayList<>();
            for (int j = 0; j < nall; j++) {
                if (j != i && dist2(i, j) < lc2) {
                    js.add(j);
                }
            }
            java.util.Collections.shuffle(js, rnd);
            MemorySegment jl = arena.allocate(JAVA_INT, Math.max(1, js.size()));
            for (int k = 0; k < js.size(); k++) {
                int j = js.get(k);
                int special = rnd.nextInt(4) == 0 ? (rnd.nextInt(3) + 1) << 30 : 0; // special-bond bits
                jl.setAtIndex(JAVA_INT, k, j | special);
            }
            numneigh.setAtIndex(JAVA_INT, i, js.size());
            firstneigh.setAtIndex(ADDRESS, i, jl);
        }
        f = arena.allocate(JAVA_DOUBLE, 3L * nall);
        eng = arena.allocate(JAVA_DOUBLE, 1);
        virial = arena.allocate(JAVA_DOUBLE, 6);
        eatom = arena.allocate(JAVA_DOUBLE, nall);
        vatom = arena.allocate(JAVA_DOUBLE, 6L * nall);
        tag = arena.allocate(JAVA_INT, Math.max(1, nall));
        for (int i = 0; i < nall; i++) {
            tag.setAtIndex(JAVA_INT, i, owner[i] + 1);
        }
        args = arena.allocate(BridgeLayouts.COMPUTE_ARGS);
        setArgs(1, true, true, true, true);
    }

    /** LAMMPS types 1, 2, 3, 4, 1, 2, ... for n atoms (Li, P, S, Cl in the tests' type order). */
    public static int[] cyclicTypes(int n) {
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = 1 + i % 4;
        }
        return types;
    }

    /** Random cell positions with a minimum distance (incl. periodic images). */
    public static double[] randomPositions(double[][] h, int n, double minDist, Random rnd) {
        double[] pos = new double[3 * n];
        int placed = 0;
        int attempts = 0;
        while (placed < n) {
            if (++attempts > 200000) {
                throw new IllegalStateException("cannot place " + n + " atoms with min distance " + minDist);
            }
            double u = rnd.nextDouble();
            double v = rnd.nextDouble();
            double w = rnd.nextDouble();
            double[] p = new double[3];
            for (int k = 0; k < 3; k++) {
                p[k] = u * h[0][k] + v * h[1][k] + w * h[2][k];
            }
            boolean ok = true;
            for (int i = 0; i < placed && ok; i++) {
                for (int n0 = -1; n0 <= 1 && ok; n0++) {
                    for (int n1 = -1; n1 <= 1 && ok; n1++) {
                        for (int n2 = -1; n2 <= 1 && ok; n2++) {
                            double d2 = 0;
                            for (int k = 0; k < 3; k++) {
                                double d = pos[3 * i + k] + n0 * h[0][k] + n1 * h[1][k] + n2 * h[2][k] - p[k];
                                d2 += d * d;
                            }
                            ok = d2 >= minDist * minDist;
                        }
                    }
                }
            }
            if (ok) {
                System.arraycopy(p, 0, pos, 3 * placed, 3);
                placed++;
            }
        }
        return pos;
    }

    /** Smallest perpendicular width of the cell. */
    public static double minWidth(double[][] h) {
        double vol = Math.abs(dot(h[0], cross(h[1], h[2])));
        double w = Double.MAX_VALUE;
        for (int k = 0; k < 3; k++) {
            double[] c = cross(h[(k + 1) % 3], h[(k + 2) % 3]);
            w = Math.min(w, vol / Math.sqrt(dot(c, c)));
        }
        return w;
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private double[] image(double[] pos, int i, int n0, int n1, int n2) {
        double[] p = new double[3];
        for (int k = 0; k < 3; k++) {
            p[k] = pos[3 * i + k] + n0 * h[0][k] + n1 * h[1][k] + n2 * h[2][k];
        }
        return p;
    }

    private double minDistToLocal(double[] p) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < nlocal; i++) {
            double dx = xLocal[3 * i] - p[0];
            double dy = xLocal[3 * i + 1] - p[1];
            double dz = xLocal[3 * i + 2] - p[2];
            best = Math.min(best, dx * dx + dy * dy + dz * dz);
        }
        return Math.sqrt(best);
    }

    public double xAt(int i, int k) {
        return x.getAtIndex(JAVA_DOUBLE, 3L * i + k);
    }

    private double dist2(int i, int j) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
            double d = xAt(j, k) - xAt(i, k);
            s += d * d;
        }
        return s;
    }

    /** Moves local atom i by d and all its images alike (the neighbour lists stay, as between reneighborings). */
    public void displace(double[] d) {
        for (int a = 0; a < nall; a++) {
            int o = owner[a];
            for (int k = 0; k < 3; k++) {
                x.setAtIndex(JAVA_DOUBLE, 3L * a + k, xAt(a, k) + d[3 * o + k]);
            }
        }
        for (int i = 0; i < 3 * nlocal; i++) {
            xLocal[i] += d[i];
        }
    }

    /** Fills iph_compute_args and zeroes the accumulators (as LAMMPS's ev_init does). */
    public void setArgs(long step, boolean eflagGlobal, boolean eflagAtom, boolean vflagGlobal, boolean vflagAtom) {
        f.fill((byte) 0);
        eng.fill((byte) 0);
        virial.fill((byte) 0);
        eatom.fill((byte) 0);
        vatom.fill((byte) 0);
        BridgeLayouts.COMPUTE_X.set(args, 0L, x);
        BridgeLayouts.COMPUTE_F.set(args, 0L, f);
        BridgeLayouts.COMPUTE_TYPE.set(args, 0L, type);
        BridgeLayouts.COMPUTE_ILIST.set(args, 0L, ilist);
        BridgeLayouts.COMPUTE_NUMNEIGH.set(args, 0L, numneigh);
        BridgeLayouts.COMPUTE_FIRSTNEIGH.set(args, 0L, firstneigh);
        BridgeLayouts.COMPUTE_ENG_VDWL.set(args, 0L, eng);
        BridgeLayouts.COMPUTE_VIRIAL.set(args, 0L, virial);
        BridgeLayouts.COMPUTE_EATOM.set(args, 0L, eflagAtom ? eatom : MemorySegment.NULL);
        BridgeLayouts.COMPUTE_VATOM.set(args, 0L, vflagAtom ? vatom : MemorySegment.NULL);
        BridgeLayouts.COMPUTE_STEP.set(args, 0L, step);
        BridgeLayouts.COMPUTE_NLOCAL.set(args, 0L, nlocal);
        BridgeLayouts.COMPUTE_NGHOST.set(args, 0L, nghost);
        BridgeLayouts.COMPUTE_INUM.set(args, 0L, inum);
        BridgeLayouts.COMPUTE_GNUM.set(args, 0L, gnum);
        BridgeLayouts.COMPUTE_EFLAG_GLOBAL.set(args, 0L, eflagGlobal ? 1 : 0);
        BridgeLayouts.COMPUTE_EFLAG_ATOM.set(args, 0L, eflagAtom ? 1 : 0);
        BridgeLayouts.COMPUTE_VFLAG_GLOBAL.set(args, 0L, vflagGlobal ? 1 : 0);
        BridgeLayouts.COMPUTE_VFLAG_ATOM.set(args, 0L, vflagAtom ? 1 : 0);
        BridgeLayouts.COMPUTE_TAG.set(args, 0L, tag);
        BridgeLayouts.COMPUTE_TAG_BYTES.set(args, 0L, 4);
        BridgeLayouts.COMPUTE_NEIGH_BUILDS.set(args, 0L, neighBuilds);
    }

    /** Forces folded onto the local atoms (LAMMPS's reverse communication). */
    public double[] foldedForces() {
        return fold(f, 3);
    }

    public double[] foldedEatom() {
        return fold(eatom, 1);
    }

    public double[] foldedVatom() {
        return fold(vatom, 6);
    }

    private double[] fold(MemorySegment a, int width) {
        double[] out = new double[width * nlocal];
        for (int i = 0; i < nall; i++) {
            for (int k = 0; k < width; k++) {
                out[width * owner[i] + k] += a.getAtIndex(JAVA_DOUBLE, (long) width * i + k);
            }
        }
        return out;
    }

    public double energy() {
        return eng.get(JAVA_DOUBLE, 0);
    }

    public double[] virial() {
        return virial.toArray(JAVA_DOUBLE);
    }

    @Override
    public void close() {
        arena.close();
    }
}
