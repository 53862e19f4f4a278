package io.github.milvuscdi.internal.telemetry;

import static io.github.milvuscdi.internal.telemetry.TracingInterceptor.DB_NAMESPACE;
import static io.github.milvuscdi.internal.telemetry.TracingInterceptor.DB_OPERATION_NAME;
import static io.github.milvuscdi.internal.telemetry.TracingInterceptor.DB_SYSTEM_NAME;
import static io.github.milvuscdi.internal.telemetry.TracingInterceptor.ERROR_TYPE;
import static io.github.milvuscdi.internal.telemetry.TracingInterceptor.MILVUS_ALIAS;
import static io.github.milvuscdi.internal.telemetry.TracingInterceptor.SERVER_ADDRESS;
import static io.github.milvuscdi.internal.telemetry.TracingInterceptor.SERVER_PORT;

import io.github.milvuscdi.internal.client.ClientDecorator;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One CLIENT span {@value #NAME} per connect of an alias (the SDK's {@code Connect} call, and its
 * {@code ListDatabases} when a database is configured), child of the caller's span, with its
 * outcome: an error span with {@code error.type} when it failed.
 *
 * <p>A connect often runs before the application's {@code OpenTelemetry} bean can be asked for (the
 * bean that produces it may inject the very client being connected): its span is then kept, with
 * its own start and end times and parent, and recorded when the bean has been resolved, at the
 * first traced call. At most {@value #MAX_KEPT} are kept meanwhile.
 *
 * <p>Thread-safe.
 */
final class ConnectSpans {

    /** The span's name and operation. */
    static final String NAME = "Connect";

    static final int MAX_KEPT = 100;

    private final Supplier<OpenTelemetryDecorator.Instruments> resolved;
    private final Queue<Finished> kept = new ConcurrentLinkedQueue<>();
    private final AtomicInteger keptCount = new AtomicInteger();

    /** @param resolved the instruments once resolved, {@code null} before; never resolves them */
    ConnectSpans(Supplier<OpenTelemetryDecorator.Instruments> resolved) {
        this.resolved = resolved;
    }

    /** A connect that ended, waiting for its span. */
    private record Finished(
            ConnectionSettings settings, Context parent, long startEpochNanos, long endEpochNanos, Throwable failure) {}

    ClientDecorator.Connecting connecting(ConnectionSettings settings) {
        Context parent = Context.current();
        long started = epochNanos();
        return failure -> {
            Finished finished = new Finished(settings, parent, started, epochNanos(), failure);
            OpenTelemetryDecorator.Instruments instruments = resolved.get();
            if (instruments != null) {
                record(instruments);
                record(instruments, finished);
                return;
            }
            if (keptCount.incrementAndGet() <= MAX_KEPT) {
                kept.add(finished);
            } else {
                keptCount.decrementAndGet();
            }
            instruments = resolved.get(); // resolved meanwhile: nobody else would record it
            if (instruments != null) {
                record(instruments);
            }
        };
    }

    /** Records the spans of the connects kept until now. */
    void record(OpenTelemetryDecorator.Instruments instruments) {
        for (Finished finished; (finished = kept.poll()) != null; ) {
            keptCount.decrementAndGet();
            record(instruments, finished);
        }
    }

    private static void record(OpenTelemetryDecorator.Instruments instruments, Finished finished) {
        ConnectionSettings settings = finished.settings();
        Span span = instruments
                .tracer()
                .spanBuilder(NAME)
                .setParent(finished.parent())
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(finished.startEpochNanos(), TimeUnit.NANOSECONDS)
                .setAttribute(DB_SYSTEM_NAME, "milvus")
                .setAttribute(MILVUS_ALIAS, settings.alias())
                .setAttribute(SERVER_ADDRESS, settings.host())
                .setAttribute(SERVER_PORT, (long) settings.port())
                .setAttribute(DB_OPERATION_NAME, NAME)
                .setAttribute(
                        DB_NAMESPACE,
                        settings.databaseName() != null ? settings.databaseName() : TracingInterceptor.DEFAULT_DATABASE)
                .startSpan();
        if (finished.failure() != null) {
            // the type only: a message may quote what the application configured
            span.setAttribute(ERROR_TYPE, finished.failure().getClass().getName());
            span.setStatus(StatusCode.ERROR);
        }
        span.end(finished.endEpochNanos(), TimeUnit.NANOSECONDS);
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }
}
