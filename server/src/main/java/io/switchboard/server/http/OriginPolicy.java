package io.switchboard.server.http;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which page origins may open a WebSocket or read a CORS answer (PROTOCOL.md "Origins"): requests with
 * no {@code Origin}, the server's own origin, {@code http(s)://localhost:*}, {@code http(s)://127.0.0.1:*},
 * and configured origins. Guards against cross-site WebSocket hijacking.
 */
public final class OriginPolicy {
    private final Set<String> configured = new HashSet<>();

    public OriginPolicy(List<String> allowedOrigins) {
        for (String o : allowedOrigins) configured.add(normalize(o));
    }

    /**
     * @param origin the {@code Origin} header, or null
     * @param host   the request's {@code Host} header, or null, for the server's own origin
     */
    public boolean allows(String origin, String host) {
        if (origin == null) return true;
        String o = normalize(origin);
        if (configured.contains(o) || configured.contains("*")) return true;
        URI uri;
        try {
            uri = new URI(o);
        } catch (Exception e) {
            return false;
        }
        String scheme = uri.getScheme();
        String originHost = uri.getHost();
        if (scheme == null || originHost == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            return false;
        }
        if (!scheme.equals("http") && !scheme.equals("https")) return false;
        if (originHost.equals("localhost") || originHost.equals("127.0.0.1") || originHost.equals("[::1]")) {
            return true;
        }
        if (host != null) {
            String authority = uri.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        }
        return false;
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
