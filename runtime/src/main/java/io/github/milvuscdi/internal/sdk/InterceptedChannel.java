package io.github.milvuscdi.internal.sdk;

import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ClientInterceptors;
import io.milvus.shaded.io.grpc.ConnectivityState;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import java.util.concurrent.TimeUnit;

/**
 * The SDK's channel with an interceptor in front of every call made on it, whoever makes it: the SDK's
 * {@code Connect}, its stubs, the readiness probe's. Everything else (state, shutdown) is the channel's own.
 *
 * <p>Thread-safe, as the channel it wraps.
 */
final class InterceptedChannel extends ManagedChannel {

    private final ManagedChannel channel;
    private final Channel intercepted;

    InterceptedChannel(ManagedChannel channel, ClientInterceptor interceptor) {
        this.channel = channel;
        this.intercepted = ClientInterceptors.intercept(channel, interceptor);
    }

    @Override
    public <RequestT, ResponseT> ClientCall<RequestT, ResponseT> newCall(
            MethodDescriptor<RequestT, ResponseT> method, CallOptions options) {
        return intercepted.newCall(method, options);
    }

    @Override
    public String authority() {
        return channel.authority();
    }

    @Override
    public ManagedChannel shutdown() {
        channel.shutdown();
        return this;
    }

    @Override
    public boolean isShutdown() {
        return channel.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return channel.isTerminated();
    }

    @Override
    public ManagedChannel shutdownNow() {
        channel.shutdownNow();
        return this;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return channel.awaitTermination(timeout, unit);
    }

    @Override
    public ConnectivityState getState(boolean requestConnection) {
        return channel.getState(requestConnection);
    }

    @Override
    public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
        channel.notifyWhenStateChanged(source, callback);
    }

    @Override
    public void resetConnectBackoff() {
        channel.resetConnectBackoff();
    }

    @Override
    public void enterIdle() {
        channel.enterIdle();
    }

    @Override
    public String toString() {
        return channel.toString();
    }
}
