package io.github.milvuscdi.internal.telemetry;

import com.google.protobuf.Message;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.ProbeCalls;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.milvus.shaded.io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

/**
 * One CLIENT span and one {@code db.client.operation.duration} point per RPC of one alias's client,
 * following OpenTelemetry's database conventions; the span's context travels to the server in the
 * call's metadata (W3C {@code traceparent} with the default propagators).
 *
 * <p>Records the alias, the RPC, the collection and database the request names, the server's
 * address and port, and on failure the gRPC status code or Milvus's error code. Never the
 * credentials, never vectors or field data; filter expressions only when the alias's
 * {@code telemetry.record-filters} is on. The readiness probe's calls ({@link ProbeCalls#probing}) are
 * not recorded: no span, no point.
 *
 * <p>Thread-safe.
 */
final class TracingInterceptor implements ClientInterceptor {

    static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_OPERATION_NAME = AttributeKey.stringKey("db.operation.name");
    static final AttributeKey<String> DB_COLLECTION_NAME = AttributeKey.stringKey("db.collection.name");
    static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<String> DB_RESPONSE_STATUS_CODE = AttributeKey.stringKey("db.response.status_code");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> MILVUS_ALIAS = AttributeKey.stringKey("milvus.alias");

    private static final String MILVUS = "milvus";

    /** Milvus's name for the database a request without one uses. */
    static final String DEFAULT_DATABASE = "default";

    /** How many header names of the propagators are kept as gRPC keys (W3C's are two, with baggage three). */
    private static final int MAX_HEADERS = 64;

    /** How many RPCs are kept (Milvus's service has about 100). */
    private static final int MAX_OPERATIONS = 1_000;

    /** The propagators' header names, made into gRPC keys once. */
    private static final Map<String, Metadata.Key<String>> HEADERS = new ConcurrentHashMap<>();

    private static final TextMapSetter<Metadata> METADATA = (headers, key, value) -> {
        if (headers != null) {
            headers.put(header(key), value);
        }
    };

    private final Supplier<OpenTelemetryDecorator.Instruments> instruments;
    private final Attributes connection;
    private final String alias;
    private final String host;
    private final Long port;
    /** By the SDK's method descriptors, which are constants: a lookup by identity. */
    private final Map<MethodDescriptor<?, ?>, Operation> operations = new ConcurrentHashMap<>();

    private final String configuredDatabase;
    private final boolean recordFilters;

    TracingInterceptor(ConnectionSettings settings, Supplier<OpenTelemetryDecorator.Instruments> instruments) {
        this.instruments = instruments;
        this.connection = Attributes.of(
                DB_SYSTEM_NAME,
                MILVUS,
                MILVUS_ALIAS,
                settings.alias(),
                SERVER_ADDRESS,
                settings.host(),
                SERVER_PORT,
                (long) settings.port());
        this.alias = settings.alias();
        this.host = settings.host();
        this.port = (long) settings.port();
        this.configuredDatabase = settings.databaseName() != null ? settings.databaseName() : DEFAULT_DATABASE;
        this.recordFilters = settings.recordFilters();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        if (ProbeCalls.isProbe(options)) {
            // untraced, and never the first to ask for OpenTelemetry: a probe runs on a thread of ours,
            // where a server (Payara) resolves its OpenTelemetry bean to a no-op one, for good
            return next.newCall(method, options);
        }
        OpenTelemetryDecorator.Instruments current = instruments.get();
        ClientCall<Q, R> call = next.newCall(method, options);
        return current == null ? call : new TracedCall<>(call, operation(method), current);
    }

    /** @return the RPC as this alias records it; gRPC makes a new name at each {@code getBareMethodName()} */
    private Operation operation(MethodDescriptor<?, ?> method) {
        Operation known = operations.get(method);
        if (known != null) {
            return known;
        }
        Operation made = new Operation(method.getBareMethodName(), connection, configuredDatabase);
        if (operations.size() < MAX_OPERATIONS) {
            Operation raced = operations.putIfAbsent(method, made);
            return raced != null ? raced : made;
        }
        return made;
    }

    private static Metadata.Key<String> header(String name) {
        Metadata.Key<String> known = HEADERS.get(name);
        if (known != null) {
            return known;
        }
        Metadata.Key<String> made = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
        if (HEADERS.size() < MAX_HEADERS) {
            HEADERS.putIfAbsent(name, made);
        }
        return made;
    }

