package io.switchboard.server.web;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.Route;
import java.util.List;
import java.util.Map;

/**
 * The pages people look at (the repository's {@code web/} folder, copied into the jar by server/pom.xml):
 * the landing page {@code /}, the admin dashboard {@code /admin} and, with {@link Demo} on, the Transport
 * Lab {@code /lab} and the demo chat {@code /demo/chat}, plus their scripts and style sheet.
 *
 * <p>Only the files listed here are served, each at one exact path, so no request can name any other
 * file of the jar (no path traversal to guard against). Each answer forbids MIME sniffing and carries a
 * Content-Security-Policy that allows scripts, styles, frames and connections from this server only and
 * no inline script at all; pages revalidate with their ETag on every load ({@code no-cache}).
 */
public final class Pages {
    /** Where {@code web/} lands in the jar. */
    static final String DIR = StaticAsset.CLIENT_DIR + "pages/";
    /**
     * {@code connect-src 'self'} covers this server's WebSocket too (CSP 3 matches ws/wss to the page's
     * http/https origin). {@code frame-src 'self'}: the lab's panes and the forever-iframe transport.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "application/javascript; charset=utf-8";

    /** One servable file: its URL path, its name in {@code web/}, its type, and whether only the demo has it. */
    private record File(String path, String name, String type, boolean demo) {}

    private static final List<File> FILES = List.of(
            new File("/", "index.html", HTML, false),
            new File("/admin", "admin.html", HTML, false),
            new File("/lab", "lab.html", HTML, true),
            new File("/lab/pane", "pane.html", HTML, true),
            new File("/demo/chat", "chat.html", HTML, true),
            new File("/web/style.css", "style.css", "text/css; charset=utf-8", false),
            new File("/web/favicon.svg", "favicon.svg", "image/svg+xml", false),
            new File("/web/common.js", "common.js", JS, false),
            new File("/web/landing.js", "landing.js", JS, false),
            new File("/web/admin.js", "admin.js", JS, false),
            new File("/web/lab.js", "lab.js", JS, true),
            new File("/web/pane.js", "pane.js", JS, true),
            new File("/web/chat.js", "chat.js", JS, true));

    private Pages() {}

    /** Adds the routes of every page file (and the demo's token endpoint when the demo is on) to {@code routes}. */
    public static void install(Map<String, Route> routes, ServerContext context) {
        boolean demo = context.config().demo();
        for (File f : FILES) {
            if (f.demo && !demo) continue;
            routes.put(f.path, new StaticAsset(StaticAsset.resource(DIR + f.name), f.type, headers(), context.metrics()));
        }
        if (demo) routes.put(Demo.TOKEN_PATH, new DemoTokens(context));
    }

    private static HttpHeaders headers() {
        return new DefaultHttpHeaders()
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP)
                .set("Referrer-Policy", "same-origin");
    }
}
