package io.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/** Inline SVG line plots for the HTML report: latency percentile curves and deliveries/s over time. */
final class Svg {
    private static final int W = 520, H = 300, L = 60, R = 12, T = 28, B = 40;

    private Svg() {}

    static String color(String target) {
        return switch (target) {
            case "switchboard" -> "#1f5fb4";
            case "baseline" -> "#777777";
            case "nchan" -> "#2a9d3a";
            case "socketio" -> "#d62728";
            default -> "#9467bd";
        };
    }

    /** One curve per server: latency (log scale) against percentile, in "nines" (90, 99, 99.9 …). */
    static String latencyCurves(List<JsonNode> runs) {
        double maxMs = 1;
        for (JsonNode r : runs) {
            JsonNode step = stepToPlot(r);
            if (step != null) maxMs = Math.max(maxMs, step.path("latency").path("maxMs").asDouble());
        }
        double yTop = Math.pow(10, Math.ceil(Math.log10(maxMs)));
        StringBuilder s = open("latency by percentile (best sustained step, else the last)");
        for (int d = -2; Math.pow(10, d) <= yTop; d++) {
            double y = yLog(Math.pow(10, d), yTop);
            s.append(grid(L, y, W - R, y)).append(label(L - 4, y + 4, fmt(Math.pow(10, d)) + " ms", "end"));
        }
        String[] ticks = {"0", "90", "99", "99.9", "99.99", "99.999"};
        for (int i = 0; i < ticks.length; i++) {
            double x = L + (W - L - R) * i / 5.0;
            s.append(grid(x, T, x, H - B)).append(label(x, H - B + 16, ticks[i] + "%", "middle"));
        }
        int row = 0;
        for (JsonNode r : runs) {
            JsonNode step = stepToPlot(r);
            if (step == null) continue;
            StringBuilder pts = new StringBuilder();
            for (JsonNode p : step.path("latency").path("curve")) {
                double pct = Math.min(99.999, p.get(0).asDouble());
                double x = L + (W - L - R) * Math.min(5, Math.log10(100 / (100 - pct))) / 5.0;
                double y = yLog(Math.max(0.01, p.get(1).asDouble()), yTop);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String target = r.path("target").asText();
            s.append("<polyline fill=none stroke-width=2 stroke=\"").append(color(target)).append("\" points=\"")
                    .append(pts).append("\"/>");
            s.append(legend(row++, target + " @ " + HtmlReport.num(step.path("rate").asDouble()) + "/s", color(target)));
        }
        return s.append("</svg>").toString();
    }

    /** Deliveries per second of each server over the scenario's run time. */
    static String deliveriesOverTime(List<JsonNode> runs) {
        double maxT = 1, maxD = 1;
        for (JsonNode r : runs) {
            for (JsonNode p : r.path("series")) {
                maxT = Math.max(maxT, p.path("t").asDouble());
                maxD = Math.max(maxD, p.path("deliveries").asDouble());
            }
        }
        double yTop = niceCeil(maxD);
        StringBuilder s = open("deliveries per second over time (s)");
        for (int i = 0; i <= 4; i++) {
            double v = yTop * i / 4;
            double y = H - B - (H - B - T) * i / 4.0;
            s.append(grid(L, y, W - R, y)).append(label(L - 4, y + 4, HtmlReport.num(v), "end"));
        }
        for (int i = 0; i <= 5; i++) {
            double x = L + (W - L - R) * i / 5.0;
            s.append(label(x, H - B + 16, fmt(maxT * i / 5), "middle"));
        }
        int row = 0;
        for (JsonNode r : runs) {
            StringBuilder pts = new StringBuilder();
            for (JsonNode p : r.path("series")) {
                double x = L + (W - L - R) * p.path("t").asDouble() / maxT;
                double y = H - B - (H - B - T) * p.path("deliveries").asDouble() / yTop;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String target = r.path("target").asText();
            s.append("<polyline fill=none stroke-width=1.5 stroke=\"").append(color(target)).append("\" points=\"")
                    .append(pts).append("\"/>");
            s.append(legend(row++, target, color(target)));
        }
        return s.append("</svg>").toString();
    }

    private static JsonNode stepToPlot(JsonNode run) {
        JsonNode best = HtmlReport.best(run);
        if (best != null) return best;
        JsonNode steps = run.path("steps");
        return steps.size() == 0 ? null : steps.get(steps.size() - 1);
    }

    private static StringBuilder open(String title) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">"
                        + "<text x=\"%d\" y=\"16\" font-weight=\"bold\">%s</text>", W, H, L, HtmlReport.esc(title)));
    }

    private static double yLog(double ms, double yTop) {
        double lo = -2, hi = Math.log10(yTop);
        return H - B - (H - B - T) * (Math.log10(ms) - lo) / (hi - lo);
    }

    private static String grid(double x1, double y1, double x2, double y2) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", x1, y1, x2, y2);
    }

    private static String label(double x, double y, String text, String anchor) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor, HtmlReport.esc(text));
    }

    private static String legend(int row, String text, String color) {
        int y = T + 12 + row * 14;
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", L + 8, y - 9, color)
                + label(L + 22, y, text, "start");
    }

    private static String fmt(double v) {
        return v >= 10 || v == Math.floor(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) return m * p;
        }
        return 10 * p;
    }
}
