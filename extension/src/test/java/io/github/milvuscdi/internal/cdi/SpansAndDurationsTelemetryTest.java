package io.github.milvuscdi.internal.cdi;

import static io.github.milvuscdi.internal.cdi.InMemoryTelemetry.COLLECTION;
import static io.github.milvuscdi.internal.cdi.InMemoryTelemetry.ERROR_TYPE;
import static io.github.milvuscdi.internal.cdi.InMemoryTelemetry.OPERATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With an {@code OpenTelemetry} bean in the container, every call of an injected client is a CLIENT
 * span, child of the caller's span, and a point of {@code db.client.operation.duration}; an alias
 * with telemetry off records nothing. Both extension paths, against milvus-lite.
 */
class SpansAndDurationsTelemetryTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("telemetry");

    /** Three aliases on one server: traced, traced with filters, not traced. */
    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("notes")
        MilvusClientV2 notes;

        @Inject
        @MilvusConnection("filters")
        MilvusClientV2 filters;

        @Inject
        @MilvusConnection("quiet")
        MilvusClientV2 quiet;
    }

    private static Map<String, String> config() {
        return Map.of(
                "milvus.connections.notes.uri", MILVUS.server().uri(),
                "milvus.connections.notes.keep-alive-without-calls", "false",
                "milvus.connections.filters.uri", MILVUS.server().uri(),
                "milvus.connections.filters.keep-alive-without-calls", "false",
                "milvus.connections.filters.telemetry.record-filters", "true",
                "milvus.connections.quiet.uri", MILVUS.server().uri(),
                "milvus.connections.quiet.keep-alive-without-calls", "false",
                "milvus.connections.quiet.telemetry.enabled", "false");
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void createInsertSearchAreChildSpansOfTheCallersSpanWithTheirAttributesAndDurations(Path path) throws Exception {
        String collection = "traced_" + path.name().toLowerCase();
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(config());
                WeldContainer container = Containers.boot(path, Application.class, InMemoryTelemetry.Producer.class)) {
            Application application = container.select(Application.class).get();
            Span request =
                    telemetry.sdk.getTracer("test").spanBuilder("GET /notes").startSpan();
            try (Scope scope = request.makeCurrent()) {
                VectorRoundTrip.createAndFill(application.notes, collection);
                assertThat(VectorRoundTrip.nearest(application.notes, collection, 2))
                        .isEqualTo(2);
            } finally {
                request.end();
            }

            List<SpanData> spans = telemetry.callSpansOf("notes");
            assertThat(spans)
                    .extracting(SpanData::getName)
                    .contains("CreateCollection " + collection, "Insert " + collection, "Search " + collection);
            SpanData search = named(spans, "Search " + collection);
            assertThat(search.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(search.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
            assertThat(search.getParentSpanId())
                    .isEqualTo(request.getSpanContext().getSpanId());
            assertThat(search.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(search.getAttributes().asMap())
                    .containsOnly(
                            Map.entry(AttributeKey.stringKey("db.system.name"), "milvus"),
                            Map.entry(AttributeKey.stringKey("db.operation.name"), "Search"),
                            Map.entry(AttributeKey.stringKey("db.collection.name"), collection),
                            Map.entry(AttributeKey.stringKey("db.namespace"), "default"),
                            Map.entry(
                                    AttributeKey.stringKey("server.address"),
                                    MILVUS.server().host()),
                            Map.entry(AttributeKey.longKey("server.port"), (long)
                                    MILVUS.server().port()),
                            Map.entry(AttributeKey.stringKey("milvus.alias"), "notes"));
            assertThat(spans).allSatisfy(span -> {
                assertThat(span.getParentSpanId())
                        .isEqualTo(request.getSpanContext().getSpanId());
                assertThat(span.getAttributes().get(ERROR_TYPE)).isNull();
            });

            assertThat(telemetry.durationUnit()).isEqualTo("s");
            List<HistogramPointData> durations = telemetry.durationsOf("notes");
            HistogramPointData searches = durations.stream()
                    .filter(point -> "Search".equals(point.getAttributes().get(OPERATION)))
                    .findFirst()
                    .orElseThrow();
            assertThat(searches.getCount()).isEqualTo(1);
            assertThat(searches.getAttributes().get(COLLECTION)).isEqualTo(collection);
            assertThat(searches.getSum()).isPositive();
            assertThat(durations)
                    .extracting(point -> point.getAttributes().get(OPERATION))
                    .contains("CreateCollection", "Insert", "Search");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void anAliasWithTelemetryOffRecordsNothingWhileAnotherOnTheSameServerDoes(Path path) throws Exception {
        String collection = "quiet_" + path.name().toLowerCase();
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(config());
                WeldContainer container = Containers.boot(path, Application.class, InMemoryTelemetry.Producer.class)) {
            Application application = container.select(Application.class).get();
            VectorRoundTrip.createAndFill(application.quiet, collection);
            assertThat(VectorRoundTrip.nearest(application.quiet, collection, 3))
                    .isEqualTo(3);
            assertThat(VectorRoundTrip.exists(application.notes, collection)).isTrue();

            assertThat(telemetry.spansOf("quiet")).isEmpty();
            assertThat(telemetry.durationsOf("quiet")).isEmpty();
            assertThat(telemetry.spans.getFinishedSpanItems())
                    .filteredOn(span -> !span.getName().equals("Connect")) // the traced aliases' connects
                    .extracting(SpanData::getName)
                    .containsExactly("HasCollection " + collection);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void filterExpressionsAreRecordedOnlyWhereTheAliasOptsIn(Path path) throws Exception {
        String collection = "filters_" + path.name().toLowerCase();
        String filter = "id in [1, 2]";
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(config());
                WeldContainer container = Containers.boot(path, Application.class, InMemoryTelemetry.Producer.class)) {
            Application application = container.select(Application.class).get();
            VectorRoundTrip.createAndFill(application.notes, collection);
            for (MilvusClientV2 client : List.of(application.notes, application.filters)) {
                assertThat(client.query(QueryReq.builder()
                                        .collectionName(collection)
                                        .filter(filter)
                                        .consistencyLevel(io.milvus.v2.common.ConsistencyLevel.STRONG)
                                        .build())
                                .getQueryResults())
                        .hasSize(2);
            }

            AttributeKey<String> query = AttributeKey.stringKey("db.query.text");
            assertThat(named(telemetry.spansOf("filters"), "Query " + collection)
                            .getAttributes()
                            .get(query))
                    .isEqualTo(filter);
            assertThat(named(telemetry.spansOf("notes"), "Query " + collection)
                            .getAttributes()
                            .get(query))
                    .isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aMilvusErrorAnsweredWithGrpcOkIsAnErrorSpanWithMilvussCode(Path path) throws Exception {
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(config());
                WeldContainer container = Containers.boot(path, Application.class, InMemoryTelemetry.Producer.class)) {
            Application application = container.select(Application.class).get();
            assertThatThrownBy(() -> application.notes.describeCollection(DescribeCollectionReq.builder()
                            .collectionName("no_such_collection")
                            .build()))
                    .isInstanceOf(RuntimeException.class);

            SpanData describe = named(telemetry.spansOf("notes"), "DescribeCollection no_such_collection");
            assertThat(describe.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            String code = describe.getAttributes().get(AttributeKey.stringKey("db.response.status_code"));
            assertThat(code).matches("[1-9][0-9]*");
            assertThat(describe.getAttributes().get(ERROR_TYPE)).isEqualTo(code);
            assertThat(telemetry.durationsOf("notes")).anySatisfy(point -> {
                assertThat(point.getAttributes().get(OPERATION)).isEqualTo("DescribeCollection");
                assertThat(point.getAttributes().get(ERROR_TYPE)).isEqualTo(code);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void theSpansContextGoesToTheServerInTheCallsMetadata(Path path) throws Exception {
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(config());
                WeldContainer container = Containers.boot(path, Application.class, InMemoryTelemetry.Producer.class)) {
            Application application = container.select(Application.class).get();
            List<String> sent = new CopyOnWriteArrayList<>();
            // Added after ours, so it runs first and sees the headers ours filled in on their way out.
            MilvusSdk.interceptCalls(application.notes, new ClientInterceptor() {
                @Override
                public <Q, R> ClientCall<Q, R> interceptCall(
                        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                    return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                        @Override
                        public void start(Listener<R> listener, Metadata headers) {
                            super.start(listener, headers);
                            sent.add(headers.get(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER)));
                        }
                    };
                }
            });
            assertThat(VectorRoundTrip.exists(application.notes, "anything")).isFalse();

            SpanData has = named(telemetry.spansOf("notes"), "HasCollection anything");
            assertThat(sent)
                    .containsExactly("00-" + has.getTraceId() + "-" + has.getSpanId() + "-"
                            + has.getSpanContext().getTraceFlags().asHex());
        }
    }

    private static SpanData named(List<SpanData> spans, String name) {
        List<SpanData> found =
                spans.stream().filter(span -> span.getName().equals(name)).collect(Collectors.toList());
        assertThat(found)
                .as(
                        "spans named '%s' among %s",
                        name, spans.stream().map(SpanData::getName).collect(Collectors.toList()))
                .hasSize(1);
        return found.get(0);
    }
}
