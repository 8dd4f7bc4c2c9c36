package io.switchboard.server.session;

import io.switchboard.core.auth.Identity;

/** Told when a session comes ({@code connected}) or goes, for webhooks. Must not block. */
@FunctionalInterface
public interface SessionEvents {
    void sessionEvent(boolean connected, String session, Identity identity);
}
