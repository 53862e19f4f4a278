package io.github.milvuscdi.benchmarks;

import com.sun.management.ThreadMXBean;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.ConnectionSettingsReader;
import io.github.milvuscdi.internal.credentials.CredentialsChecks;
import io.github.milvuscdi.internal.credentials.RotatingCredentials;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptors;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.stub.MetadataUtils;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 24: what sending credentials per call costs beside the header the SDK fixes in the channel. Two sides
 * over the same do-nothing channel (a call that closes {@code OK} as soon as it starts, so that only the
 * interceptors are measured, not the network): {@code fixed}, the SDK's own interceptor
 * ({@code MetadataUtils.newAttachHeadersInterceptor} with {@code authorization}, as {@code ClientUtils.getChannel}
 * builds it), and {@code perCall}, this library's interceptor reading a {@code token-file} that the
 * {@code milvus-cdi-credentials} thread reads again every second meanwhile. One operation is a batch of
 * {@value #BATCH} calls through each side, the first side alternating every operation; each batch's wall time,
 * CPU time and allocated bytes of the calling thread go into {@link Calls}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
public class CredentialsCallCostBenchmark {

    static final int BATCH = 1000;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final MethodDescriptor<?, ?> METHOD = MilvusServiceGrpc.getHasCollectionMethod();

    /** The calls of one iteration, by side; JMH sums the threads' fields. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Calls {
        /** Wall time in calls through the fixed header. */
        public long fixedNanos;
        /** How many such calls. */
        public long fixedCalls;
        /** CPU time of the calling thread in them. */
        public long fixedCpuNanos;
        /** Bytes the calling thread allocated in them. */
        public long fixedAllocatedBytes;
        /** The same through the per-call interceptor. */
        public long perCallNanos;
        /** How many. */
        public long perCallCalls;
        /** CPU time. */
        public long perCallCpuNanos;
        /** Bytes allocated. */
        public long perCallAllocatedBytes;

        private long operations;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void reset() {
            fixedNanos = fixedCalls = fixedCpuNanos = fixedAllocatedBytes = 0;
            perCallNanos = perCallCalls = perCallCpuNanos = perCallAllocatedBytes = 0;
        }
    }

    private Path folder;
    private CredentialsChecks checks;
    private RotatingCredentials credentials;
    private Channel fixed;
    private Channel perCall;

    /** Writes the token file, starts its checks, and builds both sides over the do-nothing channel. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BenchmarkSupport.quietLogging();
        THREADS.setThreadCpuTimeEnabled(true);
        THREADS.setThreadAllocatedMemoryEnabled(true);
        String token = "search-service:Bench-password-42";
        folder = Files.createTempDirectory("milvus-cdi-credentials-bench");
        Path file = Files.writeString(folder.resolve("token"), token);
        ConnectionSettings settings = new ConnectionSettingsReader(name -> null)
                .read("bench", Map.of("uri", "http://localhost:19530", "token-file", file.toString()));
        checks = new CredentialsChecks();
        credentials = RotatingCredentials.start(settings, name -> null, checks.executor());
        Metadata header = new Metadata();
        header.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        Channel nothing = new NothingChannel();
        fixed = ClientInterceptors.intercept(nothing, MetadataUtils.newAttachHeadersInterceptor(header));
        perCall = ClientInterceptors.intercept(nothing, credentials.interceptor());
    }

    /** Stops the checks and removes the file. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        credentials.stop();
        checks.shutdown();
        Files.deleteIfExists(folder.resolve("token"));
        Files.deleteIfExists(folder);
    }

    /**
     * A batch through each side, the first one alternating.
     *
     * @param calls the counters
     * @return what the calls returned, for JMH to consume
     */
    @Benchmark
    public int alternating(Calls calls) {
        boolean fixedFirst = (calls.operations++ & 1) == 0;
        int consumed = 0;
        for (int turn = 0; turn < 2; turn++) {
            boolean isFixed = fixedFirst == (turn == 0);
            Channel side = isFixed ? fixed : perCall;
            long cpu = THREADS.getCurrentThreadCpuTime();
            long allocated = THREADS.getCurrentThreadAllocatedBytes();
            long started = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                consumed += call(side);
            }
            long nanos = System.nanoTime() - started;
            long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpu;
            long bytes = THREADS.getCurrentThreadAllocatedBytes() - allocated;
            if (isFixed) {
                calls.fixedNanos += nanos;
                calls.fixedCpuNanos += cpuNanos;
                calls.fixedAllocatedBytes += bytes;
                calls.fixedCalls += BATCH;
            } else {
                calls.perCallNanos += nanos;
                calls.perCallCpuNanos += cpuNanos;
                calls.perCallAllocatedBytes += bytes;
                calls.perCallCalls += BATCH;
            }
        }
        return consumed;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int call(Channel channel) {
        ClientCall call = channel.newCall((MethodDescriptor) METHOD, CallOptions.DEFAULT);
        Metadata headers = new Metadata();
        call.start(new ClientCall.Listener<Object>() {}, headers);
        return headers.keys().size();
    }

    /** A channel whose calls close {@code OK} as soon as they start: no network, only the interceptors. */
    static final class NothingChannel extends Channel {
        @Override
        public <RequestT, ResponseT> ClientCall<RequestT, ResponseT> newCall(
                MethodDescriptor<RequestT, ResponseT> method, CallOptions options) {
            return new ClientCall<>() {
                @Override
                public void start(Listener<ResponseT> listener, Metadata headers) {
                    listener.onClose(Status.OK, new Metadata());
                }

                @Override
                public void request(int numMessages) {}

                @Override
                public void cancel(String message, Throwable cause) {}

                @Override
                public void halfClose() {}

                @Override
                public void sendMessage(RequestT message) {}
            };
        }

        @Override
        public String authority() {
            return "localhost:19530";
        }
    }
}
