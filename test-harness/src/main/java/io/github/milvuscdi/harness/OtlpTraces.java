package io.github.milvuscdi.harness;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of an OTLP/HTTP trace export ({@code ExportTraceServiceRequest} in protobuf's binary
 * form, as {@code opentelemetry/proto/collector/trace/v1/trace_service.proto} defines it) into
 * {@link OtlpSpan}s, with protobuf-java's {@link CodedInputStream} (the runtime the Milvus SDK brings).
 * Only the fields a test asserts are read, by number; every other field is skipped, so a newer exporter
 * that adds fields still reads. No generated classes: they would tie the harness to one protobuf
 * runtime's generated-code version.
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
        try {
            List<OtlpSpan> spans = new ArrayList<>();
            CodedInputStream request = CodedInputStream.newInstance(body);
            for (int tag = request.readTag(); tag != 0; tag = request.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 1) { // resource_spans
                    resourceSpans(message(request), spans);
                } else {
                    request.skipField(tag);
                }
            }
            return spans;
        } catch (IOException notProtobuf) {
            throw new IllegalArgumentException("Not an OTLP trace export: " + notProtobuf.getMessage(), notProtobuf);
        }
    }

    private static void resourceSpans(CodedInputStream resourceSpans, List<OtlpSpan> into) throws IOException {
        String service = "";
        List<CodedInputStream> scopes = new ArrayList<>();
        for (int tag = resourceSpans.readTag(); tag != 0; tag = resourceSpans.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> service = attributes(message(resourceSpans), 1).getOrDefault("service.name", ""); // resource
                case 2 -> scopes.add(message(resourceSpans)); // scope_spans
                default -> resourceSpans.skipField(tag);
            }
        }
        for (CodedInputStream scope : scopes) {
            for (int tag = scope.readTag(); tag != 0; tag = scope.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 2) { // spans
                    into.add(span(service, message(scope)));
                } else {
                    scope.skipField(tag);
                }
            }
        }
    }

    private static OtlpSpan span(String service, CodedInputStream span) throws IOException {
        String traceId = "";
        String spanId = "";
        String parentSpanId = "";
        String name = "";
        int kind = 0;
        int status = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int tag = span.readTag(); tag != 0; tag = span.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> traceId = hex(span.readBytes());
                case 2 -> spanId = hex(span.readBytes());
                case 4 -> parentSpanId = hex(span.readBytes());
                case 5 -> name = span.readString();
                case 6 -> kind = span.readEnum();
                case 9 -> keyValue(message(span), attributes);
                case 15 -> status = statusCode(message(span));
                default -> span.skipField(tag);
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

    /** The key-values in field {@code field} of a message, such as a resource's attributes. */
    private static Map<String, String> attributes(CodedInputStream message, int field) throws IOException {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int tag = message.readTag(); tag != 0; tag = message.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == field) {
                keyValue(message(message), attributes);
            } else {
                message.skipField(tag);
            }
        }
        return attributes;
    }

    private static int statusCode(CodedInputStream status) throws IOException {
        int code = 0;
        for (int tag = status.readTag(); tag != 0; tag = status.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 3) {
                code = status.readEnum();
            } else {
                status.skipField(tag);
            }
        }
        return code;
    }

    private static void keyValue(CodedInputStream keyValue, Map<String, String> into) throws IOException {
        String key = "";
        String value = "";
        for (int tag = keyValue.readTag(); tag != 0; tag = keyValue.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> key = keyValue.readString();
                case 2 -> value = anyValue(message(keyValue));
                default -> keyValue.skipField(tag);
            }
        }
        into.put(key, value);
    }

    private static String anyValue(CodedInputStream value) throws IOException {
        String words = "";
        for (int tag = value.readTag(); tag != 0; tag = value.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> words = value.readString();
                case 2 -> words = String.valueOf(value.readBool());
                case 3 -> words = String.valueOf(value.readInt64());
                case 4 -> words = String.valueOf(value.readDouble());
                default -> {
                    value.skipField(tag); // arrays, key-value lists and bytes: no Milvus attribute has them
                    words = "<not read>";
                }
            }
        }
        return words;
    }

    /** The embedded message that follows a length-delimited tag, as a stream of its own. */
    private static CodedInputStream message(CodedInputStream outer) throws IOException {
        return outer.readBytes().newCodedInput();
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    private static String word(String[] words, int value) {
        return value >= 0 && value < words.length ? words[value] : String.valueOf(value);
    }
}
