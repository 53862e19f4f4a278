package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.launcher.MilvusLiteOptions;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.milvus.v2.client.MilvusClientV2;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@code retry.*} keys reach the SDK's retry loop: Milvus's rate-limit error is retried with
 * backoff unless {@code retry.on-rate-limit=false}, and {@code retry.max-time} caps a call.
 */
@Timeout(120)
class RetryTest {

    @ParameterizedTest
    @EnumSource(Path.class)
    void aRateLimitedCallSucceedsAfterBackoffAndFailsAtOnceWhenRateLimitsAreNotRetried(Path path) throws Exception {
        try (MilvusLiteServer server = MilvusLiteServer.start(
                "rate-" + path.name().toLowerCase(),
                MilvusLiteOptions.plaintext().rateLimited("ShowCollections", 3))) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("milvus.connections.strict.uri", server.uri());
            config.put("milvus.connections.strict.retry.on-rate-limit", "false");
            config.put("milvus.connections.patient.uri", server.uri());
            config.put("milvus.connections.patient.retry.initial-backoff", "20ms");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = OutageTest.boot(path)) {
                MilvusClientV2 strict = OutageTest.client(container, "strict");
                assertThatThrownBy(strict::listCollections).hasMessageContaining("rate limit exceeded");

                MilvusClientV2 patient = OutageTest.client(container, "patient");
                // the two limited calls left are retried; the third attempt gets through
                assertThat(patient.listCollections().getCollectionNames()).isNotNull();
                assertThat(strict.listCollections().getCollectionNames())
                        .as("after the limit")
                        .isNotNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void retryMaxTimeCapsACallThatKeepsBeingRetried(Path path) throws Exception {
        try (MilvusLiteServer server = MilvusLiteServer.start(
                "capped-" + path.name().toLowerCase(),
                MilvusLiteOptions.plaintext().rateLimited("ShowCollections", 100_000))) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("milvus.connections.capped.uri", server.uri());
            config.put("milvus.connections.capped.retry.max-attempts", "100000");
            config.put("milvus.connections.capped.retry.max-backoff", "100ms");
            config.put("milvus.connections.capped.retry.max-time", "2s");
            try (AutoCloseable c = Containers.useConfig(config);
                    WeldContainer container = OutageTest.boot(path)) {
                MilvusClientV2 capped = OutageTest.client(container, "capped");
                long started = System.nanoTime();
                assertThatThrownBy(capped::listCollections).hasMessageContaining("Retry timeout: 2000ms");
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                // retried for the whole cap, and stopped by it (100 000 attempts would take hours)
                assertThat(millis).isGreaterThanOrEqualTo(1800).isLessThan(2000 + 5000);
            }
        }
    }
}
