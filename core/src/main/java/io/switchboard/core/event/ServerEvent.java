package io.switchboard.core.event;

/**
 * Something that happened on this node that a backend may want to hear of (webhooks): a session came or
 * went, a channel got its first subscriber or lost its last, a presence member joined or left, a client
 * published. Fields that do not apply to a type are null.
 *
 * @param type    what happened
 * @param timeMillis when, in epoch milliseconds
 * @param channel the channel (channel, member and publish events)
 * @param user    the user id (member events; session events when the session has one)
 * @param session the session id (session events)
 * @param json    extra JSON as compact bytes: the member's {@code info}, or a client publish's item
 */
public record ServerEvent(Type type, long timeMillis, String channel, String user, String session, byte[] json) {
    /** Event names as backends see them. */
    public enum Type {
        SESSION_CONNECTED("session_connected"),
        SESSION_DISCONNECTED("session_disconnected"),
        CHANNEL_OCCUPIED("channel_occupied"),
        CHANNEL_VACATED("channel_vacated"),
        MEMBER_ADDED("member_added"),
        MEMBER_REMOVED("member_removed"),
        CLIENT_PUBLISH("client_publish");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        /** {@code session_connected}, … */
        public String wireName() {
            return wireName;
        }
    }
}
