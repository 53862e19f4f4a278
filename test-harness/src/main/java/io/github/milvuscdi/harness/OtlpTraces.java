package io.github.milvuscdi.harness;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of an OTLP/HTTP trace export ({@code ExportTraceServiceRequest} in protobuf's binary
 * form, as {@code opentelemetry/proto/collector/trace/v1/trace_service.proto} defines it) into
 * {@link OtlpSpan}s. Only the fields a test asserts are read; every other field is skipped by its wire
 * type, so a newer exporter that adds fields still reads. Written against the wire format, not
 * generated: the test class path keeps no second protobuf runtime beside the Milvus SDK's.
 */
final class OtlpTraces {

    private static final String[] KINDS = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
    private static final String[] STATUSES = {"UNSET", "OK", "ERROR"};

    private OtlpTraces() {}

    /**
     * @param body an {@code ExportTraceServiceRequest}
     * @return its spans, in the order sent
     * @throws IllegalArgumentException when the body is not well-formed protobuf
     */
    static List<OtlpSpan> decode(byte[] body) {
        List<OtlpSpan> spans = new ArrayList<>();
        Wire request = new Wire(ByteBuffer.wrap(body));
        while (request.hasMore()) {
            if (request.nextField() == 1) { // resource_spans
                resourceSpans(request.message(), spans);
            } else {
                request.skip();
            }
        }
        return spans;
    }

    private static void resourceSpans(Wire resourceSpans, List<OtlpSpan> into) {
        String service = "";
        List<Wire> scopes = new ArrayList<>();
        while (resourceSpans.hasMore()) {
            switch (resourceSpans.nextField()) {
                case 1 -> service = serviceName(resourceSpans.message()); // resource
                case 2 -> scopes.add(resourceSpans.message()); // scope_spans
                default -> resourceSpans.skip();
            }
        }
        for (Wire scope : scopes) {
            while (scope.hasMore()) {
                if (scope.nextField() == 2) { // spans
                    into.add(span(service, scope.message()));
                } else {
                    scope.skip();
                }
            }
        }
    }

    private static String serviceName(Wire resource) {
        Map<String, String> attributes = new LinkedHashMap<>();
        while (resource.hasMore()) {
            if (resource.nextField() == 1) {
                keyValue(resource.message(), attributes);
            } else {
                resource.skip();
            }
        }
        return attributes.getOrDefault("service.name", "");
    }

    private static OtlpSpan span(String service, Wire span) {
        String traceId = "";
        String spanId = "";
        String parentSpanId = "";
        String name = "";
        int kind = 0;
        int status = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        while (span.hasMore()) {
            switch (span.nextField()) {
                case 1 -> traceId = HexFormat.of().formatHex(span.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(span.bytes());
                case 4 -> parentSpanId = HexFormat.of().formatHex(span.bytes());
                case 5 -> name = span.string();
                case 6 -> kind = (int) span.varint();
                case 9 -> keyValue(span.message(), attributes);
                case 15 -> status = statusCode(span.message());
                default -> span.skip();
            }
        }
        return new OtlpSpan(
                service,
                traceId,
                spanId,
                parentSpanId,
                name,
                word(KINDS, kind),
                Map.copyOf(attributes),
                word(STATUSES, status));
    }

    private static int statusCode(Wire status) {
        int code = 0;
        while (status.hasMore()) {
            if (status.nextField() == 3) {
                code = (int) status.varint();
            } else {
                status.skip();
            }
        }
        return code;
    }

    private static void keyValue(Wire keyValue, Map<String, String> into) {
        String key = "";
        String value = "";
        while (keyValue.hasMore()) {
            switch (keyValue.nextField()) {
                case 1 -> key = keyValue.string();
                case 2 -> value = anyValue(keyValue.message());
                default -> keyValue.skip();
            }
        }
        into.put(key, value);
    }

    private static String anyValue(Wire value) {
        String words = "";
        while (value.hasMore()) {
            switch (value.nextField()) {
                case 1 -> words = value.string();
                case 2 -> words = String.valueOf(value.varint() != 0);
                case 3 -> words = String.valueOf(value.varint());
                case 4 -> words = String.valueOf(value.double64());
                default -> {
                    value.skip(); // arrays, key-value lists and bytes: no Milvus attribute has them
                    words = "<not read>";
                }
            }
        }
        return words;
    }

    private static String word(String[] words, int value) {
        return value >= 0 && value < words.length ? words[value] : String.valueOf(value);
    }

    /** Protobuf's binary wire format over one message's bytes: a field's tag, then its value. */
    private static final class Wire {

        private final ByteBuffer bytes;
        private int wireType;

        Wire(ByteBuffer bytes) {
            this.bytes = bytes.order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean hasMore() {
            return bytes.hasRemaining();
        }

        /** @return the number of the field that follows; its value is read next */
        int nextField() {
            long tag = varint();
            wireType = (int) (tag & 7);
            return (int) (tag >>> 3);
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte next = take();
                value |= (long) (next & 0x7f) << shift;
                if (next >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("A varint longer than 10 bytes: not protobuf");
        }

        double double64() {
            need(8);
            return bytes.getDouble();
        }

        byte[] bytes() {
            long length = varint();
            need(length);
            byte[] value = new byte[(int) length];
            bytes.get(value);
            return value;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Wire message() {
            return new Wire(ByteBuffer.wrap(bytes()));
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(varint());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("Wire type " + wireType + " is not protobuf's");
            }
        }

        private void advance(long count) {
            need(count);
            bytes.position(bytes.position() + (int) count);
        }

        private byte take() {
            need(1);
            return bytes.get();
        }

        private void need(long count) {
            if (count < 0 || count > bytes.remaining()) {
                throw new IllegalArgumentException(
                        "Truncated protobuf: " + count + " bytes needed, " + bytes.remaining() + " left");
            }
        }
    }
}
