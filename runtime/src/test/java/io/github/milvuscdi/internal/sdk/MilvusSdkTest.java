package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.concurrent.TimeUnit;
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
            assertThat(MilvusSdk.blockingStub(client).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getVersion(GetVersionRequest.getDefaultInstance()).getVersion()).isNotBlank();
            assertThat(client.listCollections().getCollectionNames()).isNotNull();
        } finally {
            client.close(5);
        }
        assertThat(MilvusSdk.channel(client).isShutdown()).isTrue();
    }

    @Test
    void anInterceptorSeesEveryCallOfTheClientAndTheSdksOwnStillRun() throws Throwable {
        MilvusClientV2 client = MilvusSdk.unconnectedClient();
        List<String> seen = new CopyOnWriteArrayList<>();
        try {
            MilvusSdk.connect(client, config());
            MilvusSdk.interceptCalls(client, new ClientInterceptor() {
                @Override
                public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                        Channel next) {
                    seen.add(method.getBareMethodName());
                    return next.newCall(method, options);
                }
            });

            // calls through three of the SDK's services, with the database interceptor still applied
            assertThat(client.listCollections().getCollectionNames()).isNotNull();
            assertThat(client.hasCollection(HasCollectionReq.builder().collectionName("none_here").build())).isFalse();
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
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                    Channel next) {
                return next.newCall(method, options);
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("the client is not connected");
    }

    @Test
    void buildsAChannelAsTheSdkDoes() {
        ManagedChannel channel = MilvusSdk.newChannel(config());
        try {
            assertThat(MilvusServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getVersion(GetVersionRequest.getDefaultInstance()).getVersion()).isNotBlank();
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
            assertThat(InternalThreadLocalMap.getIfSet()).as("Netty's map on the calling thread").isNotNull();

            MilvusSdk.removeThreadLocals();

            assertThat(InternalThreadLocalMap.getIfSet()).isNull();
            client.listCollections(); // the client does not mind
        } finally {
            client.close(5);
        }
    }

    private static ConnectConfig config() {
        return ConnectConfig.builder().uri(MILVUS.server().uri()).keepAliveWithoutCalls(false)
                .rpcDeadlineMs(10_000).build();
    }
}
