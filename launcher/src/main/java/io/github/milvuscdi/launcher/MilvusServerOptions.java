package io.github.milvuscdi.launcher;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link MilvusServer} (Milvus's own standalone server) is served: plaintext (the default),
 * over TLS or mutual TLS, with or without authentication. Immutable: each method returns a new
 * value. The server itself does all of it, configured as a production Milvus is
 * ({@code common.security.tlsMode}, {@code tls.*}, {@code common.security.authorizationEnabled}).
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.generate();
 * MilvusServerOptions options = MilvusServerOptions.plaintext()
 *         .tls(certs)            // tlsMode 1: serves server.pem (localhost, 127.0.0.1)
 *         .mutualTls()           // tlsMode 2: requires a client certificate signed by ca.pem
 *         .authentication();     // authorizationEnabled: user root, password Milvus, and the users you create
 * }</pre>
 *
 * <p>The same options describe a milvus-lite server through {@link MilvusBackend#start(String,
 * MilvusServerOptions)}: there the launcher of {@link MilvusLiteOptions} serves TLS and accepts
 * {@code root:Milvus} only, since milvus-lite keeps no users.
 */
public final class MilvusServerOptions {

    /** The user Milvus creates when authentication is enabled. */
    public static final String ROOT_USER = "root";

    /** The password Milvus gives {@link #ROOT_USER}; a well-known default, not a secret. */
    public static final String ROOT_PASSWORD = "Milvus";

    private static final MilvusServerOptions PLAINTEXT = new MilvusServerOptions(null, false, false);

    private final CertificateFiles certificates;
    private final boolean mutualTls;
    private final boolean authentication;

    private MilvusServerOptions(CertificateFiles certificates, boolean mutualTls, boolean authentication) {
        this.certificates = certificates;
        this.mutualTls = mutualTls;
        this.authentication = authentication;
    }

    /** Plaintext, no authentication: what {@link MilvusServer#start(String)} serves. */
    public static MilvusServerOptions plaintext() {
        return PLAINTEXT;
    }

    /**
     * Serves TLS ({@code --tls-mode 1}) with {@link CertificateFiles#serverPem()}, the certificate
     * for {@code localhost} and {@code 127.0.0.1}.
     *
     * @param certificates the run's certificates; not {@code null}
     * @return new options
     */
    public MilvusServerOptions tls(CertificateFiles certificates) {
        return new MilvusServerOptions(Objects.requireNonNull(certificates, "certificates"), mutualTls, authentication);
    }

    /**
     * Requires a client certificate signed by {@link CertificateFiles#caPem()} ({@code --tls-mode 2}).
     *
     * @return new options
     * @throws IllegalStateException when TLS is not set yet
     */
    public MilvusServerOptions mutualTls() {
        if (certificates == null) {
            throw new IllegalStateException("mutualTls() needs TLS first: call tls(certificates) before mutualTls()");
        }
        return new MilvusServerOptions(certificates, true, authentication);
    }

    /**
     * Enables authentication ({@code --authorization-enabled true}): every call must carry the
     * credentials of a user, {@value #ROOT_USER}/{@value #ROOT_PASSWORD} or one created with the
     * SDK's {@code createUser}.
     *
     * @return new options
     */
    public MilvusServerOptions authentication() {
        return new MilvusServerOptions(certificates, mutualTls, true);
    }

    /** Whether the server speaks TLS. */
    public boolean isTls() {
        return certificates != null;
    }

    /** Whether the server requires a client certificate. */
    public boolean isMutualTls() {
        return mutualTls;
    }

    /** Whether the server checks credentials. */
    public boolean checksCredentials() {
        return authentication;
    }

    /** The certificates of a TLS server; empty for plaintext. */
    public Optional<CertificateFiles> certificates() {
        return Optional.ofNullable(certificates);
    }

    /** Milvus's {@code common.security.tlsMode}: 0 plaintext, 1 TLS, 2 mutual TLS. */
    int tlsMode() {
        return certificates == null ? 0 : mutualTls ? 2 : 1;
    }

    /** The same serving with milvus-lite's launcher: TLS as here, and root's credentials accepted. */
    MilvusLiteOptions toMilvusLiteOptions() {
        MilvusLiteOptions lite = MilvusLiteOptions.plaintext();
        if (certificates != null) {
            lite = lite.tls(certificates);
        }
        if (mutualTls) {
            lite = lite.mutualTls();
        }
        if (authentication) {
            lite = lite.credentials(ROOT_USER, ROOT_PASSWORD);
        }
        return lite;
    }

    /** Such as {@code MilvusServerOptions[mutual TLS as localhost, authentication]}. */
    @Override
    public String toString() {
        return "MilvusServerOptions[" + describe() + "]";
    }

    /** Such as {@code mutual TLS as localhost, authentication}. */
    String describe() {
        String transport = certificates == null ? "plaintext" : (mutualTls ? "mutual TLS" : "TLS") + " as localhost";
        return transport + ", " + (authentication ? "authentication" : "no authentication");
    }
}
