package io.github.milvuscdi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.v2.client.MilvusClientV2;
import org.junit.jupiter.api.Test;

/**
 * Two standalone servers at once: every port Milvus opens (embedded etcd's included, which the
 * package's own command leaves fixed) and its pid file are its own, so neither disturbs the other.
 */
class TwoMilvusServersTest {

    @Test
    void twoServersRunSideBySideWithSeparateData() throws Exception {
        try (MilvusServer first = MilvusServer.start("first");
                MilvusServer second = MilvusServer.start("second")) {
            MilvusClientV2 one = Clients.connect(first.uri());
            MilvusClientV2 two = Clients.connect(second.uri());
            try {
                Clients.createPoints(one, "only_in_first");

                assertThat(Clients.exists(one, "only_in_first")).isTrue();
                assertThat(Clients.exists(two, "only_in_first")).isFalse();
                assertThat(first.isRunning()).isTrue();
                assertThat(second.isRunning()).isTrue();
            } finally {
                Clients.close(one);
                Clients.close(two);
            }
        }
    }
}