    /** @return a CLIENT span of this alias, with the attributes every call has */
    private SpanBuilder span(
            OpenTelemetryDecorator.Instruments instruments, String operation, Context parent, String database) {
        // one attribute at a time: setAllAttributes would walk the alias's Attributes through a lambda
        return instruments
                .tracer()
                .spanBuilder(operation)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(DB_SYSTEM_NAME, MILVUS)
                .setAttribute(MILVUS_ALIAS, alias)
                .setAttribute(SERVER_ADDRESS, host)
                .setAttribute(SERVER_PORT, port)
                .setAttribute(DB_OPERATION_NAME, operation)
                .setAttribute(DB_NAMESPACE, database);
    }

    /** One RPC: the span starts with the call, learns the collection from the request, ends on close. */
    private final class TracedCall<Q, R> extends SimpleForwardingClientCall<Q, R> {

        private static final AtomicIntegerFieldUpdater<TracedCall> ENDED =
                AtomicIntegerFieldUpdater.newUpdater(TracedCall.class, "ended");

        private final Context parent = Context.current();
        private final Operation operation;
        private final OpenTelemetryDecorator.Instruments instruments;
        private volatile int ended;
        /** The flush this {@code Flush} call is part of; {@code null} for any other call. */
        private final FlushWaitSpans.Wait flushWait;

        private volatile Span span = Span.getInvalid();
        /** The parent with the span: what the server and the histogram's exemplar see. */
        private volatile Context traced;

        private volatile long started;
        /** What the call records, once the request named its collection and database; {@code null} before. */
        private volatile Operation.Series series;

        private volatile int milvusError;

        TracedCall(ClientCall<Q, R> call, Operation operation, OpenTelemetryDecorator.Instruments instruments) {
            super(call);
            this.operation = operation;
            this.instruments = instruments;
            this.flushWait = operation.isFlush() ? FlushWaitSpans.current() : null;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            started = System.nanoTime();
            Span current = span(instruments, operation.name(), parent, configuredDatabase)
                    .startSpan();
            Context withSpan = parent.with(current);
            span = current;
            traced = withSpan;
            instruments.propagator().inject(withSpan, headers, METADATA);
            try {
                super.start(new TracedListener(listener), headers);
            } catch (RuntimeException failed) {
                end(failed.getClass().getName(), null);
                throw failed;
            }
        }

        @Override
        public void sendMessage(Q message) {
            if (message instanceof Message) {
                describe((Message) message);
            }
            super.sendMessage(message);
        }

        /** Names the span after the request, which gRPC hands over only after the call started. */
        private void describe(Message request) {
            MessageFields fields = operation.requestFields(request);
            String requestDatabase = fields.database(request);
            Operation.Series described = operation.series(requestDatabase, fields.collection(request));
            series = described;
            Span current = span;
            if (described.collection() != null) {
                current.setAttribute(DB_COLLECTION_NAME, described.collection());
                current.updateName(described.spanName());
            }
            if (requestDatabase != null) {
                current.setAttribute(DB_NAMESPACE, requestDatabase);
            }
            if (recordFilters) {
                String filter = fields.filter(request);
                if (filter != null) {
                    current.setAttribute(DB_QUERY_TEXT, filter);
                }
            }
        }

        private void end(String errorType, String milvusCode) {
            if (!ENDED.compareAndSet(this, 0, 1)) {
                return;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Span current = span;
            if (errorType != null) {
                current.setAttribute(ERROR_TYPE, errorType);
                current.setStatus(StatusCode.ERROR);
                if (milvusCode != null) {
                    current.setAttribute(DB_RESPONSE_STATUS_CODE, milvusCode);
                }
            }
            current.end();
            Operation.Series described = series;
            if (described == null) { // failed before gRPC took the request
                described = operation.series(null, null);
            }
            if (errorType == null && flushWait != null) {
                flushWait.start(span(instruments, FlushWaitSpans.NAME, parent, described.database()));
            }
            Context withSpan = traced;
            instruments
                    .duration()
                    .record(seconds, described.point(errorType), withSpan != null ? withSpan : parent.with(current));
        }

        private final class TracedListener extends SimpleForwardingClientCallListener<R> {

            TracedListener(Listener<R> listener) {
                super(listener);
            }

            @Override
            public void onMessage(R response) {
                if (response instanceof Message) {
                    milvusError = operation.responseFields((Message) response).errorCode((Message) response);
                }
                super.onMessage(response);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                int code = milvusError;
                if (!status.isOk()) {
                    end(status.getCode().name(), null);
                } else if (code != 0) {
                    end(String.valueOf(code), String.valueOf(code));
                } else {
                    end(null, null);
                }
                super.onClose(status, trailers);
            }
        }
    }
}
