package io.github.milvuscdi.it.quarkus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.OtlpCollector;
import io.github.milvuscdi.testing.Await;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With quarkus-opentelemetry, a REST request that searches is one trace: the server span of the
 * request, and under it a CLIENT span for each Milvus call the request made. With
 * {@code quarkus.otel.metrics.enabled=true}, the calls' {@code db.client.operation.duration} histogram
 * is exported over OTLP/HTTP to a collector, as a user's metrics backend receives it.
 */
@QuarkusTest
@TestProfile(NotesTracingTest.Traced.class)
@WithTestResource(MilvusLiteResource.class)
@WithTestResource(OtlpCollectorResource.class)
class NotesTracingTest {

    /** Exports spans within milliseconds of their end, so the test waits little; metrics on (a build-time key). */
    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.otel.bsp.schedule.delay", "50ms",
                    "quarkus.otel.bsp.export.timeout", "5s",
                    "quarkus.otel.metrics.enabled", "true");
        }
    }

    private static final Duration EXPORT_BOUND = Duration.ofSeconds(30);
    private static final AttributeKey<String> ALIAS = AttributeKey.stringKey("milvus.alias");

    @Inject
    InMemorySpanExporter spans;

    OtlpCollector collector;

    @Test
    void aSearchRequestIsOneTraceWithTheMilvusSpansUnderTheServerSpan() throws Exception {
        String path = "/notes/archive/traced_notes";
        given().put(path).then().statusCode(201);
        given().contentType(ContentType.JSON)
                .body(List.of(Map.of("id", 1, "text", "Book the night train to Vienna")))
                .post(path)
                .then()
                .statusCode(200);
        awaitSpan("Insert traced_notes");
        spans.reset();

        given().contentType(ContentType.JSON)
                .body(Map.of("text", "a trip by rail", "limit", 1))
                .post(path + "/search")
                .then()
                .statusCode(200);

        SpanData search = awaitSpan("Search traced_notes");
        SpanData server = awaitSpan(
                span -> span.getKind() == SpanKind.SERVER && span.getTraceId().equals(search.getTraceId()),
                "the request's server span");
        assertThat(server.getName()).contains("/search");
        List<SpanData> milvus = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getAttributes().get(ALIAS) != null)
                .collect(Collectors.toList());
        assertThat(milvus).isNotEmpty().allSatisfy(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(span.getTraceId()).isEqualTo(server.getTraceId());
            assertThat(span.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(span.getAttributes().get(ALIAS)).isEqualTo("archive");
        });
        assertThat(search.getAttributes().get(AttributeKey.stringKey("db.operation.name")))
                .isEqualTo("Search");
    }

    @Test
    void theDurationHistogramIsExportedWhenQuarkusExportsMetrics() {
        String path = "/notes/archive/timed_notes";
        given().put(path).then().statusCode(201);

        // metrics are not decoded: one export must name the histogram, the alias key and this collection
        Await.until(
                () -> collector.received("/v1/metrics", "db.client.operation.duration", "milvus.alias", "timed_notes"),
                EXPORT_BOUND,
                "an export of db.client.operation.duration for collection timed_notes");
    }

    private SpanData awaitSpan(String name) {
        return awaitSpan(span -> span.getName().equals(name), "a span named '" + name + "'");
    }

    private SpanData awaitSpan(java.util.function.Predicate<SpanData> wanted, String what) {
        return Await.until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(wanted)
                                .findFirst(),
                        Optional::isPresent,
                        EXPORT_BOUND,
                        none -> "no " + what + "; exported: "
                                + spans.getFinishedSpanItems().stream()
                                        .map(SpanData::getName)
                                        .collect(Collectors.toList()))
                .orElseThrow();
    }
}
