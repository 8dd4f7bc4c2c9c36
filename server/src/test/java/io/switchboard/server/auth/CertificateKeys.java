package io.switchboard.server.auth;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed RSA certificate made by the JDK's {@code keytool} (the JDK has no public API to make one),
 * its key pair, and the certificate as a PEM file.
 */
record CertificateKeys(KeyPair pair, Path pemFile) {
    private static final char[] PASSWORD = "changeit".toCharArray();

    static CertificateKeys generate(Path dir) throws Exception {
        Path store = dir.resolve("store.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "k", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=switchboard-test", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("keytool failed: " + output);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        Certificate cert = ks.getCertificate("k");
        KeyPair pair = new KeyPair(cert.getPublicKey(), (PrivateKey) ks.getKey("k", PASSWORD));
        // A chain: the leaf first, then another certificate, as a server's cert file often holds.
        String pem = TestKeys.pem("CERTIFICATE", cert.getEncoded()) + TestKeys.pem("CERTIFICATE", cert.getEncoded());
        return new CertificateKeys(pair, TestKeys.write(dir.resolve("cert.pem"), pem));
    }
}
