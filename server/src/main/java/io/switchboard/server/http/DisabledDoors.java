package io.switchboard.server.http;

import io.switchboard.core.error.SwitchboardException;
import java.util.Map;
import java.util.Set;

/**
 * Doors a server does not offer ({@code ServerConfig.disabledDoors}, {@code --disable-door NAME}): for
 * deployments that must not offer one, and for testing that clients fall back by themselves. A disabled
 * door answers {@code 404 not_found} like an unknown path, to every method (so {@code /ws} refuses the
 * upgrade). {@code longpoll} disables only waiting on {@code /poll} ({@code wait} of 1 or more), so a
 * server can offer plain polling without long-polling.
 */
public final class DisabledDoors {
    /** The names {@code --disable-door} takes. */
    public static final Set<String> NAMES =
            Set.of("ws", "sse", "stream", "longpoll", "poll", "jsonp", "iframe", "send", "history");

    private DisabledDoors() {}

    /** Throws IllegalArgumentException for a name that is not a door. */
    public static void check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a door (one of " + String.join(", ", NAMES.stream().sorted().toList()) + ")");
        }
    }

    /** Takes the {@code disabled} doors out of the route table {@code exact} (path → route). */
    public static void apply(Set<String> disabled, Map<String, Route> exact) {
        for (String door : disabled) {
            if (door.equals("longpoll")) {
                exact.computeIfPresent("/poll", (path, poll) -> withoutWaiting(poll));
            } else {
                exact.remove("/" + door);
            }
        }
    }

    private static Route withoutWaiting(Route poll) {
        return (ctx, request) -> {
            String wait = QueryParams.parse(request.uri()).one("wait");
            // Only a real wait is refused here: a malformed one is the door's to refuse (400 bad_wait).
            if (wait != null && wait.matches("0*[1-9][0-9]{0,8}")) {
                throw new SwitchboardException(404, "not_found", "long-polling is disabled on this server");
            }
            poll.handle(ctx, request);
        };
    }
}
