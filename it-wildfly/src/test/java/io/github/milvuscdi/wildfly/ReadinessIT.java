package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.testing.ReadinessReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our readiness check {@code milvus} in WildFly's {@code /health/ready}, on the management port,
 * next to WildFly's own checks.
 */
@Order(2)
@ExtendWith(WildFlyRun.Extension.class)
class ReadinessIT {

    static WildFlyRun run;

    @BeforeAll
    static void deploy(WildFlyRun shared) throws Exception {
        run = shared;
        run.deployNotes();
    }

    @AfterAll
    static void undeploy() {
        if (run != null) {
            if (!run.archive.isRunning()) {
                run.archive.restart();
            }
            run.wildfly.management().undeploy(WildFlyRun.NOTES);
        }
    }

    @Test
    void listsBothAliasesUpThenTheStoppedOneDown() throws Exception {
        // Never used before the probe: the check connects both in the background and reports
        // "connecting" until they are ready, so wait for UP rather than expect it at once.
        ReadinessReport.Check milvus = awaitMilvusCheck("UP", Duration.ofSeconds(30));
        assertThat(milvus.data().keySet()).contains("default", "archive");
        assertThat(milvus.entry("default")).startsWith("UP " + run.current.address());
        assertThat(milvus.entry("archive")).startsWith("UP " + run.archive.address());

        run.archive.stop();
        milvus = awaitMilvusCheck("DOWN", Duration.ofSeconds(30));
        assertThat(milvus.entry("archive")).startsWith("DOWN " + run.archive.address()).contains("reason=");
        assertThat(milvus.entry("default")).startsWith("UP " + run.current.address());
        Http.Answer overall = Http.get(run.wildfly.managementBase() + "health/ready");
        assertThat(overall.status()).as("%s", overall).isEqualTo(503);
        assertThat(overall.body()).doesNotContain(run.secrets());

        run.archive.restart();
        milvus = awaitMilvusCheck("UP", Duration.ofSeconds(60));
        assertThat(milvus.entry("archive")).startsWith("UP " + run.archive.address());
    }

    /** Polls {@code /health/ready} until our check has the status; returns the check. */
    private static ReadinessReport.Check awaitMilvusCheck(String status, Duration timeout) {
        return ReadinessReport.awaitStatus(() -> {
            Http.Answer answer = get(run.wildfly.managementBase() + "health/ready");
            if (answer.status() != 200 && answer.status() != 503) {
                throw new IllegalStateException(answer.toString());
            }
            return ReadinessReport.parse(answer.body()).check("milvus");
        }, milvus -> status.equals(milvus.status()), timeout);
    }

    private static Http.Answer get(String uri) {
        try {
            return Http.get(uri);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
