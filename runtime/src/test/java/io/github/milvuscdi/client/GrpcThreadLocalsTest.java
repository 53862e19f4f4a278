package io.github.milvuscdi.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.milvus.shaded.io.grpc.netty.shaded.io.netty.util.internal.InternalThreadLocalMap;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A blocking call leaves the SDK's Netty thread-locals on the calling thread (on an application
 * server, a request thread that outlives the application), and {@link GrpcThreadLocals} removes
 * them. Compiled against the SDK's shaded Netty: a later SDK that shades it elsewhere fails here.
 */
class GrpcThreadLocalsTest {

    @RegisterExtension
    static final MilvusLiteExtension MILVUS = new MilvusLiteExtension("thread-locals");

    @Test
    void removesWhatACallLeftOnTheCallingThread() throws InterruptedException {
        assertThat(GrpcThreadLocals.available()).isTrue();
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(MILVUS.server().uri())
                .keepAliveWithoutCalls(false).rpcDeadlineMs(10_000).build());
        try {
            InternalThreadLocalMap.remove();
            client.listCollections();
            assertThat(InternalThreadLocalMap.getIfSet()).as("Netty's map on the calling thread").isNotNull();

            GrpcThreadLocals.removeFromCurrentThread();

            assertThat(InternalThreadLocalMap.getIfSet()).isNull();
            client.listCollections(); // the client does not mind
        } finally {
            client.close(5);
        }
    }

    @Test
    void isHarmlessOnAThreadWithout() {
        InternalThreadLocalMap.remove();
        GrpcThreadLocals.removeFromCurrentThread();
        assertThat(InternalThreadLocalMap.getIfSet()).isNull();
    }
}
