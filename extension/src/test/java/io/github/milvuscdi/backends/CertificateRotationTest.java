package io.github.milvuscdi.backends;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.launcher.MilvusBackend;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.Await;
import io.github.milvuscdi.testing.TestCertificates;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Certificates that change while the application runs: the client trusts a PKCS12 trust store, the server behind a
 * load balancer ({@link SwitchingProxy}) is replaced by one with a renewed certificate, or one signed by a new CA,
 * and the trust store is rewritten. The alias reconnects by itself, with no restart, while 8 threads call without
 * pause, and 2 more through a {@code withTimeout(...)} client made before: none of their calls may fail. On milvus-lite (the kit's TLS launcher): the scenario needs two TLS
 * servers at once, which Milvus 2.3.5 cannot run (its embedded etcd collides).
 */
class CertificateRotationTest {

    private static final TestCertificates CERTS = TestCertificates.generate();
    private static final TestCertificates RENEWED =
            CERTS.renewed(CERTS.directory().resolve("renewed"));
    private static final TestCertificates NEW_CA = TestCertificates.generate();
    private static final String MARKER = "served_by_the_new_server";

    private static final MilvusLiteServer OLD =
            MilvusLiteServer.start("rotation-old", MilvusLiteOptions.plaintext().tls(CERTS));
    private static final List<MilvusLiteServer> STARTED = new ArrayList<>(List.of(OLD));

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("rotating")
        MilvusClientV2 rotating;

        @Inject
        @MilvusConnection("replacement")
        MilvusClientV2 replacement;
    }

    @AfterAll
    static void stopServers() {
        STARTED.forEach(MilvusLiteServer::close);
    }

    @Test
    void aServerCertificateRenewedUnderTheSameCaIsTrustedWithoutARestartOrAFailedCall() throws Exception {
        // the client trusts the server's certificate itself (pinned), as some shops do: the renewal must reach it
        rotates(CERTS.serverPem(), RENEWED, RENEWED.serverPem(), "renewed");
    }

    @Test
    void aCaRotatedThroughABundleOfOldAndNewIsTrustedWithoutARestartOrAFailedCall() throws Exception {
        rotates(CERTS.caPem(), NEW_CA, NEW_CA.caPem(), "new-ca");
    }

    private static void rotates(Path trustedFirst, TestCertificates replacementCerts, Path trustedNext, String name)
            throws Exception {
        MilvusLiteServer replacement = MilvusLiteServer.start(
                "rotation-" + name, MilvusLiteOptions.plaintext().tls(replacementCerts));
        STARTED.add(replacement);
        Path trustStore =
                TestKeyStores.trustStore(CERTS.directory().resolve(name + "-trust.p12"), "PKCS12", trustedFirst);
        try (SwitchingProxy balancer = new SwitchingProxy(OLD.port());
                AutoCloseable c = Backends.useConfig(config(balancer, trustStore, replacement, replacementCerts));
                WeldContainer container = Backends.boot(Application.class)) {
            Application application = container.select(Application.class).get();
            VectorRoundTrip.createAndFill(application.replacement, MARKER);
            MilvusClientV2 client = application.rotating;
            assertThat(hasMarker(client)).as("served by the first server").isFalse();

            MilvusClientV2 view = client.withTimeout(20, TimeUnit.SECONDS); // made before, kept across the swap
            Calls calls = new Calls(client, 8);
            Calls viewCalls = new Calls(view, 2);
            calls.await(200);
            viewCalls.await(50);
            balancer.switchTo(replacement.port()); // new connections reach the replacement; open ones stay
            TestKeyStores.trustStore(trustStore, "PKCS12", trustedFirst, trustedNext);
            Await.until(() -> hasMarker(client), Duration.ofSeconds(15), "calls reach the replacement server");
            Await.until(() -> hasMarker(view), Duration.ofSeconds(15), "a view's calls reach the replacement server");
            calls.await(calls.succeeded() + 200);
            viewCalls.await(viewCalls.succeeded() + 50);
            calls.stop();
            viewCalls.stop();

            assertThat(calls.failures)
                    .as("failed calls while the certificates rotated")
                    .isEmpty();
            assertThat(viewCalls.failures)
                    .as("failed calls of a withTimeout(...) client made before the certificates rotated")
                    .isEmpty();
        }
    }

    private static boolean hasMarker(MilvusClientV2 client) {
        return client.hasCollection(
                HasCollectionReq.builder().collectionName(MARKER).build());
    }

    private static Map<String, String> config(
            SwitchingProxy balancer, Path trustStore, MilvusLiteServer replacement, TestCertificates replacementCerts) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("milvus.connections.rotating.uri", "https://localhost:" + balancer.port());
        config.put("milvus.connections.rotating.trust-store", trustStore.toString());
        config.put("milvus.connections.rotating.trust-store-password", TestKeyStores.PASSWORD);
        config.put("milvus.connections.rotating.rpc-deadline", "30s");
        config.put("milvus.connections.replacement.uri", "https://localhost:" + replacement.port());
        config.put(
                "milvus.connections.replacement.ca-pem-path",
                replacementCerts.caPem().toString());
        Backends.tune(config, "rotating", MilvusBackend.MILVUS_LITE);
        Backends.tune(config, "replacement", MilvusBackend.MILVUS_LITE);
        return config;
    }

    /** Threads calling without pause, counting what succeeds and keeping what fails. */
    private static final class Calls {
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        private final AtomicInteger succeeded = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Calls(MilvusClientV2 client, int count) {
            for (int i = 0; i < count; i++) {
                Thread thread = new Thread(
                        () -> {
                            while (running.get()) {
                                try {
                                    client.hasCollection(HasCollectionReq.builder()
                                            .collectionName("any")
                                            .build());
                                    succeeded.incrementAndGet();
                                } catch (RuntimeException failed) {
                                    failures.add(failed);
                                }
                            }
                        },
                        "caller-" + i);
                thread.start();
                threads.add(thread);
            }
        }

        int succeeded() {
            return succeeded.get();
        }

        void await(int total) {
            Await.until(() -> succeeded.get() >= total, Duration.ofSeconds(30), total + " calls succeeded");
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(60).toMillis());
            }
        }
    }
}
