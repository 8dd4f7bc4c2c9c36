package io.switchboard.server;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;

/** Builds the server's {@link SslContext} from a {@link TlsConfig}: HTTP/1.1 offered over ALPN. */
public final class Tls {
    private Tls() {}

    /**
     * The context for {@code config}, or null when TLS is off. A missing half, an unreadable file or a
     * certificate and key that do not make a server context is an {@link IllegalArgumentException} whose
     * message names the file.
     */
    public static SslContext context(TlsConfig config) {
        if (!config.enabled()) return null;
        if (config.certFile() == null || config.keyFile() == null) {
            throw new IllegalArgumentException("TLS needs both a certificate file and a key file");
        }
        if (!Files.isReadable(config.certFile())) {
            throw new IllegalArgumentException("TLS certificate file " + config.certFile() + " cannot be read");
        }
        if (!Files.isReadable(config.keyFile())) {
            throw new IllegalArgumentException("TLS key file " + config.keyFile() + " cannot be read");
        }
        try {
            return SslContextBuilder.forServer(config.certFile().toFile(), config.keyFile().toFile())
                    // Every door is HTTP/1.1 (WebSocket upgrades and chunked streams included): say so over
                    // ALPN, so a client that would prefer HTTP/2 settles on 1.1 at once.
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (Exception e) {
            // Never the key's content; the files' names and the library's one-line reason.
            throw new IllegalArgumentException("TLS certificate " + config.certFile() + " and key " + config.keyFile()
                    + " cannot be used: " + e.getMessage());
        }
    }
}
