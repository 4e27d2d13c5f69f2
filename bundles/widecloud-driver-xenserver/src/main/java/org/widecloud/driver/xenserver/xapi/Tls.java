package org.widecloud.driver.xenserver.xapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS trust of XAPI connections: the JVM's trust store by default; or the certificates of a PEM file (a
 * host's own self-signed certificate is trusted as is, pinned, because XenServer's default certificate rarely
 * names the address used; a CA certificate validates chains with host name checking); or, for labs only,
 * anything.
 */
public final class Tls {
    private Tls() {
    }

    public static SSLContext context(String pemPath, boolean trustAll) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (trustAll) {
                ctx.init(null, new TrustManager[] {new TrustAll()}, null);
            } else if (pemPath != null && !pemPath.isBlank()) {
                ctx.init(null, new TrustManager[] {pinned(Path.of(pemPath.trim()))}, null);
            } else {
                ctx.init(null, null, null);
            }
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager pinned(Path pem) throws GeneralSecurityException {
        List<X509Certificate> certs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            for (java.security.cert.Certificate c : all) {
                certs.add((X509Certificate) c);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("tls.certificate: cannot read " + pem + ": " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("tls.certificate: " + pem + " holds no PEM certificate: "
                    + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("tls.certificate: " + pem + " holds no PEM certificate");
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < certs.size(); i++) {
            ks.setCertificateEntry("xapi-" + i, certs.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        X509ExtendedTrustManager pkix = null;
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                pkix = x;
            }
        }
        return new Pinned(certs, pkix);
    }

    /** Trusts a chain whose leaf is one of the given certificates, else validates it against them as anchors. */
    private static final class Pinned extends X509ExtendedTrustManager {
        private final List<X509Certificate> certs;
        private final X509ExtendedTrustManager pkix;

        Pinned(List<X509Certificate> certs, X509ExtendedTrustManager pkix) {
            this.certs = certs;
            this.pkix = pkix;
        }

        private boolean isPinned(X509Certificate[] chain) {
            return chain != null && chain.length > 0 && certs.contains(chain[0]);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            if (!isPinned(chain)) {
                pkix.checkServerTrusted(chain, authType, engine);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            if (!isPinned(chain)) {
                pkix.checkServerTrusted(chain, authType, socket);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (!isPinned(chain)) {
                pkix.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return certs.toArray(new X509Certificate[0]);
        }
    }

    /** Labs only: no chain or host name check (an X509ExtendedTrustManager, so the JDK adds none either). */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
