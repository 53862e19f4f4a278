package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.harness.LogCapture;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.launcher.MilvusBackend;
import io.github.milvuscdi.launcher.MilvusTestServer;
import io.github.milvuscdi.testing.Await;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * The one outage WARNING says when waiting will not help: the server's port, once Milvus stopped, is
 * taken by a web server (HTTP/1), and the warning names that rather than "until it is back".
 */
class OutageCauseWarningTest {

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("search")
        MilvusClientV2 search;
    }

    @Test
    void theOutageWarningNamesACauseThatWaitingCannotCure() throws Exception {
        try (MilvusTestServer server = MilvusBackend.MILVUS_LITE.start("outage-cause")) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("milvus.connections.search.uri", server.uri());
            config.put("milvus.connections.search.connect-timeout", "2s");
            config.put("milvus.connections.search.keep-alive-without-calls", "false");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = Containers.boot(Path.PORTABLE, Application.class);
                    LogCapture log = LogCapture.ours()) {
                Application application = container.select(Application.class).get();
                application.search.getServerVersion();

                server.stop();
                HttpServer http = HttpServer.create(
                        new InetSocketAddress(InetAddress.getByName(server.host()), server.port()), 0);
                http.createContext("/", exchange -> {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                });
                http.start();
                try {
                    catchThrowable(() -> application.search.getServerVersion());
                    String warning = Await.until(
                            () -> log.messages().stream()
                                    .filter(m -> m.contains("is unavailable; calls fail"))
                                    .findFirst()
                                    .orElse(null),
                            m -> m != null,
                            Duration.ofSeconds(30));

                    assertThat(warning)
                            .isEqualTo("Milvus alias 'search': the server at " + server.address()
                                    + " is unavailable; calls fail after waiting connect-timeout (2000 ms) for a"
                                    + " usable connection, and waiting will not help: the port speaks HTTP/1, not"
                                    + " gRPC (it answered 'HTTP/'): Milvus serves gRPC on port 19530 unless configured"
                                    + " otherwise (9091 is its HTTP port for metrics and health); check the port in"
                                    + " milvus.connections.search.uri (or milvus.connections.search.address,"
                                    + " milvus.connections.search.port) (INTERNAL: http2 exception (First received"
                                    + " frame was not SETTINGS))");
                } finally {
                    http.stop(0);
                }
            }
        }
    }
}
