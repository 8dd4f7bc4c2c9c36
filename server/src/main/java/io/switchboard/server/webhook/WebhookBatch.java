package io.switchboard.server.webhook;

/**
 * One POST body, encoded and signed once and shared by every receiver: the same bytes, signature and
 * delivery id on every attempt, so receivers can check it and drop duplicates.
 *
 * @param id        {@code X-Switchboard-Delivery}
 * @param body      the JSON body; never modified after construction
 * @param signature {@code X-Switchboard-Signature}: {@code sha256=} and the lower-case hex HMAC of {@code body}
 * @param events    how many events the body holds (for the bound and the counters)
 */
record WebhookBatch(String id, byte[] body, String signature, int events) {
}
