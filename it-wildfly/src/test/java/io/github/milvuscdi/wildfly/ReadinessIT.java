package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.ReadinessReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our readiness check {@code milvus} in WildFly's {@code /health/ready}, on the management port,
 * next to WildFly's own checks: right after deployment, before any request, it already reads the
 * WAR's own configuration file and the server's environment (issue 18), then follows a server that
 * stops and returns.
 */
@Order(1)
@ExtendWith(WildFlyRun.Extension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadinessIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String MILVUS = "milvus";

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
    @Order(1)
    void beforeAnyRequestListsEveryAliasUpWhereTheWarsFileAndTheEnvironmentPoint() {
        // Never used before the probe: the check connects both in the background and reports
        // "connecting" until they are ready, so wait for UP rather than expect it at once.
        ReadinessReport.Check ready = await(report -> "UP".equals(report.status())
                        && says(report, "default", "UP ")
                        && says(report, "archive", "UP "))
                .check(MILVUS);
        assertThat(ready.data().keySet())
                .as("aliases in readiness; 'idle' is turned off by the environment")
                .containsExactlyInAnyOrder("default", "archive");
        assertThat(ready.entry("default")).as("from the WAR's file").startsWith("UP " + run.current.address() + " ");
        assertThat(ready.entry("archive")).as("from the environment").startsWith("UP " + run.archive.address() + " ");
        assertThat(run.idle.acceptedConnections())
                .as("connections accepted by alias 'idle' (a blackhole)")
                .isZero();
    }

    @Test
    @Order(2)
    void aStoppedServerTurnsItsEntryDownAndItsReturnTurnsItUp() throws Exception {
        run.archive.stop();
        ReadinessReport.Check down = await(report -> "DOWN".equals(report.status()) && says(report, "archive", "DOWN "))
                .check(MILVUS);
        assertThat(down.entry("archive"))
                .startsWith("DOWN " + run.archive.address())
                .contains("reason=");
        assertThat(down.entry("default")).startsWith("UP " + run.current.address());
        Http.Answer overall = Http.get(run.wildfly.managementBase() + "health/ready");
        assertThat(overall.status()).as("%s", overall).isEqualTo(503);
        assertThat(overall.body()).doesNotContain(run.secrets());

        run.archive.restart();
        ReadinessReport.Check up = await(report -> "UP".equals(report.status()) && says(report, "archive", "UP "))
                .check(MILVUS);
        assertThat(up.entry("archive")).startsWith("UP " + run.archive.address());
    }

    /** Polls {@code /health/ready} until its report passes {@code condition}. */
    private static ReadinessReport await(Predicate<ReadinessReport> condition) {
        return ReadinessReport.awaitStatus(
                () -> ReadinessReport.parse(get(run.wildfly.managementBase() + "health/ready")), condition, TIMEOUT);
    }

    /** Whether the report lists our check with the alias's entry starting with {@code state}. */
    private static boolean says(ReadinessReport report, String alias, String state) {
        return report.hasCheck(MILVUS) && report.check(MILVUS).entry(alias).startsWith(state);
    }

    private static String get(String uri) {
        try {
            return Http.get(uri).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
