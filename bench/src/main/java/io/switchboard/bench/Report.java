package io.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** Turns histograms into the JSON report's percentile tables and curves (milliseconds). */
final class Report {
    private Report() {}

    static Map<String, Object> percentiles(Histogram h, boolean curve) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) return out;
        out.put("meanMs", ms(h.getMean()));
        for (double p : new double[] {50, 90, 99, 99.9, 99.99}) {
            out.put("p" + (p == Math.floor(p) ? String.valueOf((int) p) : String.valueOf(p)) + "Ms",
                    ms(h.getValueAtPercentile(p)));
        }
        out.put("maxMs", ms(h.getMaxValue()));
        if (curve) {
            List<double[]> points = new ArrayList<>();
            for (HistogramIterationValue v : h.percentiles(5)) {
                double pct = v.getPercentileLevelIteratedTo();
                if (pct >= 100) break;
                points.add(new double[] {Math.round(pct * 10000) / 10000.0, ms(v.getValueIteratedTo())});
            }
            points.add(new double[] {100, ms(h.getMaxValue())});
            out.put("curve", points);
        }
        return out;
    }

    private static double ms(double micros) {
        return Math.round(micros) / 1000.0;
    }
}
