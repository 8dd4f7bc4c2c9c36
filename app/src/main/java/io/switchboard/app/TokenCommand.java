package io.switchboard.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.codec.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard token}: mints an HS256 client token for development (PROTOCOL.md "Tokens and
 * permissions") and prints only the token, so that {@code TOKEN=$(switchboard token …)} works. The secret
 * is read like {@code serve} reads {@code token-secret}: {@code --secret}, then
 * {@code SWITCHBOARD_TOKEN_SECRET}, then the config file. Exit codes: 0 with the token, 2 for bad input.
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Mints an HS256 client token for development and prints it.",
                "The secret is --secret, else SWITCHBOARD_TOKEN_SECRET, else token-secret of the --config file"
                        + " (or SWITCHBOARD_CONFIG): the one the server verifies with."})
final class TokenCommand implements Callable<Integer> {
    /** A channel name's characters (PROTOCOL.md "Names and sizes") plus {@code *}, which matches any run of them. */
    private static final Pattern CHANNEL_PATTERN = Pattern.compile("[A-Za-z0-9_\\-=@,.;:*]{1,164}");

    @Option(names = "--secret", paramLabel = "SECRET",
            description = "The server's token secret, at least 32 bytes (prefer SWITCHBOARD_TOKEN_SECRET on shared machines).")
    String secret;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file to read token-secret from.")
    String configFile;

    @Option(names = "--sub", paramLabel = "USER", description = "The user id (sub claim), needed for presence.")
    String sub;

    @Option(names = "--channel", paramLabel = "PATTERN",
            description = "A channel pattern it may subscribe to beyond public ones, e.g. private-user-7 or presence-* (repeatable).")
    List<String> channels;

    @Option(names = "--publish", paramLabel = "PATTERN", description = "A channel pattern it may publish to (repeatable).")
    List<String> publish;

    @Option(names = "--info", paramLabel = "JSON", description = "JSON shown to presence, e.g. '{\"name\":\"Ada\"}'.")
    String info;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "How long the token is valid (default: 1h; at least 1s).")
    String ttl;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    TokenCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        String token;
        try {
            token = mint(System.currentTimeMillis());
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 2;
        }
        out.println(token);
        out.flush();
        return 0;
    }

    /** The signed token, issued at {@code nowMillis}; bad input is a {@link ConfigException} naming the option. */
    String mint(long nowMillis) {
        byte[] key = secret().getBytes(StandardCharsets.UTF_8);
        Duration lifetime = ttl == null ? Duration.ofHours(1) : parse("--ttl", () -> Values.duration(ttl));
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) throw new ConfigException("--ttl: " + ttl.trim() + " is shorter than 1s");

        ObjectNode claims = Json.MAPPER.createObjectNode();
        if (sub != null) {
            if (sub.isEmpty()) throw new ConfigException("--sub: the user id must not be empty");
            claims.put("sub", sub);
        }
        if (channels != null) claims.set("channels", patterns("--channel", channels));
        if (publish != null) claims.set("publish", patterns("--publish", publish));
        if (info != null) claims.set("info", infoJson());
        long issuedAt = nowMillis / 1000;
        claims.put("iat", issuedAt);
        claims.put("exp", issuedAt + lifetime.toSeconds());

        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                new Payload(Json.bytes(claims)));
        try {
            jws.sign(new MACSigner(key));
        } catch (JOSEException e) { // the length is checked above; a JDK without HmacSHA256 is a broken install
            throw new IllegalStateException("cannot sign with HS256", e);
        }
        return jws.serialize();
    }

    /** The secret from the flag, the environment or the config file, checked like the server checks it. */
    private String secret() {
        Settings.Builder flags = Settings.builder();
        if (secret != null) flags.parse(Setting.TOKEN_SECRET, secret, "--secret");
        Settings effective = ConfigLoader.settings(flags.build(), configFile, env);
        if (!effective.has(Setting.TOKEN_SECRET)) {
            throw new ConfigException("no token secret: give --secret, set " + Setting.TOKEN_SECRET.env()
                    + " or put " + Setting.TOKEN_SECRET.key() + " in the --config file");
        }
        return (String) effective.get(Setting.TOKEN_SECRET);
    }

    private static ArrayNode patterns(String option, List<String> values) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (String v : values) {
            if (!CHANNEL_PATTERN.matcher(v).matches()) {
                throw new ConfigException(option + ": '" + v + "' is not a channel pattern (1-164 of A-Z a-z 0-9 _ - = @ , . ; :"
                        + " and * for any run of them)");
            }
            array.add(v);
        }
        return array;
    }

    private JsonNode infoJson() {
        try {
            return Json.parse(info.getBytes(StandardCharsets.UTF_8));
        } catch (SwitchboardException e) {
            throw new ConfigException("--info: not one JSON value (e.g. '{\"name\":\"Ada\"}')");
        }
    }

    private static <T> T parse(String option, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option + ": " + e.getMessage());
        }
    }
}
