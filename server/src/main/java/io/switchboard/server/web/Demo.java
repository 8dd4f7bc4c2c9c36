package io.switchboard.server.web;

import io.switchboard.core.auth.Namespace;
import io.switchboard.server.ServerConfig;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What {@link ServerConfig#demo} turns on besides the demo pages: clients may publish on {@code demo-*}
 * channels (the lab's {@value #LAB_CHANNEL}, the chat's typing channels) without a token, and
 * {@value #TOKEN_PATH} hands the chat page tokens for {@value #CHAT_PATTERN} rooms. Nothing else: every
 * other channel keeps the configured rules, which is why the demo's channels have their own prefix
 * rather than names an application might use ({@code chat-*}).
 */
public final class Demo {
    /** The channel every lab pane subscribes to and the lab's publisher publishes on. */
    public static final String LAB_CHANNEL = "demo-lab";
    /** The chat rooms: presence channels the demo tokens may read and publish on. */
    public static final String CHAT_PATTERN = "presence-demo-chat-*";
    public static final String TOKEN_PATH = "/demo/token";
    /** Client publishing on {@code demo-*}: a namespace rather than an endpoint, so the pages use the real publish path. */
    static final Namespace NAMESPACE = Namespace.clientPublish("demo-*");

    private Demo() {}

    /**
     * {@code config} with what the demo needs when it is on (unchanged when off, and when already applied):
     * the {@code demo-*} namespace first, and a random HS256 secret for the demo tokens when none is configured
     * (tokens from {@code switchboard token} then need {@code --token-secret}, as without the demo).
     */
    public static ServerConfig apply(ServerConfig config) {
        if (!config.demo()) return config;
        List<Namespace> namespaces = config.hub().namespaces();
        if (!namespaces.isEmpty() && namespaces.get(0).equals(NAMESPACE)) return config;
        List<Namespace> with = new ArrayList<>(namespaces.size() + 1);
        with.add(NAMESPACE);
        with.addAll(namespaces);
        ServerConfig out = config.withHub(config.hub().withNamespaces(with));
        if (out.tokens().secret() == null) out = out.withTokens(out.tokens().withSecret(randomSecret()));
        return out;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
