package io.github.milvuscdi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class ReadinessReportTest {

    private static final String DOWN = "{\"status\":\"DOWN\",\"checks\":["
            + "{\"name\":\"deployments\",\"status\":\"UP\"},"
            + "{\"name\":\"milvus\",\"status\":\"DOWN\",\"data\":{"
            + "\"default\":\"UP 127.0.0.1:19530 db=default version=v2.6.3 latency=3ms\","
            + "\"archive\":\"DOWN 127.0.0.1:19531 db=default latency=1ms reason=connecting\"}}]}";

    @Test
    void readsTheMilvusCheckAmongOthers() {
        ReadinessReport report = ReadinessReport.parse(DOWN);

        assertThat(report.hasCheck()).isTrue();
        assertThat(report.overall()).isEqualTo("DOWN");
        assertThat(report.status()).isEqualTo("DOWN");
        assertThat(report.entries()).containsOnlyKeys("default", "archive");
        assertThat(report.isUp("default")).isTrue();
        assertThat(report.isDown("archive")).isTrue();
        assertThat(report.isUp("archive")).isFalse();
        assertThat(report.entry("idle")).isNull();
    }

    @Test
    void aReportWithoutOurCheckOrNoReportAtAllHasNoEntries() {
        for (String body : List.of("{\"status\":\"UP\",\"checks\":[]}", "<html>404</html>", "")) {
            ReadinessReport report = ReadinessReport.parse(body);
            assertThat(report.hasCheck()).as(body).isFalse();
            assertThat(report.entries()).as(body).isEmpty();
        }
    }

    @Test
    void awaitReturnsTheFirstReportThatPassesAndQuotesTheLastOneWhenNonePasses() {
        Queue<String> answers = new ArrayDeque<>(List.of("not yet", DOWN.replace("DOWN 127", "UP 127")
                .replace("\"status\":\"DOWN\"", "\"status\":\"UP\"")));
        ReadinessReport up = ReadinessReport.await(answers::remove, report -> report.isUp("archive"),
                Duration.ofSeconds(10));
        assertThat(up.overall()).isEqualTo("UP");

        assertThatThrownBy(() -> ReadinessReport.await(() -> DOWN, report -> report.isUp("archive"),
                Duration.ofMillis(600)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("within 600 ms")
                .hasMessageContaining("reason=connecting");
    }
}
