package io.github.milvuscdi.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.Await;
import io.github.milvuscdi.testing.TestCertificates;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.quarkus.test.QuarkusUnitTest;
import io.quarkus.tls.CertificateUpdatedEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code tls-configuration-name}: an alias trusts a TLS server through a PKCS12 trust store of Quarkus's TLS
 * registry ({@code quarkus.tls.<name>.trust-store.p12.*}), with no certificate key of its own (without it the client
 * would trust the JVM's public CAs only, and the handshake would fail), and follows the registry's reloads
 * ({@code quarkus.tls.<name>.reload-period}, here a second) with no restart of the application: a CA rotated in
 * the order operators use fails no call, a trust store ahead of the server keeps the connection in use until the
 * server catches up, and a reload of the same certificates leaves the connection alone.
 */
class TlsConfigurationNameTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String URI_PROPERTY = "milvus-cdi.tls-configuration-name-test.uri";
    private static final String FOLDER_PROPERTY = "milvus-cdi.tls-configuration-name-test.folder";
    private static final String RESTART_PROPERTY = "milvus-cdi.tls-configuration-name-test.restart";

    /**
     * QuarkusUnitTest loads this class a second time in the application's class loader: the first copy makes the
     * certificates and starts the server, and stops it after all; the second finds the server's address, its
     * certificates' folder and its restart in system properties.
     */
    private static final MilvusLiteServer SERVER = startedOnce();

    /** The server's certificates (rewritten when it moves to a new CA) and the registry's trust store. */
    private static final Path FOLDER = Path.of(System.getProperty(FOLDER_PROPERTY));

    private static final Path TRUST_STORE = FOLDER.resolve("registry-trust.p12");

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Reloads.class, Callers.class, RegistryTrustStore.class))
            .overrideConfigKey("quarkus.tls.milvus.trust-store.p12.path", TRUST_STORE.toString())
            .overrideConfigKey("quarkus.tls.milvus.trust-store.p12.password", RegistryTrustStore.PASSWORD)
            .overrideConfigKey("quarkus.tls.milvus.reload-period", "1s")
            .overrideConfigKey("quarkus.http.test-port", "0") // any free port: other Quarkus tests may run at once
            .overrideConfigKey("milvus.connections.default.uri", System.getProperty(URI_PROPERTY))
            .overrideConfigKey("milvus.connections.default.tls-configuration-name", "milvus")
            .overrideConfigKey("milvus.connections.default.keep-alive-without-calls", "false")
            .setAfterAllCustomizer(TlsConfigurationNameTest::stopServer);

    /** Counts the registry's reloads, which Quarkus announces whether or not the certificates changed. */
    @Singleton
    static class Reloads {
        static final AtomicInteger SEEN = new AtomicInteger();

        void seen(@Observes CertificateUpdatedEvent updated) {
            SEEN.incrementAndGet();
        }
    }

    @Inject
    MilvusClientV2 client;

    @Test
    void theAliasTrustsTheServerThroughTheTlsRegistrysTrustStore() {
        assertThat(hasCollection(client)).isFalse();
    }

    @Test
    void reloadsOfUnchangedCertificatesLeaveTheConnectionAsItIs() {
        hasCollection(client);
        Object connection = MilvusSdk.channel(client);
        int seen = Reloads.SEEN.get();

        Await.until(() -> Reloads.SEEN.get() >= seen + 3, BOUND, "three reloads of the TLS configuration");

        assertThat(MilvusSdk.channel(client))
                .as("the alias's connection after three reloads of the same certificates")
                .isSameAs(connection);
    }

    @Test
    void aCaRotatedThroughABundleOfOldAndNewFailsNoCall() throws InterruptedException {
        TestCertificates next = TestCertificates.generate(FOLDER.resolve("next-ca-" + System.nanoTime()));
        hasCollection(client);
        Object former = MilvusSdk.channel(client);
        try (Callers callers = new Callers(client, 8)) {
            callers.await(100, BOUND);

            // 1. the trust store holds the old and the new CA; the registry reloads it, the alias reconnects
            RegistryTrustStore.write(TRUST_STORE, FOLDER.resolve("ca.pem"), next.caPem());
            Await.until(
                    () -> MilvusSdk.channel(client) != former,
                    BOUND,
                    "the alias reconnected with the reloaded trust store");
            callers.await(callers.succeeded() + 100, BOUND);

            // 2. the server moves to a certificate of the new CA: restarted on the same port
            moveServerTo(next);
            callers.await(callers.succeeded() + 200, BOUND); // served by the new certificate now

            assertThat(callers.failures())
                    .as("calls that failed while the CA rotated, the server's restart included")
                    .isEmpty();
        }
    }

    @Test
    void aTrustStoreAheadOfTheServerKeepsTheConnectionUntilTheServerCatchesUp() {
        TestCertificates next = TestCertificates.generate(FOLDER.resolve("next-ca-" + System.nanoTime()));
        hasCollection(client);
        Object inUse = MilvusSdk.channel(client);

        // the trust store holds the new CA only while the server still presents the old one: reconnecting fails
        RegistryTrustStore.write(TRUST_STORE, next.caPem());
        int seen = Reloads.SEEN.get();
        Await.until(() -> Reloads.SEEN.get() >= seen + 3, BOUND, "three reloads of the TLS configuration");
        assertThat(MilvusSdk.channel(client))
                .as("the connection in use after reconnecting with a trust store the server fails")
                .isSameAs(inUse);
        assertThat(hasCollection(client)).as("a call on the connection in use").isFalse();

        // the server catches up: the next reload reconnects, with no restart of the application, and a call
        // waiting on the former connection, which cannot connect any more, goes over the new one
        moveServerTo(next);
        assertThat(hasCollection(client))
                .as("a call made once the server moved")
                .isFalse();
    }

    private static void moveServerTo(TestCertificates next) {
        try {
            for (Path file : new Path[] {next.caPem(), next.serverPem(), next.serverKey()}) {
                Files.copy(file, FOLDER.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        ((Runnable) System.getProperties().get(RESTART_PROPERTY)).run();
    }

    private static boolean hasCollection(MilvusClientV2 client) {
        return client.hasCollection(
                HasCollectionReq.builder().collectionName("none_here").build());
    }

    private static MilvusLiteServer startedOnce() {
        if (System.getProperty(URI_PROPERTY) != null) {
            return null;
        }
        TestCertificates certificates = TestCertificates.generate();
        RegistryTrustStore.write(certificates.directory().resolve("registry-trust.p12"), certificates.caPem());
        MilvusLiteServer server = MilvusLiteServer.start(
                "quarkus-tls-registry", MilvusLiteOptions.plaintext().tls(certificates));
        System.setProperty(URI_PROPERTY, "https://localhost:" + server.port());
        System.setProperty(FOLDER_PROPERTY, certificates.directory().toString());
        System.getProperties().put(RESTART_PROPERTY, (Runnable) server::restart);
        return server;
    }

    private static void stopServer() {
        System.clearProperty(URI_PROPERTY);
        System.clearProperty(FOLDER_PROPERTY);
        System.getProperties().remove(RESTART_PROPERTY);
        SERVER.close();
    }
}
