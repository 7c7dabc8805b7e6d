package org.interphase.analysis;

import java.util.List;
import org.interphase.io.Frame;
import org.interphase.neighbors.CellList;
import org.interphase.phases.PhaseLabeler;

/**
 * Separates interfaces between known phases from new phases. An atom whose cluster is {@value PhaseLabeler#UNASSIGNED}
 * is relabelled {@code interface:A|B} when, among its neighbours within the descriptor cutoff, (1) at least
 * {@value #KNOWN_FRACTION} carry a known phase and (2) at least two known phases A, B each hold at least
 * {@value #MINORITY} of those; A and B are the two most frequent, in reference order. Atoms inside a compact
 * unassigned region (mostly unassigned neighbours), or bordering only one known phase, stay unassigned: a new phase.
 */
public final class Interfaces {
    /** Column name of interface atoms in fractions and profiles. */
    public static final String INTERFACE = "interface";
    /** Smallest fraction of neighbours with a known phase. */
    public static final double KNOWN_FRACTION = 0.5;
    /** Smallest share of the second known phase among the known neighbours. */
    public static final double MINORITY = 0.15;

    private final double cutoff;
    private final List<String> known;

    /** Rule with neighbours within cutoff (A) and the known phase names. */
    public Interfaces(double cutoff, List<String> known) {
        this.cutoff = cutoff;
        this.known = List.copyOf(known);
    }

    /**
     * Replaces, in place, the labels of unassigned atoms at interfaces by {@code interface:A|B}, and returns the
     * labels with every interface label collapsed to {@value #INTERFACE} (for fractions and profiles).
     */
    public String[] relabel(Frame f, String[] phase) {
        int n = f.size();
        String[] binned = phase.clone();
        boolean any = false;
        for (String p : phase) any |= PhaseLabeler.UNASSIGNED.equals(p);
        if (!any) return binned;
        double w = Double.MAX_VALUE;
        double[] widths = f.box().perpendicularWidths();
        for (int k = 0; k < 3; k++) if (f.box().isPeriodic(k)) w = Math.min(w, widths[k]);
        CellList cells = new CellList(f.box(), f.positions(), Math.min(cutoff, 0.4999 * w));
        double rc2 = cells.cutoff() * cells.cutoff();
        String[] out = phase.clone();
        for (int i = 0; i < n; i++) {
            if (!PhaseLabeler.UNASSIGNED.equals(phase[i])) continue;
            final int centre = i;
            int[] cnt = new int[known.size()];
            int[] total = {0};
            cells.forEachNeighbor(i, (j, dx, dy, dz, r2) -> {
                if (r2 >= rc2 || j == centre) return;
                total[0]++;
                int p = known.indexOf(phase[j]);
                if (p >= 0) cnt[p]++;
            });
            int sum = 0, a = -1, b = -1;
            for (int p = 0; p < cnt.length; p++) {
                sum += cnt[p];
                if (a < 0 || cnt[p] > cnt[a]) {
                    b = a;
                    a = p;
                } else if (b < 0 || cnt[p] > cnt[b]) {
                    b = p;
                }
            }
            if (total[0] == 0 || sum < KNOWN_FRACTION * total[0] || b < 0 || cnt[b] < MINORITY * sum || cnt[b] == 0) continue;
            int lo = Math.min(a, b), hi = Math.max(a, b);
            out[i] = INTERFACE + ":" + known.get(lo) + "|" + known.get(hi);
            binned[i] = INTERFACE;
        }
        System.arraycopy(out, 0, phase, 0, n);
        return binned;
    }
}
