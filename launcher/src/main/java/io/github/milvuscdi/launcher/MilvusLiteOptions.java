package io.github.milvuscdi.launcher;

import com.google.gson.Gson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link MilvusLiteServer} is served: plaintext (the default), over TLS or mutual TLS, and
 * with or without credentials enforced. Immutable: each method returns a new value.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.generate();
 * MilvusLiteOptions options = MilvusLiteOptions.plaintext()
 *         .tls(certs)                        // server.pem for localhost and 127.0.0.1
 *         .mutualTls()                       // a client certificate signed by certs.caPem() is required
 *         .credentials("root", "Milvus")     // authorization: base64("root:Milvus")
 *         .token("an-api-key");              // or base64("an-api-key")
 * try (MilvusLiteServer server = MilvusLiteServer.start("secured", options)) { ... }
 * }</pre>
 *
 * <p>Anything but plaintext without credentials is served by a small launcher script, run with
 * the virtual environment's Python: milvus-lite's own servicer on grpcio with
 * {@code ssl_server_credentials} and an interceptor that checks the {@code authorization} metadata
 * as Milvus does, answering {@code UNAUTHENTICATED} with Milvus's messages ("missing authorization
 * in header", "auth check failure, please check username and password are correct", "auth check
 * failure, please check api key is correct").
 *
 * <p>{@link #toString()} never shows a password or token.
 */
public final class MilvusLiteOptions {

    private static final MilvusLiteOptions PLAINTEXT =
            new MilvusLiteOptions(null, false, false, List.of(), List.of(), null, 0);

    private final CertificateFiles certificates;
    private final boolean otherName;
    private final boolean mutualTls;
    private final List<String> acceptedAuthorizations;
    private final List<String> unansweredMethods;
    private final String rateLimitedMethod;
    private final int rateLimitedCalls;

    private MilvusLiteOptions(
            CertificateFiles certificates,
            boolean otherName,
            boolean mutualTls,
            List<String> acceptedAuthorizations,
            List<String> unansweredMethods,
            String rateLimitedMethod,
            int rateLimitedCalls) {
        this.rateLimitedMethod = rateLimitedMethod;
        this.rateLimitedCalls = rateLimitedCalls;
        this.certificates = certificates;
        this.otherName = otherName;
        this.mutualTls = mutualTls;
        this.acceptedAuthorizations = acceptedAuthorizations;
        this.unansweredMethods = unansweredMethods;
    }

    /** Plaintext, no credentials: what {@link MilvusLiteServer#start(String)} serves. */
    public static MilvusLiteOptions plaintext() {
        return PLAINTEXT;
    }

    /**
     * Serves TLS with {@link CertificateFiles#serverPem()}, the certificate for {@code localhost}
     * and {@code 127.0.0.1}.
     *
     * @param certificates the run's certificates; not {@code null}
     * @return new options
     */
    public MilvusLiteOptions tls(CertificateFiles certificates) {
        return new MilvusLiteOptions(
                Objects.requireNonNull(certificates, "certificates"),
                false,
                mutualTls,
                acceptedAuthorizations,
                unansweredMethods,
                rateLimitedMethod,
                rateLimitedCalls);
    }

    /**
     * Serves TLS with {@link CertificateFiles#otherNamePem()}, which names only
     * {@value CertificateFiles#OTHER_NAME}: clients must set that name as the TLS server name.
     *
     * @param certificates the run's certificates; not {@code null}
     * @return new options
     */
    public MilvusLiteOptions tlsWithOtherName(CertificateFiles certificates) {
        return new MilvusLiteOptions(
                Objects.requireNonNull(certificates, "certificates"),
                true,
                mutualTls,
                acceptedAuthorizations,
                unansweredMethods,
                rateLimitedMethod,
                rateLimitedCalls);
    }

    /**
     * Requires a client certificate signed by the CA of the certificates given to {@link #tls} or
     * {@link #tlsWithOtherName}, such as {@link CertificateFiles#clientPem()}.
     *
     * @return new options
     * @throws IllegalStateException when TLS is not set yet
     */
    public MilvusLiteOptions mutualTls() {
        if (certificates == null) {
            throw new IllegalStateException("mutualTls() needs TLS first: call tls(certificates) before mutualTls()");
        }
        return new MilvusLiteOptions(
                certificates,
                otherName,
                true,
                acceptedAuthorizations,
                unansweredMethods,
                rateLimitedMethod,
                rateLimitedCalls);
    }

    /**
     * Accepts calls that carry this user and password, as Milvus does with authorization enabled;
     * may be called several times. Once any credentials or token are set, every call must carry
     * one of them.
     *
     * @param user the user name, without {@code :}; not {@code null} or empty
     * @param password the password; not {@code null} or empty
     * @return new options
     */
    public MilvusLiteOptions credentials(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty() || user.indexOf(':') >= 0 || password.isEmpty()) {
            throw new IllegalArgumentException("credentials need a user without ':' and a non-empty password");
        }
        return accepting(user + ":" + password);
    }

    /**
     * Accepts calls that carry this token (an API key, sent as the SDK's {@code token}); may be
     * called several times. A token of the form {@code user:password} is the same as
     * {@link #credentials}.
     *
     * @param token the token; not {@code null} or empty
     * @return new options
     */
    public MilvusLiteOptions token(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("a token is not empty");
        }
        return accepting(token);
    }

    /**
     * Accepts calls of one Milvus RPC and never answers them (until the server stops): a server
     * that connects and then hangs, e.g. {@code neverAnswering("ListDatabases")}, which the SDK
     * calls without a deadline when a database is configured.
     *
     * @param method the RPC's name in {@code milvus.proto.milvus.MilvusService}; not {@code null}
     * @return new options
     */
    public MilvusLiteOptions neverAnswering(String method) {
        Objects.requireNonNull(method, "method");
        List<String> methods = new ArrayList<>(unansweredMethods);
        methods.add(method);
        return new MilvusLiteOptions(
                certificates,
                otherName,
                mutualTls,
                acceptedAuthorizations,
                Collections.unmodifiableList(methods),
                rateLimitedMethod,
                rateLimitedCalls);
    }

    /**
     * Answers the first {@code calls} calls of one Milvus RPC as Milvus does when a rate limit is
     * hit (status code 8, legacy error code {@code RateLimit}), then normally: e.g.
     * {@code rateLimited("ShowCollections", 3)}, which the SDK's {@code listCollections} calls.
     *
     * @param method the RPC's name in {@code milvus.proto.milvus.MilvusService}; not {@code null}
     * @param calls how many calls are refused, counted over the server's life
     * @return new options
     */
    public MilvusLiteOptions rateLimited(String method, int calls) {
        Objects.requireNonNull(method, "method");
        return new MilvusLiteOptions(
                certificates, otherName, mutualTls, acceptedAuthorizations, unansweredMethods, method, calls);
    }

    /** Whether the server speaks TLS. */
    public boolean isTls() {
        return certificates != null;
    }

    /** Whether the server requires a client certificate. */
    public boolean isMutualTls() {
        return mutualTls;
    }

    /** Whether the server checks the {@code authorization} metadata. */
    public boolean checksCredentials() {
        return !acceptedAuthorizations.isEmpty();
    }

    /** The certificates of a TLS server; empty for plaintext. */
    public Optional<CertificateFiles> certificates() {
        return Optional.ofNullable(certificates);
    }

    /**
     * The name the served certificate carries: {@value CertificateFiles#OTHER_NAME} with
     * {@link #tlsWithOtherName}, else {@code localhost}; empty for plaintext.
     */
    public Optional<String> serverName() {
        return certificates == null
                ? Optional.empty()
                : Optional.of(otherName ? CertificateFiles.OTHER_NAME : "localhost");
    }

    /** The served certificate; {@code null} for plaintext. */
    Path servedCertificate() {
        return certificates == null ? null : otherName ? certificates.otherNamePem() : certificates.serverPem();
    }

    /** The served certificate's key; {@code null} for plaintext. */
    Path servedKey() {
        return certificates == null ? null : otherName ? certificates.otherNameKey() : certificates.serverKey();
    }

    /** The first accepted authorization, which the server's own readiness calls use; {@code null} if none. */
    String firstAuthorization() {
        return acceptedAuthorizations.isEmpty() ? null : acceptedAuthorizations.get(0);
    }

    /** Whether {@code milvus-lite server} itself can serve these options: plaintext without credentials. */
    boolean needsLauncher() {
        return isTls() || checksCredentials() || !unansweredMethods.isEmpty() || rateLimitedMethod != null;
    }

    /**
     * The launcher's options as JSON, secrets included: passed through the environment, never on a
     * command line or in a log.
     */
    String toLauncherJson(String milvusLiteVersion) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("milvus_lite_version", milvusLiteVersion);
        if (certificates != null) {
            Map<String, Object> tls = new LinkedHashMap<>();
            tls.put("certificate", servedCertificate().toString());
            tls.put("key", servedKey().toString());
            tls.put("client_ca", mutualTls ? certificates.caPem().toString() : null);
            root.put("tls", tls);
        }
        root.put("accepted_authorizations", acceptedAuthorizations);
        root.put("unanswered_methods", unansweredMethods);
        if (rateLimitedMethod != null) {
            root.put("rate_limited", Map.of("method", rateLimitedMethod, "calls", rateLimitedCalls));
        }
        return new Gson().toJson(root);
    }

    /** Such as {@code MilvusLiteOptions[mutual TLS as localhost, 2 accepted credentials]}; no secret. */
    @Override
    public String toString() {
        return "MilvusLiteOptions[" + describe() + "]";
    }

    /** Such as {@code mutual TLS as localhost, 2 accepted credentials}; no secret. */
    String describe() {
        String transport = certificates == null
                ? "plaintext"
                : (mutualTls ? "mutual TLS" : "TLS") + " as " + serverName().orElseThrow();
        return transport + ", "
                + (acceptedAuthorizations.isEmpty()
                        ? "no credentials checked"
                        : acceptedAuthorizations.size() + " accepted credentials")
                + (unansweredMethods.isEmpty() ? "" : ", never answering " + String.join(", ", unansweredMethods))
                + (rateLimitedMethod == null
                        ? ""
                        : ", rate-limiting the first " + rateLimitedCalls + " " + rateLimitedMethod);
    }

    private MilvusLiteOptions accepting(String authorization) {
        List<String> accepted = new ArrayList<>(acceptedAuthorizations);
        accepted.add(authorization);
        return new MilvusLiteOptions(
                certificates,
                otherName,
                mutualTls,
                Collections.unmodifiableList(accepted),
                unansweredMethods,
                rateLimitedMethod,
                rateLimitedCalls);
    }
}
