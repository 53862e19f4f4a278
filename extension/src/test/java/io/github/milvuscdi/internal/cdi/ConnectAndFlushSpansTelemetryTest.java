package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusConnections;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.utility.request.FlushReq;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connect of an alias is one CLIENT span, child of the span that first used the client, with its
 * outcome; a flush is its {@code Flush} call and one span for its wait, however many polls; no
 * {@code GetFlushState} span.
 */
class ConnectAndFlushSpansTelemetryTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("connect-flush-spans");

    private static final AtomicInteger COLLECTIONS = new AtomicInteger();

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("notes")
        MilvusClientV2 notes;
    }

    @Test
    void theConnectIsOneSpanChildOfTheFirstUseAndAFlushWaitIsOneSpan() throws Exception {
        String collection = "flushed_" + COLLECTIONS.incrementAndGet(); // one server for every test of the class
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.notes.uri",
                        MILVUS.server().uri(),
                        "milvus.connections.notes.keep-alive-without-calls",
                        "false"));
                WeldContainer container =
                        Containers.boot(Path.PORTABLE, Application.class, InMemoryTelemetry.Producer.class)) {
            Span request =
                    telemetry.sdk.getTracer("test").spanBuilder("POST /notes").startSpan();
            try (Scope scope = request.makeCurrent()) {
                MilvusClientV2 notes = container.select(Application.class).get().notes; // connects
                VectorRoundTrip.createAndFill(notes, collection);
                notes.flush(
                        FlushReq.builder().collectionNames(List.of(collection)).build());
                notes.flush(
                        FlushReq.builder().collectionNames(List.of(collection)).build());
            } finally {
                request.end();
            }

            List<SpanData> spans = telemetry.spansOf("notes");
            List<String> names = spans.stream().map(SpanData::getName).collect(Collectors.toList());
            assertThat(names).containsOnlyOnce("Connect").doesNotContain("GetFlushState");
            assertThat(names.stream().filter("Flush"::equals)).hasSize(2);
            assertThat(names.stream().filter("WaitFlush"::equals)).hasSize(2);

            SpanData connect = spans.stream()
                    .filter(span -> span.getName().equals("Connect"))
                    .findFirst()
                    .orElseThrow();
            assertThat(connect.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(connect.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(connect.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
            assertThat(connect.getParentSpanId())
                    .isEqualTo(request.getSpanContext().getSpanId());
            assertThat(connect.getEndEpochNanos()).isGreaterThan(connect.getStartEpochNanos());

            SpanData flush = first(spans, "Flush");
            SpanData wait = first(spans, "WaitFlush");
            assertThat(wait.getParentSpanId())
                    .isEqualTo(request.getSpanContext().getSpanId());
            assertThat(wait.getStartEpochNanos()).isGreaterThanOrEqualTo(flush.getEndEpochNanos());
            assertThat(wait.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        }
    }

    @Test
    void aFailedConnectIsAnErrorSpanOnceTelemetryIsResolved() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.notes.uri",
                        MILVUS.server().uri(),
                        "milvus.connections.notes.keep-alive-without-calls",
                        "false",
                        "milvus.connections.down.uri",
                        "http://127.0.0.1:" + closedPort,
                        "milvus.connections.down.connect-timeout",
                        "1s"));
                WeldContainer container =
                        Containers.boot(Path.PORTABLE, Application.class, InMemoryTelemetry.Producer.class)) {
            MilvusConnections connections =
                    container.select(MilvusConnections.class).get();
            assertThatThrownBy(() -> connections.connect("down")).isInstanceOf(RuntimeException.class);

            // the first traced call resolves the application's OpenTelemetry; the failed connect is recorded then
            VectorRoundTrip.exists(container.select(Application.class).get().notes, "none");

            List<SpanData> down = telemetry.spansOf("down");
            assertThat(down).extracting(SpanData::getName).containsExactly("Connect");
            assertThat(down.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(down.get(0).getAttributes().get(InMemoryTelemetry.ERROR_TYPE))
                    .isNotBlank();
        }
    }

    private static SpanData first(List<SpanData> spans, String name) {
        return spans.stream()
                .filter(span -> span.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
