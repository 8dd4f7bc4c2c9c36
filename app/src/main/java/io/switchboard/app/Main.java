package io.switchboard.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code switchboard} command line: {@code switchboard serve [options]}, {@code switchboard token [options]},
 * {@code --help}, {@code --version}.
 * An instance runs one command with the given streams and environment, so tests run it in-process;
 * {@link #main} is the runnable jar's entry point.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Switchboard: a realtime push server for the web (WebSocket, Server-Sent Events, server API).")
public final class Main implements Callable<Integer> {
    private final PrintStream err;
    private final ServeCommand serve;
    private final CommandLine commandLine;

    /**
     * @param out the stream for the {@code api key:} and {@code listening on} lines, minted tokens and help
     * @param err the stream for one-line errors
     * @param env the environment ({@code SWITCHBOARD_*} settings); {@code System.getenv()} in production
     */
    public Main(PrintStream out, PrintStream err, Map<String, String> env) {
        this.err = err;
        this.serve = new ServeCommand(out, err, env);
        this.commandLine = new CommandLine(this).addSubcommand("serve", serve)
                .addSubcommand("token", new TokenCommand(out, err, env));
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        commandLine.setParameterExceptionHandler(this::usageError);
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            err.println("error: " + e); // a bug, not bad input: keep the type for the report
            return 1;
        });
    }

    public static void main(String[] args) {
        System.exit(new Main(System.out, System.err, System.getenv()).run(args));
    }

    /** Runs {@code args}; for {@code serve} it returns only once the server has stopped. Returns the exit code. */
    public int run(String... args) {
        return commandLine.execute(args);
    }

    /** Stops a running {@code serve} gracefully and waits until it has stopped. */
    public void stop() {
        serve.stop();
    }

    /** {@code switchboard} without a command. */
    @Override
    public Integer call() {
        err.println("error: missing command (try: switchboard serve, or switchboard --help)");
        return 2;
    }

    /** Picocli's default prints the whole usage; an operator's mistake gets one line instead. */
    private int usageError(CommandLine.ParameterException e, String[] args) {
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        err.println("error: " + String.valueOf(e.getMessage()).replace('\n', ' ') + " (see: " + command + " --help)");
        err.flush();
        return 2;
    }

    /** The version from the build ({@code version.properties}, filled in by Maven). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"switchboard " + number()};
        }

        static String number() {
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in == null) return "unknown";
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
