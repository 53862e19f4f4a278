package io.github.milvuscdi.harness;

import java.util.Map;

/**
 * One span as an OTLP exporter sent it to an {@link OtlpCollector}: what a trace backend would show.
 *
 * @param service the {@code service.name} of the resource that sent it ({@code ""} when none)
 * @param traceId the trace id, 32 lower-case hex digits
 * @param spanId the span id, 16 lower-case hex digits
 * @param parentSpanId the parent's span id, {@code ""} for a root span
 * @param name the span's name, e.g. {@code Search notes}
 * @param kind {@code INTERNAL}, {@code SERVER}, {@code CLIENT}, {@code PRODUCER}, {@code CONSUMER} or
 *     {@code UNSPECIFIED}
 * @param attributes every attribute, its value in words ({@code 19530}, {@code true}, {@code milvus})
 * @param status {@code UNSET}, {@code OK} or {@code ERROR}
 */
public record OtlpSpan(
        String service,
        String traceId,
        String spanId,
        String parentSpanId,
        String name,
        String kind,
        Map<String, String> attributes,
        String status) {

    /** @return whether {@code other} is this span's parent (same trace, and its id is this span's parent id) */
    public boolean isChildOf(OtlpSpan other) {
        return traceId.equals(other.traceId) && parentSpanId.equals(other.spanId);
    }

    /** @return the value of an attribute, or {@code null} */
    public String attribute(String key) {
        return attributes.get(key);
    }
}
