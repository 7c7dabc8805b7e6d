package org.interphase.analysis;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.interphase.clustering.ClusterModel;
import org.interphase.clustering.DensityPeaks;
import org.interphase.clustering.ElementClusters;
import org.interphase.clustering.Pca;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG and SVG plots with XChart (headless). */
final class Plots {
    private Plots() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static void save(AtomicOutput out, XYChart chart, String base) throws IOException {
        BitmapEncoder.saveBitmap(chart, out.file(base + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, out.file(base + ".svg").toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    static void pcaMap(AtomicOutput out, Pca pca, double[][] z, int[] labels, String[] clusterPhase) throws IOException {
        double[] evr = pca.explainedVarianceRatio();
        XYChart c = new XYChartBuilder().width(900).height(700).title("Local environments: PCA of standardised descriptors")
                .xAxisTitle(String.format(java.util.Locale.ROOT, "PC1 (%.0f%% variance)", 100 * evr[0]))
                .yAxisTitle(evr.length > 1 ? String.format(java.util.Locale.ROOT, "PC2 (%.0f%% variance)", 100 * evr[1]) : "PC2").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(4);
        c.getStyler().setXAxisDecimalPattern("0.#");
        c.getStyler().setYAxisDecimalPattern("0.#");
        int k = clusterPhase.length;
        for (int q = -1; q < k; q++) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < z.length; i++) {
                if (labels[i] != q) continue;
                double[] p = pca.transform(z[i]);
                xs.add(p[0]);
                ys.add(p.length > 1 ? p[1] : 0.0);
            }
            if (xs.isEmpty()) continue;
            String name = q < 0 ? "noise" : "cluster " + q + " (" + clusterPhase[q] + ")";
            XYSeries s = c.addSeries(name, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        save(out, c, "pca_map");
    }

    /** Density-peak decision graph: log density against the distance to the nearest denser point, centres marked. */
    /**
     * Log densities a chart can draw: identical environments (r_k = 0, e.g. a perfect crystal) have density +inf,
     * drawn one unit right of the largest finite value.
     */
    static double[] drawable(double[] logDensity) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logDensity) if (Double.isFinite(v)) max = Math.max(max, v);
        double edge = Double.isFinite(max) ? max + 1 : 0;
        double[] x = logDensity.clone();
        for (int i = 0; i < x.length; i++) if (!Double.isFinite(x[i])) x[i] = edge;
        return x;
    }

    static void decisionGraph(AtomicOutput out, ElementClusters model, List<String> groups) throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(700).title("Density peaks: decision graph")
                .xAxisTitle("log density (k-NN; identical environments at the right edge)").yAxisTitle("delta: distance to the nearest denser point").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(4);
        List<ClusterModel> ms = model.models();
        for (int g = 0; g < ms.size(); g++) {
            ClusterModel m = ms.get(g);
            if (m == null || m.decisionGraph().isEmpty()) continue;
            DensityPeaks dp = m.decisionGraph().get();
            String name = ms.size() == 1 ? "all atoms" : groups.get(g);
            double[] x = drawable(dp.logDensity());
            c.addSeries(name, x, dp.delta()).setMarker(SeriesMarkers.CIRCLE);
            double[] cx = new double[dp.centres().length], cy = new double[cx.length];
            for (int q = 0; q < cx.length; q++) {
                cx[q] = x[dp.centres()[q]];
                cy[q] = dp.delta()[dp.centres()[q]];
            }
            c.addSeries(name + " centres", cx, cy).setMarker(SeriesMarkers.DIAMOND);
        }
        if (c.getSeriesMap().isEmpty()) c.addSeries("none", new double[] {0}, new double[] {0});
        save(out, c, "decision_graph");
    }

    static void fractions(AtomicOutput out, List<AnalysisPipeline.FrameSummary> frames, List<String> phases) throws IOException {
        boolean useTime = frames.stream().allMatch(f -> Double.isFinite(f.time()));
        XYChart c = new XYChartBuilder().width(900).height(600).title("Phase fractions")
                .xAxisTitle(useTime ? "time" : "step").yAxisTitle("fraction of atoms").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setXAxisDecimalPattern("0.###");
        c.getStyler().setYAxisDecimalPattern("0.##");
        double[] t = new double[frames.size()];
        for (int i = 0; i < t.length; i++) t[i] = useTime ? frames.get(i).time() : frames.get(i).step();
        if (t.length == 1) t = new double[] {t[0]};
        for (int p = 0; p < phases.size(); p++) {
            double[] y = new double[frames.size()];
            boolean any = false;
            for (int i = 0; i < y.length; i++) {
                y[i] = frames.get(i).fractions()[p];
                any |= y[i] > 0;
            }
            if (!any) continue;
            XYSeries s = c.addSeries(phases.get(p), t, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        if (c.getSeriesMap().isEmpty()) c.addSeries("none", new double[] {0}, new double[] {0}).setLineColor(Color.GRAY);
        save(out, c, "phase_fractions");
    }

    static void profile(AtomicOutput out, Profile prof, List<String> phases, AnalysisPipeline.FrameSummary f) throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(600)
                .title("Phase profile along cell vector " + "abc".charAt(prof.axis()) + " (step " + f.step() + ")")
                .xAxisTitle("position along the long axis (A)").yAxisTitle("fraction of atoms in bin").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setXAxisDecimalPattern("0.#");
        c.getStyler().setYAxisDecimalPattern("0.##");
        double[] x = new double[prof.bins()];
        for (int k = 0; k < x.length; k++) x[k] = prof.centre(k);
        for (int p = 0; p < phases.size(); p++) {
            double[] y = new double[prof.bins()];
            boolean any = false;
            for (int k = 0; k < y.length; k++) {
                y[k] = prof.fraction(k, p);
                any |= y[k] > 0;
            }
            if (!any) continue;
            c.addSeries(phases.get(p), x, y).setMarker(SeriesMarkers.NONE);
        }
        if (c.getSeriesMap().isEmpty()) c.addSeries("none", new double[] {0}, new double[] {0});
        save(out, c, "phase_profile");
    }
}
