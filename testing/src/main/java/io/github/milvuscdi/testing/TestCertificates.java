package io.github.milvuscdi.testing;

import io.github.milvuscdi.launcher.CertificateFiles;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test run and the certificates it signed, as PEM files:
 * what a {@link MilvusLiteServer} serves over TLS and what clients are configured with.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.generate();
 * MilvusLiteServer server = MilvusLiteServer.start("tls", MilvusLiteOptions.plaintext().tls(certs));
 * // milvus.connections.search.uri=https://localhost:<port>
 * // milvus.connections.search.ca-pem-path=certs.caPem()
 * }</pre>
 *
 * <p>The folder holds:
 * <table>
 * <caption>Files</caption>
 * <tr><td>{@code ca.pem}</td><td>the authority's certificate: trust it with {@code ca-pem-path}</td></tr>
 * <tr><td>{@code server.pem}, {@code server.key}</td><td>a server certificate for {@code localhost}
 *     and {@code 127.0.0.1} (subject alternative names), and its key</td></tr>
 * <tr><td>{@code other-name.pem}, {@code other-name.key}</td><td>a server certificate for
 *     {@value #OTHER_NAME} only, a name the host does not have: clients reach it with
 *     {@code server-name}</td></tr>
 * <tr><td>{@code client.pem}, {@code client.key}</td><td>a client certificate for mutual TLS</td></tr>
 * </table>
 *
 * <p>Keys are ECDSA P-256, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), which both the Java
 * SDK (Netty) and grpcio read. Certificates are valid from an hour ago for 30 days. No
 * {@code openssl} is needed: they are made with BouncyCastle.
 *
 * <p>Immutable and thread-safe once generated.
 */
public final class TestCertificates implements CertificateFiles {

    /** The names in {@link #serverPem()}. */
    public static final List<String> SERVER_NAMES = List.of("localhost", "127.0.0.1");

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SIGNATURE = "SHA256withECDSA";

    private final Path directory;
    // The authority, kept to issue renewals (renewed()): set by write().
    private X500Name caName;
    private KeyPair caKeys;
    private X509Certificate caCertificate;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /**
     * The certificates issued again by the same authority, as cert-manager renews them: the same {@code ca.pem},
     * new server and client certificates (same names, new keys, new serial numbers) in {@code directory}.
     *
     * @param directory where to write them; not this folder
     * @return the renewed certificates
     * @throws UncheckedIOException when the folder cannot be written
     */
    public TestCertificates renewed(Path directory) {
        TestCertificates renewed = new TestCertificates(directory.toAbsolutePath());
        renewed.caName = caName;
        renewed.caKeys = caKeys;
        renewed.caCertificate = caCertificate;
        try {
            Files.createDirectories(renewed.directory);
            writePem(renewed.caPem(), "CERTIFICATE", caCertificate.getEncoded());
            renewed.issueAll(Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write renewed test certificates to " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot renew test certificates with this JDK: " + e.getMessage(), e);
        }
        return renewed;
    }

    /**
     * Makes a new authority and its certificates under
     * {@code target/milvus-lite/certificates-<n>-<time>/}, relative to the working directory (the
     * module's folder under Maven).
     *
     * @return the certificates; never {@code null}
     * @throws UncheckedIOException when the folder cannot be written
     */
    public static TestCertificates generate() {
        return generate(Paths.get(
                "target",
                "milvus-lite",
                "certificates-" + SEQUENCE.incrementAndGet() + "-" + System.currentTimeMillis()));
    }

    /**
     * Makes a new authority and its certificates in {@code directory}, created if needed; files of
     * the same names there are replaced.
     *
     * @param directory where to write the PEM files; not {@code null}
     * @return the certificates; never {@code null}
     * @throws UncheckedIOException when the folder cannot be written
     */
    public static TestCertificates generate(Path directory) {
        Objects.requireNonNull(directory, "directory");
        TestCertificates certificates = new TestCertificates(directory.toAbsolutePath());
        try {
            Files.createDirectories(certificates.directory);
            certificates.write();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot write test certificates to " + certificates.directory + ": " + e.getMessage()
                            + "; make the folder writable",
                    e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate test certificates with this JDK: " + e.getMessage(), e);
        }
        return certificates;
    }

