package io.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads a server process's memory from outside: resident set size of the process and its children
 * (nginx workers) from {@code /proc/PID/status}, and for a JVM the heap in use after a full GC
 * ({@code jcmd PID GC.run}, then {@code jstat -gc PID}). Works for any JVM, so Switchboard and the
 * baseline are measured the same way.
 */
final class ServerProbe {
    private final long pid;
    private final boolean jvm;
    private final Path javaBin;

    ServerProbe(long pid) {
        this.pid = pid;
        Optional<String> command = ProcessHandle.of(pid).flatMap(h -> h.info().command());
        this.jvm = command.map(c -> c.endsWith("/java")).orElse(false);
        this.javaBin = Path.of(ProcessHandle.current().info().command().orElse("java")).getParent();
    }

    boolean jvm() {
        return jvm;
    }

    long pid() {
        return pid;
    }

    /** Bytes of Java heap in use after a full GC, or -1 for a process that is not a JVM. */
    long heapAfterGc() throws IOException, InterruptedException {
        if (!jvm) return -1;
        run(tool("jcmd"), String.valueOf(pid), "GC.run");
        String out = run(tool("jstat"), "-gc", String.valueOf(pid));
        String[] lines = out.trim().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        double kib = 0;
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) kib += Double.parseDouble(values[i]);
        }
        return (long) (kib * 1024);
    }

    /** Resident set size of the process and all its descendants, in bytes. */
    long rss() throws IOException {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        long total = 0;
        for (long p : pids) {
            Path status = Path.of("/proc", String.valueOf(p), "status");
            if (!Files.exists(status)) continue;
            for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return total;
    }

    /** CPU seconds (user + system) the process and its descendants have used so far. */
    double cpuSeconds() throws IOException {
        return cpuSeconds(pid) + ProcessHandle.of(pid).map(h -> h.descendants().mapToDouble(d -> {
            try {
                return cpuSeconds(d.pid());
            } catch (IOException e) {
                return 0; // it just exited
            }
        }).sum()).orElse(0.0);
    }

    private static double cpuSeconds(long pid) throws IOException {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        if (!Files.exists(stat)) return 0;
        String line = Files.readString(stat);
        // Fields after the command name (which may hold spaces) start after the last ')'.
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
    }

    private String tool(String name) {
        Path p = javaBin == null ? null : javaBin.resolve(name);
        return p != null && Files.isExecutable(p) ? p.toString() : name;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
        return new String(out, StandardCharsets.UTF_8);
    }
}
