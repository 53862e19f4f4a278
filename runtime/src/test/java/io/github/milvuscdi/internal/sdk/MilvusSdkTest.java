package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.milvus.grpc.GetVersionRequest;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.shaded.io.grpc.CallOptions;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.ClientCall;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.shaded.io.grpc.MethodDescriptor;
import io.milvus.shaded.io.grpc.netty.shaded.io.netty.util.internal.InternalThreadLocalMap;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way this library reaches inside the SDK, exercised against a real server: the test that
 * fails when an SDK upgrade breaks any of them. Compiled against the SDK's shaded gRPC and Netty.
 */
class MilvusSdkTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("sdk-seam");

    @Test
    void theSdkHasEverythingThisLibraryReaches() {
        assertThat(MilvusSdk.missing()).isEmpty();
    }

    @Test
    void connectsThroughTheSdksStepsAndExposesTheChannelAndStub() throws Throwable {
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        assertThat(MilvusSdk.channel(client)).isNull();
        try {
            MilvusSdk.connect(client, config());
            ManagedChannel channel = MilvusSdk.channel(client);
            assertThat(channel.isShutdown()).isFalse();
            assertThat(MilvusSdk.blockingStub(client)
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .getVersion(GetVersionRequest.getDefaultInstance())
                            .getVersion())
                    .isNotBlank();
            assertThat(client.listCollections().getCollectionNames()).isNotNull();
        } finally {
            client.close(5);
        }
        assertThat(MilvusSdk.channel(client).isShutdown()).isTrue();
    }

    @Test
    void aViewOfASharedClientUsesItsChannelStubConfigurationAndRetryWithADeadlineOfItsOwn() throws Throwable {
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        AtomicInteger calls = new AtomicInteger();
        try {
            MilvusSdk.connect(client, config());
            MilvusSdk.interceptCalls(client, new ClientInterceptor() {
                @Override
                public <Q, R> ClientCall<Q, R> interceptCall(
                        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                    calls.incrementAndGet();
                    return next.newCall(method, options);
                }
            });
            MilvusSdk.shareWithApplication(client, "seam");

            MilvusClientV2 view = client.withTimeout(30, TimeUnit.SECONDS);
            assertThat(view).isNotSameAs(client);
            assertThat(MilvusSdk.channel(view)).isSameAs(MilvusSdk.channel(client));
            assertThat(view.listCollections().getCollectionNames()).isNotNull();
            assertThat(calls.get())
                    .as("calls of the view through the shared stub's interceptors")
                    .isEqualTo(1);
            assertThat(view.currentUsedDatabase()).isEqualTo(client.currentUsedDatabase());
            assertThatThrownBy(() -> client.withTimeout(1, TimeUnit.NANOSECONDS).listCollections())
                    .hasMessageContaining("DEADLINE_EXCEEDED");
            assertThat(client.listCollections().getCollectionNames()).isNotNull();
        } finally {
            MilvusSdk.close(client, 5);
        }
    }

    @Test
    void anInterceptorSeesEveryCallOfTheClientAndTheSdksOwnStillRun() throws Throwable {
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        List<String> seen = new CopyOnWriteArrayList<>();
        try {
            MilvusSdk.connect(client, config());
            MilvusSdk.interceptCalls(client, new ClientInterceptor() {
                @Override
                public <Q, R> ClientCall<Q, R> interceptCall(
                        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                    seen.add(method.getBareMethodName());
                    return next.newCall(method, options);
                }
            });

            // calls through three of the SDK's services, with the database interceptor still applied
            assertThat(client.listCollections().getCollectionNames()).isNotNull();
            assertThat(client.hasCollection(HasCollectionReq.builder()
                            .collectionName("none_here")
                            .build()))
                    .isFalse();
            assertThat(client.listDatabases().getDatabaseNames()).contains("default");

            assertThat(seen).containsExactly("ShowCollections", "HasCollection", "ListDatabases");
        } finally {
            client.close(5);
        }
    }

    @Test
    void refusesToInterceptAClientThatIsNotConnected() {
        assertThatThrownBy(() -> MilvusSdk.interceptCalls(MilvusSdk.unconnectedClient(), new ClientInterceptor() {
                    @Override
                    public <Q, R> ClientCall<Q, R> interceptCall(
                            MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                        return next.newCall(method, options);
                    }
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the client is not connected");
    }

    @Test
    void buildsAChannelAsTheSdkDoes() {
        ManagedChannel channel = MilvusSdk.newChannel(config());
        try {
            assertThat(MilvusServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .getVersion(GetVersionRequest.getDefaultInstance())
                            .getVersion())
                    .isNotBlank();
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void removesTheNettyThreadLocalsACallLeftOnTheCallingThread() throws Throwable {
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        try {
            MilvusSdk.connect(client, config());
            InternalThreadLocalMap.remove();
            client.listCollections();
            assertThat(InternalThreadLocalMap.getIfSet())
                    .as("Netty's map on the calling thread")
                    .isNotNull();

            SdkCleanup.removeThreadLocals();

            assertThat(InternalThreadLocalMap.getIfSet()).isNull();
            client.listCollections(); // the client does not mind
        } finally {
            client.close(5);
        }
    }

    @Test
    void callsOnAReadyChannelScheduleNoTimerTask() throws Throwable {
        // gRPC creates the stream of a call on a ready channel inside start(), on the calling thread;
        // the bound arms a timer only for a call still waiting after that (issue 28: a task per call
        // cost about 25 µs). A gRPC that stops doing so makes every call pay for a timer again.
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        try {
            MilvusSdk.connect(client, config());
            MilvusSdk.boundReadyWait(client, 10_000, "no usable connection (test)", timer, () -> {}, () -> {});
            for (int i = 0; i < 20; i++) {
                assertThat(client.listCollections().getCollectionNames()).isNotNull();
            }
            assertThat(timer.getTaskCount()).as("timer tasks ever scheduled").isZero();
        } finally {
            MilvusSdk.close(client, 5);
            timer.shutdownNow();
        }
    }

    @Test
    void aCallWaitingForAUsableConnectionEndsAfterTheBoundAndGetsThroughOnceTheServerIsBack() throws Throwable {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger available = new AtomicInteger();
        try (MilvusLiteServer server = MilvusLiteServer.start("sdk-bound")) {
            MilvusClientV2 client = MilvusSdk.unconnectedClient();
            try {
                MilvusSdk.connect(
                        client, ConnectConfig.builder().uri(server.uri()).build());
                MilvusSdk.boundReadyWait(
                        client,
                        500,
                        "no usable connection (test)",
                        timer,
                        unavailable::incrementAndGet,
                        available::incrementAndGet);
                assertThat(client.listCollections().getCollectionNames()).isNotNull();
                assertThat(available.get()).isEqualTo(1);

                server.stop();
                long started = System.nanoTime();
                assertThatThrownBy(client::listCollections)
                        .hasMessageContaining("DEADLINE_EXCEEDED")
                        .hasMessageContaining("no usable connection (test)");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                        .isLessThan(500 + 1000);
                assertThat(unavailable.get()).isEqualTo(1);

                server.restart();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (true) {
                    try {
                        assertThat(client.listCollections().getCollectionNames())
                                .isNotNull();
                        break;
                    } catch (RuntimeException stillDown) {
                        assertThat(System.nanoTime() - deadline)
                                .as("back within 10 s")
                                .isNegative();
                    }
                }
                assertThat(available.get()).isGreaterThanOrEqualTo(2);
            } finally {
                MilvusSdk.close(client, 5);
                timer.shutdownNow();
            }
        }
    }

    @Test
    void theBoundDoesNotCutALiveServersSlowAnswerWhichOnlyRpcDeadlineBounds() throws Throwable {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        try (MilvusLiteServer server =
                MilvusLiteServer.start("sdk-slow", MilvusLiteOptions.plaintext().neverAnswering("ShowCollections"))) {
            MilvusClientV2 client = MilvusSdk.unconnectedClient();
            try {
                MilvusSdk.connect(
                        client,
                        ConnectConfig.builder()
                                .uri(server.uri())
                                .rpcDeadlineMs(2000)
                                .build());
                MilvusSdk.boundReadyWait(client, 300, "no usable connection (test)", timer, () -> {}, () -> {});
                long started = System.nanoTime();
                assertThatThrownBy(client::listCollections)
                        .hasMessageContaining("DEADLINE_EXCEEDED")
                        .hasMessageNotContaining("no usable connection");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                        .as("the call waited for its rpc-deadline, not the 300 ms bound")
                        .isGreaterThanOrEqualTo(1900);
            } finally {
                MilvusSdk.close(client, 5);
                timer.shutdownNow();
            }
        }
    }

    @Test
    void aHostStandInReachesTheServerThroughThisLibrarysResolverAndIsGivenBack() throws Throwable {
        // what an SDK or gRPC upgrade could break: gRPC reading the SDK's target host:port as scheme 'host'
        String standIn = MilvusSdk.hostStandIn("localhost");
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        try {
            MilvusSdk.connect(
                    client,
                    ConnectConfig.builder()
                            .uri("http://" + standIn + ":" + MILVUS.server().port())
                            .keepAliveWithoutCalls(false)
                            .rpcDeadlineMs(10_000)
                            .build());
            assertThat(client.listCollections().getCollectionNames()).isNotNull();
            assertThat(MilvusSdk.hostStandIn("localhost"))
                    .as("one stand-in per host")
                    .isEqualTo(standIn);
            MilvusSdk.releaseHost("localhost");
        } finally {
            MilvusSdk.close(client, 5);
            MilvusSdk.releaseHost("localhost");
        }
        assertThat(io.milvus.shaded.io.grpc.NameResolverRegistry.getDefaultRegistry()
                        .asFactory()
                        .newNameResolver(java.net.URI.create(standIn + ":19530"), null))
                .as("deregistered once given back")
                .isNull();
    }

    @Test
    void aSharedClientRefusesUseDatabaseAndCloseAndTheSeamStillClosesIt() throws Throwable {
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        MilvusSdk.connect(client, config());
        MilvusSdk.shareWithApplication(client, "seam");
        assertThatThrownBy(() -> client.useDatabase("default"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("Milvus alias 'seam': useDatabase(\"default\") is refused");
        assertThatThrownBy(client::close).isInstanceOf(UnsupportedOperationException.class);
        assertThat(client.listCollections().getCollectionNames()).isNotNull();

        MilvusSdk.close(client, 5);

        assertThat(client.clientIsReady()).isFalse();
    }

    private static ConnectConfig config() {
        return ConnectConfig.builder()
                .uri(MILVUS.server().uri())
                .keepAliveWithoutCalls(false)
                .rpcDeadlineMs(10_000)
                .build();
    }
}