    /** The folder holding the PEM files. */
    public Path directory() {
        return directory;
    }

    /** {@code ca.pem}: the authority that signed every other certificate here. */
    @Override
    public Path caPem() {
        return directory.resolve("ca.pem");
    }

    /** {@code server.pem}: the certificate for {@code localhost} and {@code 127.0.0.1}. */
    @Override
    public Path serverPem() {
        return directory.resolve("server.pem");
    }

    /** {@code server.key}: the key of {@link #serverPem()}. */
    @Override
    public Path serverKey() {
        return directory.resolve("server.key");
    }

    /** {@code other-name.pem}: a server certificate naming only {@value #OTHER_NAME}. */
    @Override
    public Path otherNamePem() {
        return directory.resolve("other-name.pem");
    }

    /** {@code other-name.key}: the key of {@link #otherNamePem()}. */
    @Override
    public Path otherNameKey() {
        return directory.resolve("other-name.key");
    }

    /** {@code client.pem}: a client certificate for mutual TLS. */
    @Override
    public Path clientPem() {
        return directory.resolve("client.pem");
    }

    /** {@code client.key}: the key of {@link #clientPem()}. */
    @Override
    public Path clientKey() {
        return directory.resolve("client.key");
    }

    /** The folder, such as {@code TestCertificates[/work/target/milvus-lite/certificates-1-…]}. */
    @Override
    public String toString() {
        return "TestCertificates[" + directory + "]";
    }

    private void write() throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        caName = new X500Name("CN=Milvus CDI test CA " + now.toEpochMilli());
        caKeys = newKeyPair();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();

        X509v3CertificateBuilder ca = builder(caName, caName, caKeys, now)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(
                        Extension.subjectKeyIdentifier,
                        false,
                        extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
        caCertificate = sign(ca, caKeys);
        writePem(caPem(), "CERTIFICATE", caCertificate.getEncoded());
        issueAll(now);
    }

    private void issueAll(Instant now) throws IOException, GeneralSecurityException, OperatorCreationException {

        List<GeneralName> serverNames = new ArrayList<>();
        serverNames.add(new GeneralName(GeneralName.dNSName, "localhost"));
        serverNames.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        issue(
                caName,
                caKeys,
                caCertificate,
                "localhost",
                serverNames,
                KeyPurposeId.id_kp_serverAuth,
                now,
                serverPem(),
                serverKey());
        issue(
                caName,
                caKeys,
                caCertificate,
                OTHER_NAME,
                List.of(new GeneralName(GeneralName.dNSName, OTHER_NAME)),
                KeyPurposeId.id_kp_serverAuth,
                now,
                otherNamePem(),
                otherNameKey());
        issue(
                caName,
                caKeys,
                caCertificate,
                "milvus-cdi-test-client",
                List.of(),
                KeyPurposeId.id_kp_clientAuth,
                now,
                clientPem(),
                clientKey());
    }

    private static void issue(
            X500Name caName,
            KeyPair caKeys,
            X509Certificate caCertificate,
            String commonName,
            List<GeneralName> alternativeNames,
            KeyPurposeId purpose,
            Instant now,
            Path certificateFile,
            Path keyFile)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair keys = newKeyPair();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = builder(caName, new X500Name("CN=" + commonName), keys, now)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(
                        Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()))
                .addExtension(
                        Extension.authorityKeyIdentifier,
                        false,
                        extensions.createAuthorityKeyIdentifier(caCertificate));
        if (!alternativeNames.isEmpty()) {
            builder.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(alternativeNames.toArray(new GeneralName[0])));
        }
        writePem(certificateFile, "CERTIFICATE", sign(builder, caKeys).getEncoded());
        writePem(keyFile, "PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant now) {
        return new JcaX509v3CertificateBuilder(
                issuer,
                new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))),
                subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate())));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        Files.writeString(
                file,
                "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
    }
}
