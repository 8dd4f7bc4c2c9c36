package io.switchboard.core.message;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The message item as JSON, the same on every door:
 * {@code {"type":"message","channel":…,"event":…,"data":…,"epoch":…,"offset":…,"ts":…,"from":…}}.
 * Every other format that carries items builds on these bytes. Slot 0.
 */
public final class ItemJson extends WireFormat {
    /** The one instance: an encoding is a property of the message, shared across the whole process. */
    public static final ItemJson FORMAT = new ItemJson();

    private static final JsonFactory JSON = new JsonFactory();

    private ItemJson() {
        super(0, "item-json");
    }

    @Override
    protected byte[] encode(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + m.data().length + m.channel().length());
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            writeItem(g, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the message item as one JSON object to {@code g}. */
    public static void writeItem(JsonGenerator g, Message m) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "message");
        g.writeStringField("channel", m.channel());
        g.writeStringField("event", m.event());
        g.writeFieldName("data");
        g.writeRawValue(new String(m.data(), StandardCharsets.UTF_8));
        g.writeStringField("epoch", m.epoch());
        g.writeNumberField("offset", m.offset());
        g.writeNumberField("ts", m.timestamp());
        if (m.from() != null) g.writeStringField("from", m.from());
        g.writeEndObject();
    }
}
