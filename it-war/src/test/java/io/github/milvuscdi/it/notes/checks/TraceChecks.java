package io.github.milvuscdi.it.notes.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.OtlpCollector;
import io.github.milvuscdi.harness.OtlpSpan;
import io.github.milvuscdi.launcher.MilvusTestServer;
import io.github.milvuscdi.testing.Await;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every server's test proves of the notes application's traces, written once: with MicroProfile
 * Telemetry on and exporting OTLP/HTTP to an {@link OtlpCollector}, the Milvus spans of a REST request
 * arrive in its trace, CLIENT children of its server span; a failed call is an error span; no secret is
 * exported.
 *
 * <pre>{@code
 * file.putAll(TraceChecks.exportingTo(collector, "traced-notes")); // the WAR's microprofile-config.properties
 * TraceChecks.searchIsAClientChildOfTheRequest(call, "/notes/api", "default", server, collector, "traced-notes");
 * }</pre>
 */
public final class TraceChecks {

    /** Exports are batched: the WAR asks for a short delay, the bound allows for a busy machine. */
    public static final Duration EXPORTED = Duration.ofSeconds(60);

    private TraceChecks() {}

    /**
     * The MicroProfile Config properties that turn OpenTelemetry on and export traces and metrics to a
     * collector, as a user writes them (in the WAR's {@code microprofile-config.properties}, or as
     * system properties or {@code OTEL_*} environment variables of the server).
     *
     * @param collector where to export
     * @param service the {@code otel.service.name}
     * @return the properties, in the order a user would write them
     */
    public static Map<String, String> exportingTo(OtlpCollector collector, String service) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("otel.sdk.disabled", "false");
        properties.put("otel.service.name", service);
        properties.put("otel.exporter.otlp.endpoint", collector.endpoint());
        properties.put("otel.exporter.otlp.protocol", "http/protobuf");
        properties.put("otel.traces.exporter", "otlp");
        properties.put("otel.metrics.exporter", "otlp");
        properties.put("otel.logs.exporter", "none");
        properties.put("otel.bsp.schedule.delay", "200");
        properties.put("otel.metric.export.interval", "500");
        return properties;
    }

    /**
     * Creates {@code collection} on {@code alias}, adds a note and searches it through REST, then waits
     * for the search's span: a CLIENT child of the request's SERVER span, with the attributes of a search.
     *
     * @param call sends a request
     * @param api the REST API's root path, e.g. {@code /notes/api}
     * @param alias the alias the requests use
     * @param server that alias's server
     * @param collector where the server exports
     * @param collection a collection name no other test uses
     */
    public static void searchIsAClientChildOfTheRequest(
            NotesChecks.Call call,
            String api,
            String alias,
            MilvusTestServer server,
            OtlpCollector collector,
            String collection) {
        String base = api + "/notebooks/" + alias + "/collections/" + collection;
        NotesChecks.assertStatus(call.send("PUT", base, "{\"dimension\": 4}"), 201);
        NotesChecks.assertStatus(
                call.send("POST", base + "/notes", "[{\"id\": 1, \"text\": \"traced\", \"embedding\": [1, 0, 0, 0]}]"),
                200);
        NotesChecks.assertStatus(
                call.send("POST", base + "/search", "{\"embedding\": [1, 0, 0, 0], \"limit\": 1}"), 200);

        String searchName = "Search " + collection;
        List<OtlpSpan> spans = collector.awaitSpans(
                received -> milvusSpan(received, searchName)
                        .flatMap(search -> parentOf(search, received))
                        .isPresent(),
                EXPORTED);

        OtlpSpan search = milvusSpan(spans, searchName).orElseThrow();
        OtlpSpan request = parentOf(search, spans).orElseThrow();
        assertThat(request.kind()).as("the parent of %s: %s", search, request).isEqualTo("SERVER");
        assertThat(request.name() + request.attributes().values())
                .as("the REST request of %s", request)
                .contains("search");
        assertThat(search.kind()).as("%s", search).isEqualTo("CLIENT");
        assertThat(search.status()).as("%s", search).isEqualTo("UNSET");
        assertThat(search.attributes())
                .containsEntry("db.system.name", "milvus")
                .containsEntry("db.operation.name", "Search")
                .containsEntry("db.collection.name", collection)
                .containsEntry("db.namespace", "default")
                .containsEntry("milvus.alias", alias)
                .containsEntry("server.address", server.host())
                .containsEntry("server.port", String.valueOf(server.port()))
                .doesNotContainKey("error.type");
        for (String operation : List.of("CreateCollection " + collection, "Insert " + collection)) {
            List<OtlpSpan> received = collector.awaitSpans(
                    now -> milvusSpan(now, operation)
                            .flatMap(span -> parentOf(span, now))
                            .isPresent(),
                    EXPORTED);
            OtlpSpan span = milvusSpan(received, operation).orElseThrow();
            assertThat(span.kind()).as("%s", span).isEqualTo("CLIENT");
            assertThat(parentOf(span, received).orElseThrow().kind())
                    .as("the parent of %s", span)
                    .isEqualTo("SERVER");
        }
    }

    /**
     * Searches a collection that does not exist through REST and waits for its error span.
     *
     * @param call sends a request
     * @param api the REST API's root path, e.g. {@code /notes/api}
     * @param alias the alias the request uses
     * @param collector where the server exports
     * @param missing a collection name that does not exist on that alias's server
     */
    public static void aFailedCallIsAnErrorSpan(
            NotesChecks.Call call, String api, String alias, OtlpCollector collector, String missing) {
        NotesChecks.assertStatus(
                call.send(
                        "POST",
                        api + "/notebooks/" + alias + "/collections/" + missing + "/search",
                        "{\"embedding\": [0, 1, 0, 0], \"limit\": 1}"),
                502);

        List<OtlpSpan> spans = collector.awaitSpans(
                received -> received.stream().anyMatch(span -> isErrorOf(span, missing)), EXPORTED);

        OtlpSpan failed = spans.stream()
                .filter(span -> isErrorOf(span, missing))
                .findFirst()
                .orElseThrow();
        assertThat(failed.kind()).as("%s", failed).isEqualTo("CLIENT");
        assertThat(failed.attribute("error.type")).as("%s", failed).isNotBlank();
        assertThat(failed.attribute("milvus.alias")).as("%s", failed).isEqualTo(alias);
    }

    /**
     * Waits for an export of {@code db.client.operation.duration} that names the alias key and
     * {@code collection} (metrics are not decoded: one body must hold the three).
     *
     * @param collector where the server exports
     * @param collection a collection that calls have used
     */
    public static void theDurationHistogramIsExported(OtlpCollector collector, String collection) {
        Await.until(
                () -> collector.received("/v1/metrics", "db.client.operation.duration", "milvus.alias", collection),
                EXPORTED,
                "an export of db.client.operation.duration for collection " + collection);
    }

    /**
     * Asserts that no export received so far holds any of {@code secrets}.
     *
     * @param collector where the server exported
     * @param secrets the passwords and tokens of the configuration
     */
    public static void noSecretIsExported(OtlpCollector collector, List<String> secrets) {
        assertThat(collector.spans())
                .as("spans exported: the check below would mean nothing without them")
                .anyMatch(span -> "milvus".equals(span.attribute("db.system.name")));
        for (String secret : secrets) {
            assertThat(collector.received(secret))
                    .as("a secret of the configuration in an export")
                    .isFalse();
        }
    }

    private static boolean isErrorOf(OtlpSpan span, String collection) {
        return collection.equals(span.attribute("db.collection.name")) && "ERROR".equals(span.status());
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
