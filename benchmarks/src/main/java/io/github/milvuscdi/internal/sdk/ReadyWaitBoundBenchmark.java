package io.github.milvuscdi.internal.sdk;

import io.milvus.shaded.io.grpc.Attributes;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientStreamTracer;
import io.milvus.shaded.io.grpc.Metadata;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * Issue 28: the connect-timeout bound alone, on a ready channel, without a server. A channel of our
 * own plays gRPC on a ready channel: its call creates the stream inside {@code start()} (it asks the
 * call's tracer factories for a tracer and tells them {@code streamCreated}) and closes at once, OK.
 * {@code bounded} starts such a call through {@link ReadyWaitBound} (a 10 s bound, the timer set up as
 * the client factory sets up its own); {@code unbounded} starts it directly: the difference is what the
 * bound costs a call. In this package because the interceptor is package-private; nothing here is
 * published.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(3)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReadyWaitBoundBenchmark {

    private static final MethodDescriptor<String, String> METHOD = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("milvus.proto.milvus.MilvusService/HasCollection")
            .setRequestMarshaller(new Text())
            .setResponseMarshaller(new Text())
            .build();
    private static final CallOptions OPTIONS = CallOptions.DEFAULT.withWaitForReady();

    private ScheduledThreadPoolExecutor timer;
    private ReadyWaitBound bound;
    private final Channel ready = new Ready();
    private final ClientCall.Listener<String> listener = new ClientCall.Listener<>() {};

    /** The bound and its timer, as {@code SdkClientFactory} makes them. */
    @Setup(Level.Trial)
    public void setUp() {
        timer = new ScheduledThreadPoolExecutor(1);
        timer.setKeepAliveTime(5, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
        bound = new ReadyWaitBound(
                TimeUnit.SECONDS.toNanos(10), "no usable connection", timer, new ReadyWaitBound.WaitListener() {
                    @Override
                    public void unavailable() {}

                    @Override
                    public void available() {}
                });
    }

    /** Stops the timer. */
    @TearDown(Level.Trial)
    public void tearDown() {
        timer.shutdownNow();
    }

    /**
     * @return the call, so that nothing is optimized away
     */
    @Benchmark
    public ClientCall<String, String> bounded() {
        ClientCall<String, String> call = bound.interceptCall(METHOD, OPTIONS, ready);
        call.start(listener, new Metadata());
        return call;
    }

    /**
     * @return the call, so that nothing is optimized away
     */
    @Benchmark
    public ClientCall<String, String> unbounded() {
        ClientCall<String, String> call = ready.newCall(METHOD, OPTIONS);
        call.start(listener, new Metadata());
        return call;
    }

    /** gRPC on a ready channel, reduced to what the bound sees. */
    private static final class Ready extends Channel {
        @Override
        public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
            return new ClientCall<>() {
                @Override
                public void start(Listener<R> responses, Metadata headers) {
                    for (ClientStreamTracer.Factory factory : options.getStreamTracerFactories()) {
                        factory.newClientStreamTracer(
                                        ClientStreamTracer.StreamInfo.newBuilder()
                                                .setCallOptions(options)
                                                .build(),
                                        headers)
                                .streamCreated(Attributes.EMPTY, headers);
                    }
                    responses.onClose(Status.OK, headers);
                }

                @Override
                public void request(int messages) {}

                @Override
                public void cancel(String message, Throwable cause) {}

                @Override
                public void halfClose() {}

                @Override
                public void sendMessage(Q message) {}
            };
        }

        @Override
        public String authority() {
            return "localhost";
        }
    }

    /** No messages are sent. */
    private static final class Text implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public String parse(InputStream stream) {
            return "";
        }
    }
}
