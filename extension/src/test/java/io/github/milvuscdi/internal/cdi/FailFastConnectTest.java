package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.TestCertificates;
import io.github.milvuscdi.testing.TestSecrets;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures that waiting cannot cure end long before {@code connect-timeout} (10 s here) and say the
 * cause in one line: a port that speaks HTTP/1, TLS on one side only, a host name that does not
 * resolve, credentials refused. A server that refuses connections still gets the whole wait: it may
 * be restarting.
 *
 * <p>The bound asserted, {@value #FAST_SECONDS} s, is loose on purpose (a busy machine); the point is the
 * difference with the 10 s a permanent failure used to wait. Messages are asserted word for word up to the
 * transport's own words in parentheses at the end.
 */
class FailFastConnectTest {

    private static final TestCertificates CERTS = TestCertificates.generate();
    private static final TestSecrets SECRETS = TestSecrets.generate();
    private static final String ALIAS = "search";
    private static final long FAST_SECONDS = 5;

    @RegisterExtension
    static final MilvusLiteExtension TLS =
            new MilvusLiteExtension("tls", MilvusLiteOptions.plaintext().tls(CERTS));

    @RegisterExtension
    static final MilvusLiteExtension PLAIN = new MilvusLiteExtension("plain");

    @RegisterExtension
    static final MilvusLiteExtension AUTH =
            new MilvusLiteExtension("auth", MilvusLiteOptions.plaintext().credentials("root", SECRETS.password()));

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection(ALIAS)
        Instance<MilvusClientV2> client;
    }

    @Test
    void aPortSpeakingHttp1FailsAtOnceSayingSoAndWhichPortMilvusUses() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = "<!DOCTYPE html><html>not milvus</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        try {
            int port = http.getAddress().getPort();
            Failure failure = connect("uri", "http://127.0.0.1:" + port);

            failure.assertFast();
            assertThat(failure.message())
                    .startsWith("Milvus alias 'search': cannot connect to 127.0.0.1:" + port
                            + " (connect-timeout 10000 ms): the port speaks HTTP/1, not gRPC (it answered 'HTTP/'):"
                            + " Milvus serves gRPC on port 19530 unless configured otherwise (9091 is its HTTP port for"
                            + " metrics and health); check the port in milvus.connections.search.uri (or"
                            + " milvus.connections.search.address, milvus.connections.search.port) (");
            failure.assertQuotedInTheDocs("127.0.0.1:" + port, "127.0.0.1:9091");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void plainTextToATlsPortFailsAtOnceSayingToTurnTlsOn() throws Exception {
        Failure failure = connect("uri", "http://localhost:" + TLS.server().port());

        failure.assertFast();
        assertThat(failure.message())
                .startsWith("Milvus alias 'search': cannot connect to localhost:"
                        + TLS.server().port() + " (connect-timeout 10000 ms): the server expects TLS and the client"
                        + " does not use it: use an https:// uri or set milvus.connections.search.secure=true (");
        failure.assertQuotedInTheDocs("localhost:" + TLS.server().port(), "localhost:19530");
    }

    @Test
    void tlsToAPlainTextPortFailsAtOnceSayingToTurnTlsOff() throws Exception {
        Failure failure = connect("uri", PLAIN.server().uri(), "secure", "true");

        failure.assertFast();
        assertThat(failure.message())
                .startsWith("Milvus alias 'search': cannot connect to "
                        + PLAIN.server().address()
                        + " over TLS (connect-timeout 10000 ms): the server does not speak TLS: connect without it"
                        + " (an http:// uri, no milvus.connections.search.secure=true and no -pem-path keys) (");
        failure.assertQuotedInTheDocs(PLAIN.server().address(), "127.0.0.1:19530");
    }

    @Test
    void aHostNameThatDoesNotResolveFailsAtOnceNamingIt() throws Exception {
        Failure failure = connect("uri", "http://milvus.invalid:19530");

        failure.assertFast();
        assertThat(failure.message())
                .isEqualTo("Milvus alias 'search': cannot connect to milvus.invalid:19530 (connect-timeout 10000 ms):"
                        + " the host name 'milvus.invalid' does not resolve: check the host in"
                        + " milvus.connections.search.uri (or milvus.connections.search.address,"
                        + " milvus.connections.search.host)");
        failure.assertQuotedInTheDocs("milvus.invalid:19530", "milvus.invalid:19530");
    }

    @Test
    void refusedCredentialsFailAtOnceNamingTheKeys() throws Exception {
        Failure failure = connect("uri", AUTH.server().uri(), "user", "root", "password", "not-" + SECRETS.password());

        failure.assertFast();
        assertThat(failure.message())
                .startsWith("Milvus alias 'search': cannot connect to "
                        + AUTH.server().address()
                        + " (connect-timeout 10000 ms): the server rejected the credentials: check"
                        + " milvus.connections.search.user and milvus.connections.search.password, or"
                        + " milvus.connections.search.token (");
        failure.assertQuotedInTheDocs(AUTH.server().address(), "127.0.0.1:19530");
    }

    @Test
    void aRefusingServerIsWaitedForUntilConnectTimeout() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Failure failure = connect("uri", "http://127.0.0.1:" + port, "connect-timeout", "2s");

        assertThat(failure.took())
                .as("a temporary failure keeps waiting")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(failure.message())
                .startsWith(
                        "Milvus alias 'search': cannot connect to 127.0.0.1:" + port + " (connect-timeout 2000 ms): ");
        failure.assertQuotedInTheDocs("127.0.0.1:" + port, "127.0.0.1:19530");
    }

    @Test
    void aGrpcServerThatIsNotMilvusFailsAtOnceSayingSo() throws Exception {
        // a gRPC server with no service at all: it answers every Milvus call UNIMPLEMENTED
        io.milvus.shaded.io.grpc.Server grpc =
                io.milvus.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                        .build()
                        .start();
        try {
            int port = grpc.getPort();
            Failure failure = connect("uri", "http://127.0.0.1:" + port);

            failure.assertFast();
            assertThat(failure.message())
                    .startsWith("Milvus alias 'search': cannot connect to 127.0.0.1:" + port
                            + " (connect-timeout 10000 ms): the server speaks gRPC but is not Milvus (it does not serve"
                            + " milvus.proto.milvus.MilvusService): Milvus serves gRPC on port 19530 unless configured"
                            + " otherwise; check the port in milvus.connections.search.uri (or"
                            + " milvus.connections.search.address, milvus.connections.search.port) (");
            failure.assertQuotedInTheDocs("127.0.0.1:" + port, "127.0.0.1:8080");
        } finally {
            grpc.shutdownNow();
        }
    }

    /** What connecting through injection threw, and how long it took. */
    private record Failure(MilvusConnectionException exception, Duration took) {
        String message() {
            return exception.getMessage();
        }

        /**
         * docs/troubleshooting-connections.md quotes the message, with {@code docAddress} for the test's
         * address, up to the transport's own words in parentheses at the end.
         */
        void assertQuotedInTheDocs(String address, String docAddress) {
            TroubleshootingPage.assertQuotes(message(), ALIAS, address, ALIAS, docAddress);
        }

        void assertFast() {
            assertThat(took)
                    .as("fails long before connect-timeout (10 s): " + message())
                    .isLessThan(Duration.ofSeconds(FAST_SECONDS));
            assertThat(message())
                    .as("one line, no protocol dump")
                    .doesNotContain("\n")
                    .doesNotContain("Hex dump")
                    .doesNotContainPattern("[0-9a-fA-F]{16,}");
        }
    }

    private static Failure connect(String... keysAndValues) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        String prefix = "milvus.connections." + ALIAS + ".";
        config.put(prefix + "connect-timeout", "10s");
        config.put(prefix + "keep-alive-without-calls", "false");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put(prefix + keysAndValues[i], keysAndValues[i + 1]);
        }
        try (AutoCloseable c = Containers.useConfig(config);
                WeldContainer container = Containers.boot(Path.PORTABLE, Application.class)) {
            Application application = container.select(Application.class).get();
            long started = System.nanoTime();
            Throwable failure = catchThrowable(() -> application.client.get());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(failure).as("connecting fails").isNotNull();
            String text = ExtensionTest.stackText(failure);
            SECRETS.assertNoneIn("the failure", text);
            System.out.println("FAILFAST " + took.toMillis() + " ms: "
                    + text.lines().findFirst().orElse(""));
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof MilvusConnectionException connection) {
                    System.out.println("FAILFAST message: " + connection.getMessage());
                    return new Failure(connection, took);
                }
            }
            throw new AssertionError("no MilvusConnectionException in " + text, failure);
        }
    }
}
