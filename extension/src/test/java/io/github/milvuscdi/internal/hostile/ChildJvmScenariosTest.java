package io.github.milvuscdi.internal.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.FreezingProxy;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.testing.Await;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What users meet with values a test JVM cannot set for itself once it runs, each in an application of
 * its own JVM: a docker-compose host name with an underscore, a server trusted through the JVM's
 * trust store with {@code server-name}, and an older SDK on the class path.
 */
class ChildJvmScenariosTest {

    private static final TestCertificates CERTS = TestCertificates.generate();

    @RegisterExtension
    static final MilvusLiteExtension PLAIN = new MilvusLiteExtension("underscore");

    /** TLS with a certificate for milvus.test only. */
    @RegisterExtension
    static final MilvusLiteExtension OTHER_NAME =
            new MilvusLiteExtension("jvm-trust", MilvusLiteOptions.plaintext().tlsWithOtherName(CERTS));

    @Test
    void aDockerComposeServiceNameWithAnUnderscoreWorksEndToEnd(@TempDir Path dir) throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 milvus_standalone\n");
        String output = ChildJvm.run(
                Map.of(
                        "jdk.net.hosts.file",
                        hosts.toString(),
                        "child.alias",
                        "search",
                        "milvus.connections.search.uri",
                        "http://milvus_standalone:" + PLAIN.server().port(),
                        "milvus.connections.search.keep-alive-without-calls",
                        "false"),
                UnaryOperator.identity());

        assertThat(ChildJvm.result(output)).startsWith("RESULT OK collections=");
    }

    @Test
    void anUnderscoreHostThatMovesToANewAddressIsFoundThereWithoutARestart(@TempDir Path dir) throws Exception {
        // the server is first reached at 127.0.0.2, then, as after docker compose recreates it, at 127.0.0.3
        try (FreezingProxy before = FreezingProxy.on(
                        "127.0.0.2", 0, PLAIN.server().host(), PLAIN.server().port());
                FreezingProxy after = FreezingProxy.on(
                        "127.0.0.3",
                        before.port(),
                        PLAIN.server().host(),
                        PLAIN.server().port())) {
            Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.2 milvus_cdi_moving\n");
            Path moved = dir.resolve("moved");
            Map<String, String> properties = Map.of(
                    "jdk.net.hosts.file", hosts.toString(),
                    "sun.net.inetaddr.ttl", "0", // the JVM caches names 30 s by default: not what is tested
                    "child.alias", "moving",
                    "child.moved", moved.toString(),
                    "milvus.connections.moving.uri", "http://milvus_cdi_moving:" + before.port(),
                    "milvus.connections.moving.connect-timeout", "10s",
                    "milvus.connections.moving.keep-alive-without-calls", "false");
            CompletableFuture<String> child = CompletableFuture.supplyAsync(() -> {
                try {
                    return ChildJvm.run(properties, UnaryOperator.identity());
                } catch (IOException | InterruptedException failed) {
                    throw new IllegalStateException(failed);
                }
            });
            Await.until(
                    () -> Files.exists(dir.resolve("moved.first")) || child.isDone(),
                    Duration.ofSeconds(90),
                    "the child's first call");
            Files.writeString(hosts, "127.0.0.3 milvus_cdi_moving\n");
            before.close();
            Files.createFile(moved);

            assertThat(ChildJvm.result(child.get(150, TimeUnit.SECONDS))).startsWith("RESULT OK collections=");
        }
    }

    @Test
    void serverNameWorksWhenTheJvmsTrustStoreTrustsTheServer(@TempDir Path dir) throws Exception {
        Path trustStore = dir.resolve("trust.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream ca = Files.newInputStream(CERTS.caPem())) {
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, "changeit".toCharArray());
        }
        Map<String, String> jvm = Map.of(
                "javax.net.ssl.trustStore", trustStore.toString(),
                "javax.net.ssl.trustStorePassword", "changeit",
                "javax.net.ssl.trustStoreType", "PKCS12",
                "child.alias", "secured",
                "milvus.connections.secured.uri",
                        "https://127.0.0.1:" + OTHER_NAME.server().port(),
                "milvus.connections.secured.connect-timeout", "30s",
                "milvus.connections.secured.keep-alive-without-calls", "false");
        Map<String, String> withServerName = new java.util.HashMap<>(jvm);
        withServerName.put("milvus.connections.secured.server-name", TestCertificates.OTHER_NAME);

        assertThat(ChildJvm.result(ChildJvm.run(withServerName, UnaryOperator.identity())))
                .startsWith("RESULT OK collections=");
        // an alias added at run time reconnects in useDatabase: the JVM's trust is written again for it
        Map<String, String> useDatabase = new java.util.HashMap<>(withServerName);
        useDatabase.put("child.use-database", "default");
        assertThat(ChildJvm.result(ChildJvm.run(useDatabase, UnaryOperator.identity())))
                .startsWith("RESULT OK collections=");
        assertThat(ChildJvm.result(ChildJvm.run(jvm, UnaryOperator.identity())))
                .startsWith("RESULT FAIL")
                .contains("Milvus alias 'secured': cannot connect to 127.0.0.1:"
                        + OTHER_NAME.server().port() + " over TLS")
                .contains("the server's certificate does not carry the name '127.0.0.1': set "
                        + "milvus.connections.secured.server-name to a name the certificate carries");
    }

    @Test
    void anOlderSdkOnTheClassPathFailsTheDeploymentNamingBothVersionsAndTheFix() throws Exception {
        Path oldSdk = Path.of("target", "old-sdk", "milvus-sdk-java-old.jar").toAbsolutePath();
        assertThat(oldSdk)
                .as("copied by maven-dependency-plugin (extension/pom.xml)")
                .exists();
        String output = ChildJvm.run(
                Map.of(
                        "child.alias",
                        "search",
                        "milvus.connections.search.uri",
                        "http://127.0.0.1:" + PLAIN.server().port()),
                entry -> entry.contains("milvus-sdk-java-2.6.22") ? oldSdk.toString() : entry);

        assertThat(ChildJvm.result(output))
                .startsWith("RESULT FAIL")
                .contains("The Milvus SDK on the class path is io.milvus:milvus-sdk-java 2.6.14; Milvus CDI needs "
                        + "2.6.18 or later (it is built and tested with 2.6.22), whose gRPC is shaded under "
                        + "io.milvus.shaded. Another dependency brings the older SDK: pin the version in "
                        + "<dependencyManagement> (Maven) or with a constraint (Gradle): "
                        + "io.milvus:milvus-sdk-java:2.6.22")
                .doesNotContain("NoClassDefFoundError");
    }
}
