package io.github.milvuscdi.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The collector reads what the OpenTelemetry SDK's own OTLP/HTTP exporter sends, plain and gzipped. */
class OtlpCollectorTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip"})
    void readsTheSpansOfAnOtlpExport(String compression) {
        try (OtlpCollector collector = OtlpCollector.start()) {
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(Resource.getDefault()
                            .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "notes"))))
                    .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
                            .setEndpoint(collector.endpoint() + "/v1/traces")
                            .setCompression(compression)
                            .build()))
                    .build();
            try {
                Tracer tracer = provider.get("test");
                Span request = tracer.spanBuilder("POST /notes")
                        .setSpanKind(SpanKind.SERVER)
                        .startSpan();
                try (Scope ignored = request.makeCurrent()) {
                    tracer.spanBuilder("Search notes")
                            .setSpanKind(SpanKind.CLIENT)
                            .setAttribute("db.system.name", "milvus")
                            .setAttribute("server.port", 19530L)
                            .setAttribute("retried", true)
                            .setAttribute("ratio", 0.5)
                            .startSpan()
                            .setStatus(StatusCode.ERROR)
                            .end();
                } finally {
                    request.end();
                }
                provider.forceFlush().join(10, TimeUnit.SECONDS);
            } finally {
                provider.shutdown().join(10, TimeUnit.SECONDS);
            }

            List<OtlpSpan> spans = collector.awaitSpans(received -> received.size() == 2, BOUND);
            OtlpSpan search = spans.stream()
                    .filter(span -> span.name().equals("Search notes"))
                    .findFirst()
                    .orElseThrow();
            OtlpSpan post = spans.stream()
                    .filter(span -> span.name().equals("POST /notes"))
                    .findFirst()
                    .orElseThrow();
            assertThat(search.kind()).isEqualTo("CLIENT");
            assertThat(post.kind()).isEqualTo("SERVER");
            assertThat(search.isChildOf(post)).as("%s under %s", search, post).isTrue();
            assertThat(post.parentSpanId()).isEmpty();
            assertThat(search.traceId()).hasSize(32).isEqualTo(post.traceId());
            assertThat(search.spanId()).hasSize(16).isNotEqualTo(post.spanId());
            assertThat(search.attributes())
                    .containsEntry("db.system.name", "milvus")
                    .containsEntry("server.port", "19530")
                    .containsEntry("retried", "true")
                    .containsEntry("ratio", "0.5");
            assertThat(search.status()).isEqualTo("ERROR");
            assertThat(post.status()).isEqualTo("UNSET");
            assertThat(search.service()).isEqualTo("notes");
            assertThat(collector.received("db.system.name"))
                    .as("found in the %s body", compression)
                    .isTrue();
            assertThat(collector.received("no-such-text")).isFalse();
            assertThat(collector.received("/v1/traces", "db.system.name", "Search notes"))
                    .isTrue();
            assertThat(collector.received("/v1/traces", "db.system.name", "no-such-text"))
                    .isFalse();
            assertThat(collector.received("/v1/metrics", "db.system.name")).isFalse();
        }
    }

    @Test
    void namesABodyThatIsNotAnExport() throws Exception {
        try (OtlpCollector collector = OtlpCollector.start()) {
            HttpResponse<Void> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(collector.endpoint() + "/v1/traces"))
                                    .timeout(BOUND)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x0a, 0x7f, 1}))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());

            assertThat(answer.statusCode()).isEqualTo(400);
            assertThatThrownBy(collector::spans)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("/v1/traces: Not an OTLP trace export");
        }
    }
}
