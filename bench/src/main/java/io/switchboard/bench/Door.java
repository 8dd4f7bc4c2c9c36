package io.switchboard.bench;

/** The ways a subscriber connects: WebSocket, Server-Sent Events, HTTP streaming (NDJSON), long-polling. */
public enum Door {
    WS, SSE, STREAM, LONGPOLL;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Door of(String key) {
        return valueOf(key.toUpperCase(java.util.Locale.ROOT));
    }
}
