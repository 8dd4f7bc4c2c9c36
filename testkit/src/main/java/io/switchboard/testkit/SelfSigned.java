package io.switchboard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made by {@code openssl} (which
 * {@code ./run-tests} installs when missing) as PEM files, and a client {@link SSLContext} that trusts it.
 */
public final class SelfSigned {
    private final Path cert;
    private final Path key;

    private SelfSigned(Path cert, Path key) {
        this.cert = cert;
        this.key = key;
    }

    /** Makes {@code cert.pem} and {@code key.pem} (PKCS#8, unencrypted) in {@code dir}. */
    public static SelfSigned create(Path dir) {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        try {
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl could not make a test certificate: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("openssl is needed for TLS tests (./run-tests installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new SelfSigned(cert, key);
    }

    public Path cert() {
        return cert;
    }

    public Path key() {
        return key;
    }

    /** A client context that trusts this certificate and nothing else. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(cert)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("test", c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust the test certificate", e);
        }
    }
}
