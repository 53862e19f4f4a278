package io.github.milvuscdi.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reading a health report as the endpoints serve it, and waiting for the one expected. */
class ReadinessReportTest {

    private static final String SMALLRYE = """
            {
              "status": "DOWN",
              "checks": [
                {"name": "ready-deployments", "status": "UP", "data": {"count": 2, "ratio": 0.5}},
                {
                  "name": "milvus",
                  "status": "DOWN",
                  "data": {
                    "archive": "DOWN 127.0.0.1:19531 db=default reason=UNAVAILABLE: \\"io\\" \\u00e9\\\\x",
                    "search": "UP 127.0.0.1:19530 db=default version=v2.6.3 latency=3ms",
                    "milvus.health.enabled": false
                  }
                }
              ]
            }""";

    @Test
    void readsTheStatusEachCheckAndItsEntries() {
        ReadinessReport report = ReadinessReport.parse(SMALLRYE);

        assertThat(report.status()).isEqualTo("DOWN");
        assertThat(report.checks()).containsOnlyKeys("ready-deployments", "milvus");
        ReadinessReport.Check milvus = report.check("milvus");
        assertThat(milvus.up()).isFalse();
        assertThat(milvus.entry("archive"))
                .isEqualTo("DOWN 127.0.0.1:19531 db=default reason=UNAVAILABLE: \"io\" \u00e9\\x");
        assertThat(milvus.entry("search")).startsWith("UP 127.0.0.1:19530 ");
        assertThat(milvus.entry("absent")).isEmpty();
        assertThat(milvus.data().get("milvus.health.enabled")).isEqualTo(false);
        assertThat(milvus.entries()).containsOnlyKeys("archive", "search");
        assertThat(report.check("ready-deployments").data())
                .containsEntry("count", 2L)
                .containsEntry("ratio", 0.5);
    }

    @Test
    void aMissingCheckOrSomethingElseThanAReportFailsShowingTheText() {
        assertThatThrownBy(() -> ReadinessReport.parse("{\"status\":\"UP\",\"checks\":[]}")
                        .check("milvus"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("no check named 'milvus' in {\"status\":\"UP\",\"checks\":[]}");
        assertThatThrownBy(() -> ReadinessReport.parse("<html>503</html>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<html>503</html>");
        assertThatThrownBy(() -> ReadinessReport.parse("{\"checks\":[]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no \"status\"");
        assertThatThrownBy(() -> ReadinessReport.parse("{\"status\":\"UP\"} trailing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text after the JSON value");
    }

    @Test
    void awaitingReturnsTheFirstExpectedAnswerAndCountsFailuresAsNotYet() {
        AtomicInteger calls = new AtomicInteger();
        int answer = ReadinessReport.awaitStatus(
                () -> {
                    int call = calls.incrementAndGet();
                    if (call == 1) {
                        throw new IllegalStateException("not listening yet");
                    }
                    return call;
                },
                call -> call == 3,
                Duration.ofSeconds(30));

        assertThat(answer).isEqualTo(3);
        assertThat(calls).hasValue(3);
    }

    @Test
    void awaitingGivesUpAfterTheBoundNamingTheLastAnswer() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> ReadinessReport.awaitStatus(
                        () -> "DOWN #" + calls.incrementAndGet(), "UP"::equals, Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("not as expected within 300 ms; last answer: DOWN #");
        assertThat(calls.get()).as("asked more than once").isGreaterThan(1);
    }
}
