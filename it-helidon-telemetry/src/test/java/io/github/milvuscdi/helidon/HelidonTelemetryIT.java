package io.github.milvuscdi.helidon;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.OtlpCollector;
import io.github.milvuscdi.harness.OtlpSpan;
import io.github.milvuscdi.it.notes.checks.TraceChecks;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import java.net.http.HttpResponse;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The notes application on Helidon MP 4.1 with MicroProfile Telemetry ({@code helidon-microprofile-telemetry}
 * and the OTLP exporter on its class path), turned on as a user does, in the application's
 * {@code META-INF/microprofile-config.properties}, and exporting OTLP/HTTP to a collector on loopback: the
 * Milvus spans arrive in the trace of the REST request that made them, from Helidon's own OpenTelemetry.
 *
 * <p>One JVM and one milvus-lite serve every test, in order; both aliases point at that server, {@code default}
 * with a token and {@code archive} with a password, given by the environment, which no export may hold.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelidonTelemetryIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final String token = "tok-" + UUID.randomUUID();
    private final String password = "pw-" + UUID.randomUUID();
    private final List<String> responses = new ArrayList<>();
    private MilvusLiteServer server;
    private OtlpCollector collector;
    private HelidonApp helidon;

    @BeforeAll
    void startServerCollectorAndHelidon() {
        server = MilvusLiteServer.start("helidon-traced");
        collector = OtlpCollector.start();
        List<String> configuration = new ArrayList<>();
        for (String alias : List.of("default", "archive")) {
            configuration.add("milvus.connections." + alias + ".uri=" + server.uri());
            configuration.add("milvus.connections." + alias + ".connect-timeout=30s");
            configuration.add("milvus.connections." + alias + ".rpc-deadline=30s");
            configuration.add("milvus.connections." + alias + ".keep-alive-without-calls=false");
        }
        configuration.add("milvus.connections.archive.user=archivist");
        TraceChecks.exportingTo(collector, "helidon-notes")
                .forEach((key, value) -> configuration.add(key + "=" + value));
        helidon = HelidonApp.start(
                Paths.get(System.getProperty("helidon.run", "target/helidon-run"))
                        .resolve("traced"),
                configuration,
                List.of(),
                Map.of("MILVUS_CONNECTIONS_DEFAULT_TOKEN", token, "MILVUS_CONNECTIONS_ARCHIVE_PASSWORD", password));
        helidon.awaitStarted(START_TIMEOUT);
    }

    @AfterAll
    void stopEverything() {
        if (helidon != null) {
            helidon.close();
        }
        if (server != null) {
            server.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    @Order(1)
    void milvusSpansArriveInTheTraceOfTheRestRequest() {
        TraceChecks.searchIsAClientChildOfTheRequest(this::call, "/api", "default", server, collector, "traced_notes");
    }

    @Test
    @Order(2)
    void aFailedCallIsAnErrorSpan() {
        TraceChecks.aFailedCallIsAnErrorSpan(this::call, "/api", "default", collector, "traced_missing");
    }

    @Test
    @Order(3)
    void theDurationHistogramIsExported() {
        TraceChecks.theDurationHistogramIsExported(collector, "traced_notes");
    }

    @Test
    @Order(4)
    void theArchiveAliasIsTracedToo() {
        TraceChecks.searchIsAClientChildOfTheRequest(
                this::call, "/api", "archive", server, collector, "traced_archive");
    }

    @Test
    @Order(5)
    void eachAliasConnectedOnceIsOneConnectSpan() {
        // both aliases connected while Helidon started, before its OpenTelemetry was created: their spans
        // are recorded at the first traced call
        List<OtlpSpan> spans =
                collector.awaitSpans(received -> connectSpans(received).size() >= 2, TraceChecks.EXPORTED);
        assertThat(connectSpans(spans))
                .as("Connect spans")
                .extracting(span -> span.attribute("milvus.alias"))
                .containsExactlyInAnyOrder("default", "archive");
        assertThat(connectSpans(spans)).allSatisfy(span -> {
            assertThat(span.kind()).as("%s", span).isEqualTo("CLIENT");
            assertThat(span.status()).as("%s", span).isEqualTo("UNSET");
            assertThat(span.attributes())
                    .containsEntry("db.operation.name", "Connect")
                    .containsEntry("server.port", String.valueOf(server.port()));
        });
    }

    @Test
    @Order(6)
    void noPasswordOrTokenIsExportedOrLogged() {
        helidon.stop();
        TraceChecks.noSecretIsExported(collector, List.of(token, password));
        for (String secret : List.of(token, password)) {
            assertThat(helidon.log()).as("log " + helidon.logFile()).doesNotContain(secret);
            assertThat(responses).noneMatch(body -> body.contains(secret));
        }
    }

    private static List<OtlpSpan> connectSpans(List<OtlpSpan> spans) {
        return spans.stream()
                .filter(span -> span.name().equals("Connect") && "milvus".equals(span.attribute("db.system.name")))
                .toList();
    }

    private HttpResponse<String> call(String method, String path, String json) {
        HttpResponse<String> response = helidon.send(method, path, json);
        responses.add(response.body());
        return response;
    }
}
