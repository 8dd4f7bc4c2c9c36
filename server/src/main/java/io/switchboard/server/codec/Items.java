package io.switchboard.server.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.switchboard.core.hub.Subscribed;
import io.switchboard.core.message.Position;
import io.switchboard.core.presence.Member;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The control items of PROTOCOL.md ("Items" and "WebSocket frames") as JSON. These are per-session and
 * rare, so they are built with the tree model; messages use the cached encodings of {@link NativeFormats}.
 */
public final class Items {
    private Items() {}

    /** {@code {"type":"gap","channel":…,"epoch":…,"offset":…}} */
    public static ObjectNode gap(String channel, Position p) {
        ObjectNode n = type("gap");
        n.put("channel", channel);
        n.put("epoch", p.epoch());
        n.put("offset", p.offset());
        return n;
    }

    /** {@code {"type":"error","code":…,"reason":…}} plus {@code "ref"} when the request had an id. */
    public static ObjectNode error(int code, String reason, Object ref) {
        ObjectNode n = type("error");
        putRef(n, ref);
        n.put("code", code);
        n.put("reason", reason);
        return n;
    }

    /** {@code {"type":"subscribed","channel":…,"epoch":…,"offset":…[,"recovered":…]}} */
    public static ObjectNode subscribed(Subscribed s, Object ref) {
        ObjectNode n = type("subscribed");
        putRef(n, ref);
        n.put("channel", s.channel());
        n.put("epoch", s.position().epoch());
        n.put("offset", s.position().offset());
        if (s.recovered() != null) n.put("recovered", s.recovered());
        return n;
    }

    /** {@code {"type":"join"|"leave","channel":…,"user":…,"info":…}}; {@code info} only when the token had one. */
    public static ObjectNode presence(boolean joined, String channel, Member member) {
        ObjectNode n = type(joined ? "join" : "leave");
        n.put("channel", channel);
        n.put("user", member.user());
        if (member.info() != null) n.putRawValue("info", new RawValue(new String(member.info(), StandardCharsets.UTF_8)));
        return n;
    }

    /** {@code [{"user":…,"info":…},…]} into {@code n}'s {@code members} field. */
    public static ObjectNode members(ObjectNode n, List<Member> members) {
        ArrayNode out = n.putArray("members");
        for (Member m : members) {
            ObjectNode o = out.addObject();
            o.put("user", m.user());
            if (m.info() != null) o.putRawValue("info", new RawValue(new String(m.info(), StandardCharsets.UTF_8)));
        }
        return n;
    }

    public static ObjectNode type(String type) {
        ObjectNode n = Json.object();
        n.put("type", type);
        return n;
    }

    /** Copies the client's {@code id} (a number or string) as {@code ref}; null adds nothing. */
    public static void putRef(ObjectNode n, Object ref) {
        if (ref == null) return;
        if (ref instanceof Long l) n.put("ref", l);
        else if (ref instanceof Integer i) n.put("ref", i);
        else n.put("ref", ref.toString());
    }
}
