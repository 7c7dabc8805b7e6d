package org.interphase.analysis;

import java.util.List;
import java.util.Locale;
import org.interphase.clustering.Clusterer;
import org.interphase.clustering.ElementClusters;
import org.interphase.descriptors.FeatureComputer;
import org.interphase.descriptors.FeatureGroup;
import org.interphase.phases.PhaseLabeler;

/** The compact text report printed to stdout and saved as report.txt. */
final class Report {
    private Report() {
    }

    static String text(AnalysisConfig cfg, List<String> elements, FeatureComputer fc, Clusterer method, ElementClusters model, PhaseLabeler.Match[] matches,
            String[] clusterPhase, long[] clusterCount, long[] clusterInterface, List<String> phases, List<AnalysisPipeline.FrameSummary> frames, long atomFrames,
            double descSeconds, double totalSeconds, PhaseLabeler labeler, double[][] rawCentroids) {
        StringBuilder sb = new StringBuilder();
        sb.append("interphase analyze ").append(cfg.input().dump()).append('\n');
        List<String> names = fc.featureNames();
        String shown = names.size() <= 12 ? String.join(" ", names) : String.join(" ", fc.featureNames(FeatureGroup.CHEAP)) + extraBlocks(fc);
        sb.append(String.format(Locale.ROOT, "frames %d, atom-frames %d, descriptors %s (%d features, cutoff %.2f A), %.1f s (descriptors %.1f s)%n",
                frames.size(), atomFrames, shown, fc.dimension(), fc.cutoff(), totalSeconds, descSeconds));
        if (fc.dimension() > AnalysisPipeline.REDUCED) {
            sb.append("clustered on the first ").append(AnalysisPipeline.REDUCED).append(" principal components of the standardised descriptors\n");
        }
        sb.append("clustering ").append(method.name()).append(": ").append(model.selection()).append('\n');
        sb.append(String.format(Locale.ROOT, "labelling: nearest reference site, unassigned beyond standardised distance %.2f or when the "
                + "geometry (SANN shell) is another structure's site; %s%n", labeler.threshold(), labeler.references().describe()));
        sb.append("clusters:\n");
        for (int c = 0; c < model.k(); c++) {
            PhaseLabeler.Match m = matches[c];
            sb.append(String.format(Locale.ROOT, "  %2d  %-10s  atom-frames %9d  nearest %s %s at %.2f; geometry: %s of %s at %.2f%s%n", c, clusterPhase[c],
                    clusterCount[c], m.phase(), m.site(), m.distance(), m.prototypeSite(), m.prototype(), m.geometryDistance(),
                    (m.assigned() ? "" : " (" + m.reason() + ")") + (clusterInterface[c] > 0 ? "; interface atom-frames " + clusterInterface[c] : "")));
        }
        long[] inBulk = new long[clusterCount.length];
        for (int c = 0; c < inBulk.length; c++) inBulk[c] = clusterCount[c] - clusterInterface[c];
        NewPhases.describe(sb, elements, names, matches, inBulk, rawCentroids, java.util.Arrays.stream(clusterCount).sum());
        sb.append("phases found (mean fraction over frames):\n");
        for (int p = 0; p < phases.size(); p++) {
            double s = 0;
            for (AnalysisPipeline.FrameSummary f : frames) s += f.fractions()[p];
            s /= frames.size();
            if (s > 0) sb.append(String.format(Locale.ROOT, "  %-10s %.4f%n", phases.get(p), s));
        }
        sb.append("interphase thickness vs time (A; bins where neither Li metal nor Li6PS5Cl > 50%):\n");
        boolean timed = frames.stream().anyMatch(f -> !Double.isNaN(f.time()));
        sb.append(timed ? "  step        time        thickness\n" : "  step        thickness   (the input has no time)\n");
        int stride = Math.max(1, frames.size() / 20);
        for (int i = 0; i < frames.size(); i++) {
            if (i % stride != 0 && i != frames.size() - 1) continue;
            AnalysisPipeline.FrameSummary f = frames.get(i);
            if (timed) {
                sb.append(String.format(Locale.ROOT, "  %-10d  %-10s  %.2f%n", f.step(), AnalysisPipeline.time(f.time()), f.thickness()));
            } else {
                sb.append(String.format(Locale.ROOT, "  %-10d  %.2f%n", f.step(), f.thickness()));
            }
        }
        sb.append("outputs in ").append(cfg.output().outDir()).append('\n');
        return sb.toString();
    }

    /** " + 32 SOAP features + 32 latent features": the blocks after the cheap features, each named. */
    private static String extraBlocks(FeatureComputer fc) {
        int soap = fc.count(FeatureGroup.SOAP);
        int latent = fc.count(FeatureGroup.LATENT);
        StringBuilder sb = new StringBuilder();
        if (soap > 0) sb.append(" + ").append(soap).append(" SOAP features");
        if (latent > 0) sb.append(" + ").append(latent).append(" latent features");
        return sb.toString();
    }
}
