package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.launcher.Clients;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.milvus.v2.client.MilvusClientV2;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @ExtendWith} on the class: one server, handed to constructors, lifecycle methods and tests. */
@ExtendWith(MilvusLiteExtension.class)
class ParameterResolutionTest {

    private static MilvusLiteServer fromBeforeAll;

    private final MilvusLiteServer fromConstructor;
    private MilvusLiteServer fromBeforeEach;

    ParameterResolutionTest(MilvusLiteServer server) {
        this.fromConstructor = server;
    }

    @BeforeAll
    static void beforeAll(MilvusLiteServer server) {
        fromBeforeAll = server;
    }

    @BeforeEach
    void beforeEach(MilvusLiteServer server) {
        fromBeforeEach = server;
    }

    @Test
    void resolvesOneRunningServerEverywhere(MilvusLiteServer server) throws InterruptedException {
        assertThat(server.name()).isEqualTo(MilvusLiteExtension.DEFAULT_NAME);
        assertThat(server.isRunning()).isTrue();
        assertThat(fromConstructor).isSameAs(server);
        assertThat(fromBeforeAll).isSameAs(server);
        assertThat(fromBeforeEach).isSameAs(server);

        MilvusClientV2 client = Clients.connect(server.uri());
        try {
            assertThat(client.getServerVersion()).isNotBlank();
        } finally {
            Clients.close(client);
        }
    }

    @Nested
    class NestedTests {

        @Test
        void shareTheEnclosingClassServer(MilvusLiteServer server) {
            assertThat(server).isSameAs(fromBeforeAll);
        }
    }
}
