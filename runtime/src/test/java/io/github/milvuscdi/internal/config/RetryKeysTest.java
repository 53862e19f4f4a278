package io.github.milvuscdi.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.internal.client.ConnectConfigs;
import io.milvus.v2.client.RetryConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code retry.*} keys: defaults with an overall cap, validation naming alias/key/value/fix, the SDK's RetryConfig. */
class RetryKeysTest {

    private final ConnectionSettingsReader reader = new ConnectionSettingsReader(name -> null);

    private ConnectionSettings read(String... keyValues) {
        Map<String, String> keys = new HashMap<>();
        keys.put("uri", "http://localhost:19530");
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return reader.read("search", keys);
    }

    @Test
    void defaultsKeepTheSdksBackoffButCapACallAtTenAttemptsAndThirtySeconds() {
        RetryConfig sdk = ConnectConfigs.retryConfig(read());
        assertThat(sdk.getMaxRetryTimes()).isEqualTo(10);
        assertThat(sdk.getMaxRetryTimeoutMs()).isEqualTo(30_000);
        assertThat(sdk.getInitialBackOffMs()).isEqualTo(10);
        assertThat(sdk.getMaxBackOffMs()).isEqualTo(3_000);
        assertThat(sdk.getBackOffMultiplier()).isEqualTo(3);
        assertThat(sdk.isRetryOnRateLimit()).isTrue();
        assertThat(read().retry().unsafeWrites()).isFalse();
    }

    @Test
    void everyKeyReachesTheSdksRetryConfig() {
        ConnectionSettings settings = read(
                "retry.max-attempts",
                "4",
                "retry.max-time",
                "PT5S",
                "retry.initial-backoff",
                "50ms",
                "retry.max-backoff",
                "1s",
                "retry.backoff-multiplier",
                "2",
                "retry.on-rate-limit",
                "false",
                "retry.unsafe-writes",
                "true");
        assertThat(settings.retry())
                .isEqualTo(new RetrySettings(
                        4, Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofSeconds(1), 2, false, true));
        RetryConfig sdk = ConnectConfigs.retryConfig(settings);
        assertThat(sdk.getMaxRetryTimes()).isEqualTo(4);
        assertThat(sdk.getMaxRetryTimeoutMs()).isEqualTo(5_000);
        assertThat(sdk.getInitialBackOffMs()).isEqualTo(50);
        assertThat(sdk.getMaxBackOffMs()).isEqualTo(1_000);
        assertThat(sdk.getBackOffMultiplier()).isEqualTo(2);
        assertThat(sdk.isRetryOnRateLimit()).isFalse();
    }

    @Test
    void invalidValuesAreAllReportedNamingAliasKeyValueAndFix() {
        assertThatThrownBy(() -> read(
                        "retry.max-attempts",
                        "0",
                        "retry.max-time",
                        "0s",
                        "retry.backoff-multiplier",
                        "1.5",
                        "retry.on-rate-limit",
                        "sometimes"))
                .isInstanceOf(MilvusConfigurationException.class)
                .hasMessageContaining("alias 'search': milvus.connections.search.retry.max-attempts='0' is not an "
                        + "accepted whole number; expected a whole number from 1 (no retry) up")
                .hasMessageContaining("alias 'search': milvus.connections.search.retry.max-time='0s' is not a "
                        + "positive duration; expected ")
                .hasMessageContaining("alias 'search': milvus.connections.search.retry.backoff-multiplier='1.5' is "
                        + "not an accepted whole number; expected a whole number from 1 (a constant pause) up")
                .hasMessageContaining("alias 'search': milvus.connections.search.retry.on-rate-limit='sometimes' "
                        + "is not a boolean; expected true or false");
    }

    @Test
    void aLongestPauseShorterThanTheFirstIsAProblem() {
        assertThatThrownBy(() -> read("retry.initial-backoff", "2s", "retry.max-backoff", "1s"))
                .isInstanceOf(MilvusConfigurationException.class)
                .hasMessageContaining("alias 'search': milvus.connections.search.retry.max-backoff='1s' makes "
                        + "milvus.connections.search.retry.max-backoff (1000 ms) shorter than "
                        + "milvus.connections.search.retry.initial-backoff (2000 ms); set the longest pause at least "
                        + "as long as the first");
    }
}
