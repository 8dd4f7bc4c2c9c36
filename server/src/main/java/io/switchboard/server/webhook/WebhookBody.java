package io.switchboard.server.webhook;

import com.fasterxml.jackson.core.JsonGenerator;
import io.switchboard.core.event.ServerEvent;
import io.switchboard.server.codec.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook wire format: {@code {"time_ms":…,"events":[{"name":…,"time_ms":…,"channel":…,"user":…,
 * "session":…,"info":…},…]}} (fields that do not apply are left out; a client publish carries its item as
 * {@code item}), and its HMAC-SHA256 signature. One instance belongs to one thread (a {@link Mac} is not
 * thread-safe).
 */
final class WebhookBody {
    private final Mac mac;

    WebhookBody(String secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every JDK has HmacSHA256, and any non-empty key is valid for it.
            throw new IllegalStateException("cannot set up HmacSHA256", e);
        }
    }

    /** {@code sha256=} and the lower-case hex HMAC-SHA256 of exactly {@code body}. */
    String sign(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** The body of one POST; {@code events} is not empty. */
    static byte[] encode(long timeMillis, List<ServerEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 128 * events.size());
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("time_ms", timeMillis);
            g.writeArrayFieldStart("events");
            for (ServerEvent e : events) write(g, e);
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the output is a byte array
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, ServerEvent e) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", e.type().wireName());
        g.writeNumberField("time_ms", e.timeMillis());
        if (e.channel() != null) g.writeStringField("channel", e.channel());
        if (e.user() != null) g.writeStringField("user", e.user());
        if (e.session() != null) g.writeStringField("session", e.session());
        if (e.json() != null && e.json().length > 0) {
            // Compact JSON made by the server itself (a token's info, a publish's item): inlined as is.
            g.writeFieldName(e.type() == ServerEvent.Type.CLIENT_PUBLISH ? "item" : "info");
            g.writeRawValue(new String(e.json(), StandardCharsets.UTF_8));
        }
        g.writeEndObject();
    }
}
