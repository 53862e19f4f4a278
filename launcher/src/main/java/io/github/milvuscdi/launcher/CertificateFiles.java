package io.github.milvuscdi.launcher;

import java.nio.file.Path;

/**
 * The PEM files a TLS server is served with, and that its clients trust or present: a certificate
 * authority, a server certificate for {@code localhost} and {@code 127.0.0.1}, a second one for
 * {@value #OTHER_NAME} only, and a client certificate for mutual TLS, each signed by the authority,
 * with unencrypted PKCS#8 keys.
 *
 * <p>The test kit's {@code io.github.milvuscdi.testing.TestCertificates} makes a set per run; any
 * other implementation is read the same way by {@link MilvusLiteOptions#tls} and
 * {@link MilvusServerOptions#tls}. Implementations return the same paths on every call.
 */
public interface CertificateFiles {

    /** The only name {@link #otherNamePem()} is valid for; clients set it as the TLS server name. */
    String OTHER_NAME = "milvus.test";

    /** The certificate authority that signed every other certificate. */
    Path caPem();

    /** The server certificate for {@code localhost} and {@code 127.0.0.1}. */
    Path serverPem();

    /** The key of {@link #serverPem()}. */
    Path serverKey();

    /** The server certificate for {@value #OTHER_NAME} only. */
    Path otherNamePem();

    /** The key of {@link #otherNamePem()}. */
    Path otherNameKey();

    /** A client certificate, for mutual TLS. */
    Path clientPem();

    /** The key of {@link #clientPem()}. */
    Path clientKey();
}
