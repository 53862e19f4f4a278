package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.launcher.Clients;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.milvus.v2.client.MilvusClientV2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two extensions in one class run two servers that share nothing. */
class TwoServersTest {

    @RegisterExtension
    static final MilvusLiteExtension FIRST = new MilvusLiteExtension("first");

    @RegisterExtension
    static final MilvusLiteExtension SECOND = new MilvusLiteExtension("second");

    @Test
    void areIndependent() throws InterruptedException {
        MilvusLiteServer first = FIRST.server();
        MilvusLiteServer second = SECOND.server();
        assertThat(first.port()).isNotEqualTo(second.port());
        assertThat(first.dataDir()).isNotEqualTo(second.dataDir());

        MilvusClientV2 one = Clients.connect(first.uri());
        MilvusClientV2 two = Clients.connect(second.uri());
        try {
            Clients.createPoints(one, "only_on_first");

            assertThat(Clients.exists(one, "only_on_first")).isTrue();
            assertThat(Clients.exists(two, "only_on_first")).isFalse();
        } finally {
            Clients.close(one);
            Clients.close(two);
        }
    }
}
