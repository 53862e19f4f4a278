package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.OtlpCollector;
import io.github.milvuscdi.harness.OtlpSpan;
import io.github.milvuscdi.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traces end to end on WildFly's MicroProfile Telemetry: a copy of the notes WAR, deployed as
 * {@code traced.war}, turns OpenTelemetry on in its own {@code microprofile-config.properties}, as
 * WildFly's guide tells a user to, and exports OTLP/HTTP to a collector this test runs on loopback.
 * The Milvus spans must arrive there from WildFly's own OpenTelemetry SDK, in the trace of the REST
 * request that made them, each a child of the request's server span.
 */
@Order(5)
@ExtendWith(WildFlyRun.Extension.class)
class TracesIT {

    private static final String TRACED = "traced.war";
    /** Exports are batched: WildFly's default delay is 5 s; the WAR asks for less, the bound allows for a busy machine. */
    private static final Duration EXPORTED = Duration.ofSeconds(60);

    static WildFlyRun run;
    static OtlpCollector collector;

    @BeforeAll
    static void deploy(WildFlyRun shared) throws Exception {
        run = shared;
        collector = OtlpCollector.start();
        run.deployNotesAs(TRACED, file -> {
            file.put("otel.sdk.disabled", "false");
            file.put("otel.service.name", "traced-notes");
            file.put("otel.exporter.otlp.endpoint", collector.endpoint());
            file.put("otel.exporter.otlp.protocol", "http/protobuf");
            file.put("otel.bsp.schedule.delay", "200");
            file.put("otel.metrics.exporter", "otlp");
            file.put("otel.metric.export.interval", "500");
        });
    }

    @AfterAll
    static void undeploy() {
        if (run != null) {
            run.wildfly.management().undeploy(TRACED);
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void milvusSpansArriveInTheTraceOfTheRestRequest() throws Exception {
        new Notebook(run, "traced", "default").roundTrip("traced_notes");

        List<OtlpSpan> spans = collector.awaitSpans(
                received -> milvusSpan(received, "Search traced_notes")
                        .flatMap(search -> parentOf(search, received))
                        .isPresent(),
                EXPORTED);

        OtlpSpan search = milvusSpan(spans, "Search traced_notes").orElseThrow();
        OtlpSpan request = parentOf(search, spans).orElseThrow();
        assertThat(request.kind()).as("the parent of %s: %s", search, request).isEqualTo("SERVER");
        assertThat(request.service()).isEqualTo("traced-notes");
        assertThat(request.name() + request.attributes().values())
                .as("the REST request of %s", request)
                .contains("search");
        assertThat(search.kind()).isEqualTo("CLIENT");
        assertThat(search.status()).isEqualTo("UNSET");
        assertThat(search.attributes())
                .containsEntry("db.system.name", "milvus")
                .containsEntry("db.operation.name", "Search")
                .containsEntry("db.collection.name", "traced_notes")
                .containsEntry("db.namespace", "default")
                .containsEntry("milvus.alias", "default")
                .containsEntry("server.address", "127.0.0.1")
                .containsEntry("server.port", String.valueOf(run.current.port()))
                .doesNotContainKey("error.type");
        for (String operation : List.of("CreateCollection traced_notes", "Insert traced_notes")) {
            List<OtlpSpan> received = collector.awaitSpans(
                    now -> milvusSpan(now, operation)
                            .flatMap(span -> parentOf(span, now))
                            .isPresent(),
                    EXPORTED);
            OtlpSpan span = milvusSpan(received, operation).orElseThrow();
            assertThat(parentOf(span, received).orElseThrow().kind())
                    .as("the parent of %s", span)
                    .isEqualTo("SERVER");
        }
    }

    @Test
    void aFailedCallIsAnErrorSpan() throws Exception {
        Http.Answer missing = Http.post(
                run.application("traced", "api/notebooks/default/collections/traced_missing/search"),
                "{\"embedding\": [0, 1, 0, 0], \"limit\": 1}");
        assertThat(missing.status()).as("%s", missing).isNotEqualTo(200);

        List<OtlpSpan> spans = collector.awaitSpans(
                received -> received.stream()
                        .anyMatch(span -> "traced_missing".equals(span.attribute("db.collection.name"))
                                && "ERROR".equals(span.status())),
                EXPORTED);

        OtlpSpan failed = spans.stream()
                .filter(span ->
                        "traced_missing".equals(span.attribute("db.collection.name")) && "ERROR".equals(span.status()))
                .findFirst()
                .orElseThrow();
        assertThat(failed.attribute("error.type")).as("%s", failed).isNotBlank();
        assertThat(failed.attribute("milvus.alias")).isEqualTo("default");
    }

    @Test
    void theDurationHistogramIsExported() throws Exception {
        new Notebook(run, "traced", "default").roundTrip("traced_metrics");

        // metrics are not decoded: one export must name the histogram, the alias key and this collection
        Await.until(
                () -> collector.received(
                        "/v1/metrics", "db.client.operation.duration", "milvus.alias", "traced_metrics"),
                EXPORTED,
                "an export of db.client.operation.duration for collection traced_metrics");
    }

    @Test
    void noSecretIsExported() throws Exception {
        new Notebook(run, "traced", "archive").roundTrip("traced_archive");
        collector.awaitSpans(
                received -> milvusSpan(received, "Search traced_archive").isPresent(), EXPORTED);

        for (String secret : run.secrets()) {
            assertThat(collector.received(secret))
                    .as("a secret of the configuration in an export")
                    .isFalse();
        }
    }

    private static Optional<OtlpSpan> milvusSpan(List<OtlpSpan> spans, String name) {
        return spans.stream()
                .filter(span -> span.name().equals(name) && "milvus".equals(span.attribute("db.system.name")))
                .findFirst();
    }

    private static Optional<OtlpSpan> parentOf(OtlpSpan span, List<OtlpSpan> spans) {
        return spans.stream().filter(span::isChildOf).findFirst();
    }
}
