package org.widecloud.driver.xenserver.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for 127.0.0.1 made once per JVM with the JDK's own {@code keytool} (argument vector,
 * no shell), as a XenServer host has out of the box: the simulator serves it, tests give its PEM to the driver.
 */
public final class SimCerts {
    private static final String PASS = "simulator";
    private static Path dir;

    private SimCerts() {
    }

    /** The folder holding {@code xapi.p12} and {@code xapi.pem}, made on first use. */
    public static synchronized Path make() {
        if (dir != null) {
            return dir;
        }
        try {
            Path d = Files.createTempDirectory("xapi-sim-tls");
            // Deleted at exit in reverse order of registration: the files, then the folder.
            d.toFile().deleteOnExit();
            d.resolve("xapi.p12").toFile().deleteOnExit();
            d.resolve("xapi.pem").toFile().deleteOnExit();
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(List.of(keytool, "-genkeypair", "-alias", "xapi", "-keyalg", "RSA", "-keysize", "2048",
                    "-validity", "2", "-dname", "CN=127.0.0.1, O=widecloud XAPI simulator",
                    "-ext", "san=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                    "-keystore", d.resolve("xapi.p12").toString(), "-storepass", PASS, "-keypass", PASS));
            run(List.of(keytool, "-exportcert", "-rfc", "-alias", "xapi", "-storetype", "PKCS12",
                    "-keystore", d.resolve("xapi.p12").toString(), "-storepass", PASS,
                    "-file", d.resolve("xapi.pem").toString()));
            dir = d;
            return d;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the simulator's certificate", e);
        }
    }

    /** The PEM file of the certificate. */
    public static Path pem() {
        return make().resolve("xapi.pem");
    }

    static SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(make().resolve("xapi.p12"))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASS.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASS.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the simulator's key", e);
        }
    }

    private static void run(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(argv.get(1) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + argv.get(1) + " failed: " + out);
        }
    }
}
