package io.github.milvuscdi.internal.telemetry;

import io.github.milvuscdi.internal.config.ConnectionSettingsReader;
import io.milvus.grpc.BoolResponse;
import io.milvus.grpc.HasCollectionRequest;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptors;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.stub.ClientCalls;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 26: the tracing interceptor alone, with no network. A blocking {@code HasCollection} through
 * gRPC's own {@code ClientCalls} (as the SDK's stub makes it) over a channel of our own that answers
 * at once, {@code traced} through {@link TracingInterceptor} with the OpenTelemetry SDK as in
 * {@code TelemetryBenchmark} (always sampling, W3C propagation, spans batched to a counting exporter,
 * the histogram held for a reader), {@code untraced} without it. The difference is what is ours and
 * the OpenTelemetry SDK's; run with {@code -prof gc} for the bytes per call. In this package because
 * the interceptor is package-private; nothing here is published.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = "-Dio.opentelemetry.context.contextStorageProvider=default")
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class InterceptorCostBenchmark {

    private static final MethodDescriptor<HasCollectionRequest, BoolResponse> METHOD =
            MilvusServiceGrpc.getHasCollectionMethod();
    private static final HasCollectionRequest REQUEST = HasCollectionRequest.newBuilder()
            .setCollectionName("bench_telemetry")
            .build();
    private static final BoolResponse RESPONSE = BoolResponse.newBuilder()
            .setValue(true)
            .setStatus(io.milvus.grpc.Status.newBuilder().build())
            .build();

    /** Calls per operation: the thread's CPU time is read once for all of them. */
    static final int CALLS = 100;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private OpenTelemetrySdk sdk;
    private Channel traced;
    private final Channel untraced = new Answering();

    /** The OpenTelemetry SDK and the traced channel. */
    @Setup(Level.Trial)
    public void setUp() {
        sdk = OpenTelemetrySdk.builder()
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(
                                BatchSpanProcessor.builder(new Dropping()).build())
                        .build())
                .setMeterProvider(SdkMeterProvider.builder()
                        .registerMetricReader(InMemoryMetricReader.create())
                        .build())
                .build();
        OpenTelemetryDecorator decorator = new OpenTelemetryDecorator(() -> sdk, true);
        TracingInterceptor interceptor = new TracingInterceptor(
                new ConnectionSettingsReader(name -> null).read("traced", Map.of("uri", "http://127.0.0.1:19530")),
                decorator::instruments);
        traced = ClientInterceptors.intercept(untraced, interceptor);
    }

    /** Stops the SDK. */
    @TearDown(Level.Trial)
    public void tearDown() {
        sdk.close();
    }

    /** The CPU time of the calling thread, per call; read once per {@value #CALLS} calls. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        /** CPU time of the calling thread over the calls of the iteration. */
        public long cpuNanos;
        /** How many calls. */
        public long calls;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            cpuNanos = 0;
            calls = 0;
        }
    }

    /**
     * @param cpu the CPU counter
     * @return the answers of {@value #CALLS} traced calls
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int traced(Cpu cpu) {
        return calls(traced, cpu);
    }

    /**
     * @param cpu the CPU counter
     * @return the answers of {@value #CALLS} calls without tracing
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int untraced(Cpu cpu) {
        return calls(untraced, cpu);
    }

    private static int calls(Channel channel, Cpu cpu) {
        long started = THREADS.getCurrentThreadCpuTime();
        int answers = 0;
        for (int i = 0; i < CALLS; i++) {
            answers += ClientCalls.blockingUnaryCall(channel, METHOD, CallOptions.DEFAULT, REQUEST)
                            .getValue()
                    ? 1
                    : 0;
        }
        cpu.cpuNanos += THREADS.getCurrentThreadCpuTime() - started;
        cpu.calls += CALLS;
        return answers;
    }

    /** A channel whose calls answer {@link #RESPONSE} as soon as the request is sent. */
    private static final class Answering extends Channel {
        @Override
        @SuppressWarnings("unchecked")
        public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
            return new ClientCall<>() {
                private Listener<R> listener;

                @Override
                public void start(Listener<R> responses, Metadata headers) {
                    listener = responses;
                }

                @Override
                public void request(int messages) {}

                @Override
                public void cancel(String message, Throwable cause) {}

                @Override
                public void halfClose() {
                    listener.onHeaders(new Metadata());
                    listener.onMessage((R) RESPONSE);
                    listener.onClose(Status.OK, new Metadata());
                }

                @Override
                public void sendMessage(Q message) {}
            };
        }

        @Override
        public String authority() {
            return "127.0.0.1:19530";
        }
    }

    /** Drops what the batch processor exports. */
    private static final class Dropping implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
