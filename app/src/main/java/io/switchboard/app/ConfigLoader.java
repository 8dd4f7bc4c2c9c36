package io.switchboard.app;

import io.switchboard.core.time.Clock;
import io.switchboard.redis.RedisOptions;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.Tls;
import io.switchboard.server.auth.JwtVerifier;
import io.switchboard.server.webhook.WebhookConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the one {@link ServerConfig} a node runs with from its three sources, highest first: command-line
 * flags, {@code SWITCHBOARD_*} environment variables, the YAML file named by {@code --config} (or
 * {@code SWITCHBOARD_CONFIG}), then {@link ServerConfig#defaults}. The only place that reads files and
 * environment for configuration (STYLE.md habit 8).
 */
final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * The outcome of loading.
     *
     * @param config           the config to run with
     * @param apiKeyGenerated  true when no source gave an API key and a random one was made (the CLI prints
     *                         it once)
     * @param warnings         things worth telling the operator that do not stop the start
     * @param redis            where the node's broker and presence live when it is one of many on Redis;
     *                         null for the in-memory broker of a single node
     */
    record Loaded(ServerConfig config, boolean apiKeyGenerated, List<String> warnings, RedisOptions redis) {
        Loaded {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param flags      settings given as flags (already parsed, see {@link Settings.Builder#parse})
     * @param configFile the {@code --config} flag, or null
     * @param env        the process environment (only {@code SWITCHBOARD_*} entries are read)
     * @throws ConfigException naming the flag, variable or file key of the first bad value
     */
    static Loaded load(Settings flags, String configFile, Map<String, String> env) {
        Settings effective = settings(flags, configFile, env);
        if (effective.has(Setting.TOKEN_PUBLIC_KEY) && effective.has(Setting.TOKEN_JWKS)) {
            throw new ConfigException("both " + Setting.TOKEN_PUBLIC_KEY.key() + " and " + Setting.TOKEN_JWKS.key()
                    + " are set: give the token public key as a PEM file or as a JWKS file, not both");
        }

        boolean generated = !effective.has(Setting.API_KEY);
        String apiKey = generated ? ApiKeys.generate() : (String) effective.get(Setting.API_KEY);
        ServerConfig config;
        try {
            // The demo pages are on unless turned off: `switchboard serve` should show them out of the box.
            config = effective.applyTo(ServerConfig.defaults(apiKey).withDemo(true));
        } catch (IllegalArgumentException e) {
            // The parsers check each value; this catches a combination the config records refuse.
            throw new ConfigException("invalid configuration: " + e.getMessage());
        }
        try {
            // Read the key files now, so that a missing or wrong one stops the start with one line (exit 2).
            JwtVerifier.from(config.tokens(), Clock.system());
            Tls.context(config.tls());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        List<String> warnings = new ArrayList<>();
        if (effective.has(Setting.TOKEN_SKEW) && !config.tokens().configured()) {
            warnings.add("ignoring " + Setting.TOKEN_SKEW.key() + ": no token key is set (" + Setting.TOKEN_SECRET.key()
                    + ", " + Setting.TOKEN_PUBLIC_KEY.key() + " or " + Setting.TOKEN_JWKS.key() + ")");
        }
        checkWebhooks(config, warnings);
        if (config.demo() && !List.of("127.0.0.1", "localhost", "::1").contains(config.host())) {
            warnings.add("the demo is on while listening on " + config.host() + ": anyone who reaches it may publish on"
                    + " demo-* channels and get demo chat tokens; set " + Setting.DEMO.key() + " to false in production");
        }
        for (String name : EnvSettings.unknown(env)) {
            warnings.add("ignoring unknown environment variable " + name);
        }
        return new Loaded(config, generated, warnings, redis(effective, warnings));
    }

    /**
     * The settings the three sources give together, flag over environment over file, without building a
     * config; {@code switchboard token} reads its secret from them.
     */
    static Settings settings(Settings flags, String configFile, Map<String, String> env) {
        Settings fromEnv = EnvSettings.read(env);
        String file = configFile != null ? configFile : emptyToNull(env.get(Setting.CONFIG_ENV));
        Settings fromFile = file == null ? Settings.EMPTY : YamlSettings.read(Path.of(file));
        return flags.over(fromEnv.over(fromFile));
    }

    /** The Redis options when {@code broker} names Redis; null for the in-memory broker. */
    private static RedisOptions redis(Settings effective, List<String> warnings) {
        String broker = effective.has(Setting.BROKER) ? (String) effective.get(Setting.BROKER) : "memory";
        if (broker.equals("memory")) {
            if (effective.has(Setting.REDIS_NODE_TTL)) {
                warnings.add("ignoring " + Setting.REDIS_NODE_TTL.key() + ": the broker is memory");
            }
            return null;
        }
        RedisOptions redis = RedisOptions.of(broker);
        if (effective.has(Setting.REDIS_NODE_TTL)) redis = redis.withNodeTtl((Duration) effective.get(Setting.REDIS_NODE_TTL));
        return redis;
    }

    /** Webhook settings that only make sense together, which one setting alone cannot check. */
    private static void checkWebhooks(ServerConfig config, List<String> warnings) {
        WebhookConfig w = config.webhooks();
        if (w.enabled() && w.secret().isEmpty()) {
            throw new ConfigException("webhook-urls are set but webhook-secret is not: receivers check each POST's"
                    + " signature with it (set --webhook-secret, SWITCHBOARD_WEBHOOK_SECRET or webhook-secret in the config file)");
        }
        if (!w.enabled() && (!w.secret().isEmpty() || w.includeClientPublishes())) {
            warnings.add("webhook settings are given but no webhook-urls: no webhooks are sent");
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
