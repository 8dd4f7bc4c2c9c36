package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.channel.EventLoopGroup;
import io.switchboard.bench.baseline.BaselineServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench command line.
 * <ul>
 *   <li>{@code run --target switchboard|baseline|socketio|nchan --port P [--api-key K] [--pid PID]
 *       [--scenarios a,b] [--short] [--threads N] --out FILE}: runs scenarios against a started server
 *       (scenario {@code custom} takes {@code --doors ws,sse --connections N --channels C --publishers M
 *       --rates R1,R2 --step-seconds S});</li>
 *   <li>{@code report --out DIR FILE…}: merges run files into {@code DIR/results.json} and {@code DIR/index.html};</li>
 *   <li>{@code baseline --port P [--threads N]}: the bare Netty baseline server, until killed.</li>
 * </ul>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: bench run|report|baseline [options] (see bench/run)");
            System.exit(2);
        }
        Map<String, String> opts = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--short")) opts.put("short", "true");
            else if (args[i].startsWith("--") && i + 1 < args.length) opts.put(args[i].substring(2), args[++i]);
            else rest.add(args[i]);
        }
        switch (args[0]) {
            case "run" -> run(opts);
            case "report" -> HtmlReport.write(Path.of(opts.getOrDefault("out", "bench/target/report")),
                    rest.stream().map(Path::of).toList(), opts.getOrDefault("note", ""));
            case "baseline" -> {
                BaselineServer server = BaselineServer.start(opts.getOrDefault("host", "127.0.0.1"),
                        Integer.parseInt(opts.getOrDefault("port", "0")),
                        Integer.parseInt(opts.getOrDefault("threads", "0")), null);
                System.out.println("baseline listening on " + server.port());
                Thread.currentThread().join();
            }
            default -> {
                System.err.println("unknown command: " + args[0]);
                System.exit(2);
            }
        }
    }

    private static void run(Map<String, String> opts) throws Exception {
        String host = opts.getOrDefault("host", "127.0.0.1");
        Target target = Target.of(opts.get("target"), host, Integer.parseInt(opts.get("port")), opts.get("api-key"));
        if (opts.containsKey("publish-port")) target.publishingTo(Integer.parseInt(opts.get("publish-port")));
        ServerProbe probe = opts.containsKey("pid") ? new ServerProbe(Long.parseLong(opts.get("pid"))) : null;
        boolean quick = opts.containsKey("short");
        List<String> names = opts.containsKey("scenarios") ? Arrays.asList(opts.get("scenarios").split(",")) : Catalog.NAMES;
        EventLoopGroup group = Net.group(Integer.parseInt(opts.getOrDefault("threads", "2")), "bench");
        List<Map<String, Object>> results = new ArrayList<>();
        try {
            ScenarioRunner runner = new ScenarioRunner(group, target, new SourceAddresses(Subscribers.PER_ADDRESS), probe);
            String runId = "r" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
            for (String name : names) {
                Scenario s = Catalog.forTarget(name.equals("custom") ? Catalog.custom(opts) : Catalog.scenario(name, quick), target);
                if (s == null) {
                    System.err.println("[" + target.name() + "] " + name + ": no such door, skipped");
                    continue;
                }
                Map<String, Object> r = runner.run(s, runId);
                results.add(r);
                System.err.println("[" + target.name() + "] " + name + " done: " + summary(r));
                write(Path.of(opts.get("out")), results); // after each scenario, so a crash keeps the rest
            }
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    static String summary(Map<String, Object> r) {
        return "connected " + r.get("connected") + "/" + r.get("connections") + ", lost " + r.get("lost")
                + ", dup " + r.get("duplicated") + ", reordered " + r.get("reordered") + ", closed by server " + r.get("closedByServer")
                + " (" + r.get("notReceivedAfterClose") + " messages after), errors " + r.get("errors");
    }

    static void write(Path file, Object value) throws java.io.IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
    }
}
