package org.interphase.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.interphase.phases.PhaseLabeler;

/**
 * Describes the unassigned clusters as new phases (their atom-frames not relabelled as interfaces; a structure type
 * needs at least {@value #MIN_FRACTION} of all atom-frames): clusters with the same nearest prototype (structure type) form
 * one new phase; for each, the elements on each prototype site with their atom-frames, the composition of the
 * unassigned atoms, and each cluster's mean coordination numbers by element (the cn_X centroid).
 */
final class NewPhases {
    /** Smallest share of all atom-frames that unassigned clusters of one structure type need to be reported as a new phase. */
    static final double MIN_FRACTION = 0.01;

    private NewPhases() {
    }

    static void describe(StringBuilder sb, List<String> elements, List<String> names, PhaseLabeler.Match[] matches, long[] count,
            double[][] raw, long atomFrames) {
        Map<String, List<Integer>> byPrototype = new LinkedHashMap<>();
        long minor = 0;
        final long all = atomFrames;
        for (int c = 0; c < matches.length; c++) {
            if (matches[c].assigned() || count[c] == 0 || matches[c].prototype() == null) continue;
            byPrototype.computeIfAbsent(matches[c].prototype(), k -> new ArrayList<>()).add(c);
        }
        byPrototype.values().removeIf(l -> {
            long t = 0;
            for (int c : l) t += count[c];
            return t < MIN_FRACTION * all;
        });
        for (int c = 0; c < matches.length; c++) {
            final Integer cc = c;
            boolean listed = byPrototype.values().stream().anyMatch(l -> l.contains(cc));
            if (!matches[c].assigned() && !listed) minor += count[c];
        }
        if (byPrototype.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "new phases: none (unassigned clusters hold %d atom-frames, below %.0f%% each)%n", minor, 100 * MIN_FRACTION));
            return;
        }
        sb.append("new phases (unassigned clusters grouped by their nearest structure type, elements ignored):\n");
        for (var e : byPrototype.entrySet()) {
            long total = 0;
            double[] comp = new double[elements.size()];
            Map<String, List<String>> onSite = new LinkedHashMap<>();
            for (int c : e.getValue()) {
                total += count[c];
                for (int x = 0; x < elements.size(); x++) {
                    double frac = raw[c][names.indexOf("is_" + elements.get(x))];
                    comp[x] += frac * count[c];
                    if (frac > 0.5) {
                        List<String> l = onSite.computeIfAbsent(matches[c].prototypeSite(), k -> new ArrayList<>());
                        if (!l.contains(elements.get(x))) l.add(elements.get(x));
                    }
                }
            }
            StringBuilder sites = new StringBuilder();
            for (var s : onSite.entrySet()) {
                if (sites.length() > 0) sites.append("; ");
                sites.append(String.join(", ", s.getValue())).append(" on the ").append(s.getKey());
            }
            StringBuilder cs = new StringBuilder();
            for (int x = 0; x < elements.size(); x++) {
                if (comp[x] <= 0) continue;
                if (cs.length() > 0) cs.append(' ');
                cs.append(elements.get(x)).append(String.format(Locale.ROOT, " %.3f", comp[x] / total));
            }
            sb.append(String.format(Locale.ROOT, "  new phase: %s with %s; %d atom-frames; unassigned atoms %s%n", e.getKey(), sites, total, cs));
            for (int c : e.getValue()) {
                StringBuilder cn = new StringBuilder();
                for (String el : elements) {
                    double v = raw[c][names.indexOf("cn_" + el)];
                    if (v >= 0.05) cn.append(String.format(Locale.ROOT, " %s %.2f", el, v));
                }
                sb.append(String.format(Locale.ROOT, "    cluster %d: %s, mean coordination by element:%s%n", c, matches[c].prototypeSite(), cn));
            }
        }
    }
}
