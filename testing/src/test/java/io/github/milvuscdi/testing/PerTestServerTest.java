package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.launcher.MilvusLiteServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An instance field: every test gets a fresh server, closed after it. */
@TestMethodOrder(MethodOrderer.MethodName.class)
class PerTestServerTest {

    private static final List<MilvusLiteServer> SEEN = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final MilvusLiteExtension scratch = new MilvusLiteExtension("scratch");

    @AfterAll
    static void eachTestHadItsOwnServerAndItWasClosed() {
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(1));
        assertThat(SEEN).noneMatch(MilvusLiteServer::isRunning);
    }

    @Test
    void first() {
        record(scratch.server());
    }

    @Test
    void second(MilvusLiteServer parameter) {
        assertThat(parameter).isSameAs(scratch.server());
        record(scratch.server());
    }

    private static void record(MilvusLiteServer server) {
        assertThat(server.isRunning()).isTrue();
        assertThat(server.name()).isEqualTo("scratch");
        if (!SEEN.isEmpty()) {
            assertThat(SEEN.get(SEEN.size() - 1).isRunning())
                    .as("the previous test's server is closed by now")
                    .isFalse();
        }
        SEEN.add(server);
    }
}
