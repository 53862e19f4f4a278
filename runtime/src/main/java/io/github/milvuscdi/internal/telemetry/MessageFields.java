package io.github.milvuscdi.internal.telemetry;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a Milvus request or response keeps what a span records, found once per message type in its
 * protobuf descriptor: every request that names a collection has {@code collection_name}, and so on.
 *
 * <p>Immutable; the cache is thread-safe.
 */
final class MessageFields {

    private static final String STATUS_TYPE = "milvus.proto.common.Status";
    private static final Map<Descriptor, MessageFields> BY_TYPE = new ConcurrentHashMap<>();

    private final FieldDescriptor collection;
    private final FieldDescriptor database;
    private final FieldDescriptor filter;
    private final boolean isStatus;
    private final FieldDescriptor status;
    private final FieldDescriptor code;
    private final FieldDescriptor legacyCode;

    private MessageFields(Descriptor type) {
        collection = stringField(type, "collection_name");
        database = stringField(type, "db_name");
        // Query and Delete filter with "expr", Search with "dsl"
        FieldDescriptor expr = stringField(type, "expr");
        filter = expr != null ? expr : stringField(type, "dsl");
        isStatus = STATUS_TYPE.equals(type.getFullName());
        FieldDescriptor nested = type.findFieldByName("status");
        status = nested != null
                        && nested.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                        && !nested.isRepeated()
                        && STATUS_TYPE.equals(nested.getMessageType().getFullName())
                ? nested
                : null;
        code = isStatus ? type.findFieldByName("code") : null;
        legacyCode = isStatus ? type.findFieldByName("error_code") : null;
    }

    static MessageFields of(Message message) {
        return BY_TYPE.computeIfAbsent(message.getDescriptorForType(), MessageFields::new);
    }

    /** @return the collection the request names; {@code null} when none */
    String collection(Message request) {
        return text(request, collection);
    }

    /** @return the database the request names; {@code null} when none */
    String database(Message request) {
        return text(request, database);
    }

    /** @return the request's filter expression; {@code null} when none */
    String filter(Message request) {
        return text(request, filter);
    }

    /**
     * Milvus answers most failures with gRPC's OK and a status in the response.
     *
     * @return the response's Milvus error code; 0 for success or when it has no status
     */
    int errorCode(Message response) {
        Message statusMessage = isStatus ? response : status != null ? (Message) response.getField(status) : null;
        if (statusMessage == null) {
            return 0;
        }
        MessageFields statusFields = isStatus ? this : of(statusMessage);
        Object value = statusFields.code == null ? null : statusMessage.getField(statusFields.code);
        if (value instanceof Integer && (Integer) value != 0) {
            return (Integer) value;
        }
        // servers before 2.3 set only the deprecated enum
        Object legacy = statusFields.legacyCode == null ? null : statusMessage.getField(statusFields.legacyCode);
        return legacy instanceof com.google.protobuf.Descriptors.EnumValueDescriptor
                ? ((com.google.protobuf.Descriptors.EnumValueDescriptor) legacy).getNumber()
                : 0;
    }

    private static FieldDescriptor stringField(Descriptor type, String name) {
        FieldDescriptor field = type.findFieldByName(name);
        return field != null && field.getJavaType() == FieldDescriptor.JavaType.STRING && !field.isRepeated()
                ? field
                : null;
    }

    private static String text(Message message, FieldDescriptor field) {
        if (field == null) {
            return null;
        }
        String value = (String) message.getField(field);
        return value.isEmpty() ? null : value;
    }
}
