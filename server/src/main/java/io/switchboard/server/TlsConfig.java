package io.switchboard.server;

import java.nio.file.Path;

/**
 * TLS for every door ({@code https://}, {@code wss://}): a PEM certificate chain and its PEM private key
 * (PKCS#8). Both or neither; {@link #NONE} serves plain HTTP.
 *
 * @param certFile the certificate chain, leaf first
 * @param keyFile  the unencrypted private key of the leaf
 */
public record TlsConfig(Path certFile, Path keyFile) {
    public static final TlsConfig NONE = new TlsConfig(null, null);

    public boolean enabled() {
        return certFile != null || keyFile != null;
    }

    public TlsConfig withCertFile(Path v) {
        return new TlsConfig(v, keyFile);
    }

    public TlsConfig withKeyFile(Path v) {
        return new TlsConfig(certFile, v);
    }
}
