package io.github.milvuscdi.internal.telemetry;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Where a Milvus request or response keeps what a span records, found once per message type in its
 * protobuf descriptor: every request that names a collection has {@code collection_name}, and so on.
 * Each field is read through its generated getter (found once), not through protobuf's reflective
 * {@code getField}, which costs a reflective call and an array per read.
 *
 * <p>Immutable; the cache is thread-safe.
 */
final class MessageFields {

    private static final String STATUS_TYPE = "milvus.proto.common.Status";
    private static final Map<Descriptor, MessageFields> BY_TYPE = new ConcurrentHashMap<>();

    private final MessageField collection;
    private final MessageField database;
    private final MessageField filter;
    private final boolean isStatus;
    private final MessageField status;
    private final MessageField code;
    private final MessageField legacyCode;
    private final Class<?> javaType;
    /** The fields of the nested status's type, found at the first response: one type, Milvus's {@code Status}. */
    private volatile MessageFields nestedStatusFields;

    private MessageFields(Descriptor type, Class<?> javaType) {
        this.javaType = javaType;
        collection = MessageField.of(javaType, stringField(type, "collection_name"));
        database = MessageField.of(javaType, stringField(type, "db_name"));
        // Query and Delete filter with "expr", Search with "dsl"
        FieldDescriptor expr = stringField(type, "expr");
        filter = MessageField.of(javaType, expr != null ? expr : stringField(type, "dsl"));
        isStatus = STATUS_TYPE.equals(type.getFullName());
        FieldDescriptor nested = type.findFieldByName("status");
        status = MessageField.of(
                javaType,
                nested != null
                                && nested.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                                && !nested.isRepeated()
                                && STATUS_TYPE.equals(nested.getMessageType().getFullName())
                        ? nested
                        : null);
        code = isStatus ? MessageField.of(javaType, type.findFieldByName("code")) : null;
        legacyCode = isStatus ? MessageField.of(javaType, type.findFieldByName("error_code")) : null;
    }

    static MessageFields of(Message message) {
        Descriptor type = message.getDescriptorForType();
        MessageFields known = BY_TYPE.get(type);
        return known != null
                ? known
                : BY_TYPE.computeIfAbsent(type, ignored -> new MessageFields(type, message.getClass()));
    }

    /** @return whether these are the fields of that message's type */
    boolean describes(Message message) {
        return message.getClass() == javaType;
    }

    /** @return whether every field found is read through its generated getter, none through reflection */
    boolean readsThroughGetters() {
        for (MessageField field : new MessageField[] {collection, database, filter, status, code, legacyCode}) {
            if (field != null && field.getter() == null && field.number() == null) {
                return false;
            }
        }
        return true;
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
        MessageFields statusFields = isStatus ? this : nestedStatusFields;
        if (statusFields == null || !statusFields.describes(statusMessage)) {
            statusFields = of(statusMessage);
            nestedStatusFields = statusFields;
        }
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

    /**
     * One field of one message type: its generated getter when found, called through a small class made
     * for it ({@link LambdaMetafactory}: a plain virtual call, where a method handle kept in a field is
     * invoked through a chain of lambda forms), else protobuf's reflection.
     */
    private record MessageField(FieldDescriptor field, Function<Object, Object> getter, ToIntFunction<Object> number) {

        private static final MethodType GET = MethodType.methodType(Object.class, Object.class);
        private static final MethodType GET_INT = MethodType.methodType(int.class, Object.class);

        static MessageField of(Class<?> javaType, FieldDescriptor field) {
            if (field == null) {
                return null;
            }
            Method method = getter(javaType, field);
            if (method == null) {
                return new MessageField(field, null, null);
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                MethodHandle target = lookup.unreflect(method);
                if (method.getReturnType() == int.class) {
                    ToIntFunction<Object> number =
                            lambda(lookup, ToIntFunction.class, "applyAsInt", GET_INT, target, javaType);
                    return new MessageField(field, null, number);
                }
                Function<Object, Object> getter = lambda(lookup, Function.class, "apply", GET, target, javaType);
                return new MessageField(field, getter, null);
            } catch (Throwable notMade) {
                return new MessageField(field, null, null); // a class we cannot see or link: read reflectively
            }
        }

        @SuppressWarnings("unchecked")
        private static <T> T lambda(
                MethodHandles.Lookup lookup,
                Class<?> functional,
                String method,
                MethodType erased,
                MethodHandle target,
                Class<?> javaType)
                throws Throwable {
            CallSite site = LambdaMetafactory.metafactory(
                    lookup,
                    method,
                    MethodType.methodType(functional),
                    erased,
                    target,
                    target.type().changeParameterType(0, javaType));
            return (T) site.getTarget().invoke();
        }

        /** @return {@code getCollectionName()} for {@code collection_name}; {@code getErrorCodeValue()} for an enum */
        private static Method getter(Class<?> javaType, FieldDescriptor field) {
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
                Method method = javaType.getMethod(name.toString());
                return Modifier.isPublic(javaType.getModifiers()) ? method : null;
            } catch (NoSuchMethodException | RuntimeException notGenerated) {
                return null; // a message not generated by protoc's Java plugin: read reflectively
            }
        }

        String text(Message message) {
            return (String) (getter != null ? getter.apply(message) : message.getField(field));
        }

        Message message(Message message) {
            return (Message) (getter != null ? getter.apply(message) : message.getField(field));
        }

        int number(Message message) {
            if (number != null) {
                return number.applyAsInt(message);
            }
            Object value = message.getField(field);
            return value instanceof Integer integer
                    ? integer
                    : value instanceof EnumValueDescriptor constant ? constant.getNumber() : 0;
        }
    }
}
