package io.github.milvuscdi.internal.telemetry;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a Milvus request or response keeps what a span records, found once per message type in its
 * protobuf descriptor: every request that names a collection has {@code collection_name}, and so on.
 * Each field is read through its generated getter (a method handle found once), not through
 * protobuf's reflective {@code getField}, which costs a reflective call and an array per read.
 *
 * <p>Immutable; the cache is thread-safe.
 */
final class MessageFields {

    private static final String STATUS_TYPE = "milvus.proto.common.Status";
    private static final Map<Descriptor, MessageFields> BY_TYPE = new ConcurrentHashMap<>();
    private static final MethodType TEXT = MethodType.methodType(String.class, Message.class);
    private static final MethodType NUMBER = MethodType.methodType(int.class, Message.class);
    private static final MethodType NESTED = MethodType.methodType(Message.class, Message.class);

    private final MessageField collection;
    private final MessageField database;
    private final MessageField filter;
    private final boolean isStatus;
    private final MessageField status;
    private final MessageField code;
    private final MessageField legacyCode;

    private MessageFields(Descriptor type, Class<?> javaType) {
        collection = MessageField.of(javaType, stringField(type, "collection_name"), TEXT);
        database = MessageField.of(javaType, stringField(type, "db_name"), TEXT);
        // Query and Delete filter with "expr", Search with "dsl"
        FieldDescriptor expr = stringField(type, "expr");
        filter = MessageField.of(javaType, expr != null ? expr : stringField(type, "dsl"), TEXT);
        isStatus = STATUS_TYPE.equals(type.getFullName());
        FieldDescriptor nested = type.findFieldByName("status");
        status = MessageField.of(
                javaType,
                nested != null
                                && nested.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                                && !nested.isRepeated()
                                && STATUS_TYPE.equals(nested.getMessageType().getFullName())
                        ? nested
                        : null,
                NESTED);
        code = isStatus ? MessageField.of(javaType, type.findFieldByName("code"), NUMBER) : null;
        legacyCode = isStatus ? MessageField.of(javaType, type.findFieldByName("error_code"), NUMBER) : null;
    }

    static MessageFields of(Message message) {
        Descriptor type = message.getDescriptorForType();
        MessageFields known = BY_TYPE.get(type);
        return known != null
                ? known
                : BY_TYPE.computeIfAbsent(type, ignored -> new MessageFields(type, message.getClass()));
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
        Message statusMessage = isStatus ? response : status != null ? status.message(response) : null;
        if (statusMessage == null) {
            return 0;
        }
        MessageFields statusFields = isStatus ? this : of(statusMessage);
        int value = statusFields.code == null ? 0 : statusFields.code.number(statusMessage);
        if (value != 0) {
            return value;
        }
        // servers before 2.3 set only the deprecated enum
        return statusFields.legacyCode == null ? 0 : statusFields.legacyCode.number(statusMessage);
    }

    private static FieldDescriptor stringField(Descriptor type, String name) {
        FieldDescriptor field = type.findFieldByName(name);
        return field != null && field.getJavaType() == FieldDescriptor.JavaType.STRING && !field.isRepeated()
                ? field
                : null;
    }

    private static String text(Message message, MessageField field) {
        if (field == null) {
            return null;
        }
        String value = field.text(message);
        return value.isEmpty() ? null : value;
    }

    /** One field of one message type: its generated getter when found, else protobuf's reflection. */
    private record MessageField(FieldDescriptor field, MethodHandle getter) {

        static MessageField of(Class<?> javaType, FieldDescriptor field, MethodType type) {
            return field == null ? null : new MessageField(field, getter(javaType, field, type));
        }

        /** @return {@code getCollectionName()} for {@code collection_name}; {@code getErrorCodeValue()} for an enum */
        private static MethodHandle getter(Class<?> javaType, FieldDescriptor field, MethodType type) {
            StringBuilder name = new StringBuilder("get");
            boolean upper = true;
            for (char c : field.getName().toCharArray()) {
                if (c == '_') {
                    upper = true;
                } else {
                    name.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                name.append("Value");
            }
            try {
                // the generated getter returns the field's own type (Status, not Message): adapted to the handle's
                return MethodHandles.publicLookup()
                        .unreflect(javaType.getMethod(name.toString()))
                        .asType(type);
            } catch (ReflectiveOperationException | RuntimeException notGenerated) {
                return null; // a message not generated by protoc's Java plugin: read reflectively
            }
        }

        String text(Message message) {
            try {
                return getter != null ? (String) getter.invokeExact(message) : (String) message.getField(field);
            } catch (Throwable unexpected) {
                throw rethrown(unexpected);
            }
        }

        Message message(Message message) {
            try {
                return getter != null ? (Message) getter.invokeExact(message) : (Message) message.getField(field);
            } catch (Throwable unexpected) {
                throw rethrown(unexpected);
            }
        }

        int number(Message message) {
            try {
                if (getter != null) {
                    return (int) getter.invokeExact(message);
                }
            } catch (Throwable unexpected) {
                throw rethrown(unexpected);
            }
            Object value = message.getField(field);
            return value instanceof Integer number
                    ? number
                    : value instanceof EnumValueDescriptor constant ? constant.getNumber() : 0;
        }

        private static RuntimeException rethrown(Throwable unexpected) {
            if (unexpected instanceof RuntimeException runtime) {
                return runtime;
            }
            if (unexpected instanceof Error error) {
                throw error;
            }
            return new IllegalStateException(unexpected);
        }
    }
}
