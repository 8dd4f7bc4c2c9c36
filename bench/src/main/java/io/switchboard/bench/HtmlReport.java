package io.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Merges the run files of one {@code bench/run} into {@code results.json} (with the machine and date)
 * and a self-contained {@code index.html}: tables per scenario, the Switchboard ÷ peer ratios, and
 * inline SVG plots (latency percentile curves, deliveries per second over time). No scripts, no CDN.
 */
final class HtmlReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlReport() {}

    static void write(Path dir, List<Path> runFiles, String note) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode meta = root.putObject("meta");
        meta.put("date", Instant.now().toString());
        meta.put("cores", Runtime.getRuntime().availableProcessors());
        meta.put("cpu", cpuModel());
        meta.put("memoryBytes", totalMemory());
        meta.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        meta.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        meta.put("generatorTransport", Net.EPOLL ? "epoll" : "nio");
        meta.put("note", note);
        ArrayNode runs = root.putArray("runs");
        for (Path f : runFiles) {
            if (!Files.exists(f)) continue;
            JsonNode node = JSON.readTree(f.toFile());
            if (node.isArray()) node.forEach(runs::add);
        }
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("results.json").toFile(), root);
        Files.writeString(dir.resolve("index.html"), html(root), StandardCharsets.UTF_8);
    }

    static String html(JsonNode root) {
        StringBuilder h = new StringBuilder();
        JsonNode meta = root.path("meta");
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Switchboard benchmarks</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
                .append("td:first-child,th:first-child{text-align:left}.bad{color:#b00;font-weight:bold}")
                .append("svg{border:1px solid #ddd;margin:4px;background:#fff}.note{background:#fff8e0;padding:.5em}")
                .append("</style></head><body><h1>Switchboard benchmarks</h1>");
        h.append("<p>").append(esc(meta.path("date").asText())).append(" · ").append(meta.path("cores").asInt())
                .append(" cores · ").append(esc(meta.path("cpu").asText())).append(" · ")
                .append(meta.path("memoryBytes").asLong() >> 20).append(" MiB · ").append(esc(meta.path("os").asText()))
                .append(" · ").append(esc(meta.path("java").asText())).append(" · generator on ")
                .append(esc(meta.path("generatorTransport").asText())).append("</p>");
        if (!meta.path("note").asText().isEmpty()) h.append("<p class=note>").append(esc(meta.path("note").asText())).append("</p>");
        Map<String, List<JsonNode>> byScenario = new LinkedHashMap<>();
        for (JsonNode run : root.path("runs")) {
            byScenario.computeIfAbsent(run.path("scenario").asText(), k -> new ArrayList<>()).add(run);
        }
        h.append(ratios(byScenario));
        for (Map.Entry<String, List<JsonNode>> e : byScenario.entrySet()) {
            h.append("<h2>").append(esc(e.getKey())).append("</h2>");
            h.append(table(e.getValue()));
            boolean idle = e.getValue().get(0).has("memory");
            if (!idle) {
                h.append(Svg.latencyCurves(e.getValue()));
                h.append(Svg.deliveriesOverTime(e.getValue()));
            }
        }
        h.append("<p>Latency: publish→receive, measured from the publisher's intended send time (corrected for coordinated omission). ")
                .append("Best: the highest deliveries/s of a step whose p99 stayed ≤ 100 ms and whose publish rate held ≥ 90 % of its target.</p>");
        return h.append("</body></html>\n").toString();
    }

    private static String table(List<JsonNode> runs) {
        StringBuilder t = new StringBuilder("<table><tr><th>server</th><th>doors</th><th>connected</th><th>connect p99 ms</th>");
        boolean idle = runs.get(0).has("memory");
        if (idle) t.append("<th>heap/conn</th><th>RSS/conn</th>");
        else t.append("<th>best deliveries/s</th><th>at publish/s</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th>"
                + "<th>peak deliveries/s (any step)</th><th>its p99 ms</th><th>server CPU (cores)</th><th>generator CPU</th>");
        t.append("<th>lost</th><th>dup</th><th>reordered</th><th>errors</th><th>machine load at start</th></tr>");
        for (JsonNode r : runs) {
            t.append("<tr><td>").append(esc(r.path("target").asText())).append("</td><td>").append(esc(r.path("doors").asText()))
                    .append("</td><td>").append(r.path("connected").asInt()).append('/').append(r.path("connections").asInt())
                    .append("</td><td>").append(num(r.path("connect").path("p99Ms").asDouble())).append("</td>");
            if (idle) {
                JsonNode m = r.path("memory");
                t.append("<td>").append(m.has("heapPerConnectionBytes") ? bytes(m.path("heapPerConnectionBytes").asLong()) : "n/a")
                        .append("</td><td>").append(m.has("rssPerConnectionBytes") ? bytes(m.path("rssPerConnectionBytes").asLong()) : "n/a").append("</td>");
            } else {
                JsonNode best = best(r);
                if (best == null) {
                    t.append("<td class=bad>none sustained</td><td></td><td></td><td></td><td></td>");
                } else {
                    t.append("<td>").append(num(best.path("deliveriesPerSecond").asDouble())).append("</td><td>")
                            .append(num(best.path("rate").asDouble())).append("</td><td>")
                            .append(num(best.path("latency").path("p50Ms").asDouble())).append("</td><td>")
                            .append(num(best.path("latency").path("p99Ms").asDouble())).append("</td><td>")
                            .append(num(best.path("latency").path("p99.9Ms").asDouble())).append("</td>");
                }
                JsonNode peak = peak(r);
                if (peak == null) {
                    t.append("<td></td><td></td><td></td><td></td>");
                } else {
                    t.append("<td>").append(num(peak.path("deliveriesPerSecond").asDouble())).append("</td><td>")
                            .append(num(peak.path("latency").path("p99Ms").asDouble())).append("</td><td>")
                            .append(peak.has("serverCpuCores") ? num(peak.path("serverCpuCores").asDouble()) : "").append("</td><td>")
                            .append(num(peak.path("generatorCpuCores").asDouble())).append("</td>");
                }
            }
            long afterClose = r.path("notReceivedAfterClose").asLong();
            t.append(afterClose == 0 ? cell(r.path("lost").asLong())
                            : "<td>" + num(r.path("lost").asLong()) + " (" + num(afterClose) + " after "
                                    + r.path("closedByServer").asLong() + " server closes)</td>")
                    .append(cell(r.path("duplicated").asLong()))
                    .append(cell(r.path("reordered").asLong())).append("<td>")
                    .append(esc(r.path("errors").toString().replace("{}", "0"))).append("</td><td>")
                    .append(esc(r.path("loadAverageAtStart").asText().split(" ")[0])).append("</td></tr>");
        }
        return t.append("</table>").toString();
    }

    private static String ratios(Map<String, List<JsonNode>> byScenario) {
        StringBuilder t = new StringBuilder("<h2>Switchboard ÷ peer</h2><table><tr><th>scenario</th><th>figure</th>");
        Set<String> peers = new LinkedHashSet<>();
        byScenario.values().forEach(l -> l.forEach(r -> {
            if (!r.path("target").asText().equals("switchboard")) peers.add(r.path("target").asText());
        }));
        for (String p : peers) t.append("<th>").append(esc(p)).append("</th>");
        t.append("</tr>");
        for (Map.Entry<String, List<JsonNode>> e : byScenario.entrySet()) {
            JsonNode sb = e.getValue().stream().filter(r -> r.path("target").asText().equals("switchboard")).findFirst().orElse(null);
            if (sb == null) continue;
            if (sb.has("memory")) {
                ratioRow(t, e, sb, peers, "heap/conn, JVM servers only (lower is better)", (a, b) -> memoryRatio(a, b, "heapPerConnectionBytes"));
                ratioRow(t, e, sb, peers, "RSS/conn (lower is better)", (a, b) -> memoryRatio(a, b, "rssPerConnectionBytes"));
            } else {
                ratioRow(t, e, sb, peers, "best sustained deliveries/s", (a, b) -> best(a) == null || best(b) == null ? Double.NaN
                        : best(a).path("deliveriesPerSecond").asDouble() / best(b).path("deliveriesPerSecond").asDouble());
                ratioRow(t, e, sb, peers, "peak deliveries/s (any step)", (a, b) -> peak(a) == null || peak(b) == null ? Double.NaN
                        : peak(a).path("deliveriesPerSecond").asDouble() / peak(b).path("deliveriesPerSecond").asDouble());
            }
        }
        return t.append("</table>").toString();
    }

    private static double memoryRatio(JsonNode a, JsonNode b, String key) {
        if (!a.path("memory").has(key) || !b.path("memory").has(key)) return Double.NaN;
        return a.path("memory").path(key).asDouble() / b.path("memory").path(key).asDouble();
    }

    private static void ratioRow(StringBuilder t, Map.Entry<String, List<JsonNode>> e, JsonNode sb, Set<String> peers,
                                 String figure, java.util.function.ToDoubleBiFunction<JsonNode, JsonNode> ratio) {
        t.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(figure)).append("</td>");
        for (String p : peers) {
            JsonNode peer = e.getValue().stream().filter(r -> r.path("target").asText().equals(p)).findFirst().orElse(null);
            double v = peer == null ? Double.NaN : ratio.applyAsDouble(sb, peer);
            t.append("<td>").append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f×", v) : "–").append("</td>");
        }
        t.append("</tr>");
    }

    /** The step with the highest deliveries/s among the sustained ones, else null. */
    static JsonNode best(JsonNode run) {
        JsonNode best = null;
        for (JsonNode s : run.path("steps")) {
            if (s.path("sustained").asBoolean()
                    && (best == null || s.path("deliveriesPerSecond").asDouble() > best.path("deliveriesPerSecond").asDouble())) {
                best = s;
            }
        }
        return best;
    }

    /** The step with the highest deliveries/s, sustained or not. */
    static JsonNode peak(JsonNode run) {
        JsonNode peak = null;
        for (JsonNode s : run.path("steps")) {
            if (peak == null || s.path("deliveriesPerSecond").asDouble() > peak.path("deliveriesPerSecond").asDouble()) peak = s;
        }
        return peak;
    }

    private static String cell(long n) {
        return n == 0 ? "<td>0</td>" : "<td class=bad>" + n + "</td>";
    }

    static String num(double v) {
        if (v >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String bytes(long b) {
        return b >= 1024 ? String.format(Locale.ROOT, "%.2f KiB", b / 1024.0) : b + " B";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            // not Linux: say so below
        }
        return "unknown CPU";
    }

    private static long totalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException e) {
            // not Linux
        }
        return 0;
    }
}
