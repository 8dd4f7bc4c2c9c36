package io.switchboard.server.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where this node POSTs its server events and how: the receivers, the signing secret, batching, the bound
 * on what waits, and retries. {@link #NONE} (no URLs) sends nothing.
 *
 * @param urls                   http or https receivers; each gets every batch, in order, on its own
 * @param secret                 the HMAC-SHA256 key of {@code X-Switchboard-Signature}; required once there
 *                               are URLs (checked by {@link WebhookSender#start}, since settings arrive one
 *                               at a time); never printed
 * @param batchSize              a POST leaves when this many events wait (50)
 * @param batchDelay             ... or this long after the first event of the batch (250 ms)
 * @param queueSize              events that may wait for one receiver (10,000); past it events are dropped
 *                               and counted: new ones while they wait to be batched, the oldest of a
 *                               receiver's backlog when it does not take them
 * @param timeout                connect and answer timeout of one POST (5 s)
 * @param retryBase              first retry waits up to this long (200 ms), doubling each attempt ...
 * @param retryMax               ... up to this (10 s); each wait is random below its limit (full jitter)
 * @param includeClientPublishes whether {@code client_publish} events are sent (false)
 */
public record WebhookConfig(List<URI> urls, String secret, int batchSize, Duration batchDelay, int queueSize,
                            Duration timeout, Duration retryBase, Duration retryMax, boolean includeClientPublishes) {

    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");

    public static final WebhookConfig NONE = new WebhookConfig(List.of(), "", 50, Duration.ofMillis(250), 10_000,
            Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(10), false);

    public WebhookConfig {
        urls = List.copyOf(urls);
        HashSet<URI> seen = new HashSet<>();
        for (URI u : urls) {
            check(u);
            if (!seen.add(u)) throw new IllegalArgumentException("webhook URL " + redact(u.toString()) + " is listed twice");
        }
        Objects.requireNonNull(secret, "secret");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1");
        if (queueSize < batchSize) throw new IllegalArgumentException("queueSize must be >= batchSize");
        requirePositive(batchDelay, "batchDelay");
        requirePositive(timeout, "timeout");
        requirePositive(retryBase, "retryBase");
        requirePositive(retryMax, "retryMax");
        if (retryMax.compareTo(retryBase) < 0) throw new IllegalArgumentException("retryMax must be >= retryBase");
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0");
    }

    /**
     * Parses one receiver URL: {@code http} or {@code https} with a host, no user info (the JDK client would
     * not send it; put credentials in the path or query). The problem description leaves out the query and
     * user info, which may hold credentials.
     */
    public static URI url(String raw) {
        String s = raw.trim();
        try {
            URI u = new URI(s);
            check(u);
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(notAUrl(s));
        }
    }

    private static void check(URI u) {
        Objects.requireNonNull(u, "url");
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw new IllegalArgumentException(notAUrl(u.toString()));
        }
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("webhook URL " + redact(u.toString())
                    + " has user info, which is not sent (put credentials in the path or query instead)");
        }
    }

    private static String notAUrl(String raw) {
        return "'" + redact(raw) + "' is not an http or https URL (e.g. https://backend.example.com/switchboard)";
    }

    /** A URL fit for logs and errors: without user info, query or fragment, which may hold credentials. */
    public static String redact(String url) {
        String s = USER_INFO.matcher(url).replaceFirst("$1…@");
        int query = s.indexOf('?');
        int fragment = s.indexOf('#');
        int cut = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
        return cut < 0 ? s : s.substring(0, cut) + "?…";
    }

    /** Whether any receiver is configured. */
    public boolean enabled() {
        return !urls.isEmpty();
    }

    public WebhookConfig withUrls(List<URI> v) {
        return new WebhookConfig(v, secret, batchSize, batchDelay, queueSize, timeout, retryBase, retryMax, includeClientPublishes);
    }

    public WebhookConfig withSecret(String v) {
        return new WebhookConfig(urls, v, batchSize, batchDelay, queueSize, timeout, retryBase, retryMax, includeClientPublishes);
    }

    public WebhookConfig withBatchSize(int v) {
        return new WebhookConfig(urls, secret, v, batchDelay, queueSize, timeout, retryBase, retryMax, includeClientPublishes);
    }

    public WebhookConfig withBatchDelay(Duration v) {
        return new WebhookConfig(urls, secret, batchSize, v, queueSize, timeout, retryBase, retryMax, includeClientPublishes);
    }

    public WebhookConfig withQueueSize(int v) {
        return new WebhookConfig(urls, secret, batchSize, batchDelay, v, timeout, retryBase, retryMax, includeClientPublishes);
    }

    public WebhookConfig withTimeout(Duration v) {
        return new WebhookConfig(urls, secret, batchSize, batchDelay, queueSize, v, retryBase, retryMax, includeClientPublishes);
    }

    public WebhookConfig withRetry(Duration base, Duration max) {
        return new WebhookConfig(urls, secret, batchSize, batchDelay, queueSize, timeout, base, max, includeClientPublishes);
    }

    public WebhookConfig withIncludeClientPublishes(boolean v) {
        return new WebhookConfig(urls, secret, batchSize, batchDelay, queueSize, timeout, retryBase, retryMax, v);
    }

    @Override
    public String toString() {
        // Never print the secret, nor the parts of a URL that may hold credentials.
        return "WebhookConfig[urls=" + urls.stream().map(u -> redact(u.toString())).collect(Collectors.joining(", ", "[", "]"))
                + ", secret=" + (secret.isEmpty() ? "none" : "set") + ", batchSize=" + batchSize
                + ", batchDelay=" + batchDelay + ", queueSize=" + queueSize + ", timeout=" + timeout
                + ", retryBase=" + retryBase + ", retryMax=" + retryMax
                + ", includeClientPublishes=" + includeClientPublishes + "]";
    }
}
