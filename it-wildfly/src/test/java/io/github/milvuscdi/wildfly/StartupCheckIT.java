package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.testing.Await;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our startup check {@code milvus-startup} in WildFly's own {@code /health/started} (the management
 * port), for Kubernetes' {@code startupProbe}: a copy of the notes WAR, deployed as {@code started.war},
 * lists a collection in {@code health.collections} that does not exist yet. The probe answers 503 with
 * the collection named while it is missing, and 200 with the check {@code UP} once it exists and is
 * loaded.
 */
@Order(6)
@ExtendWith(WildFlyRun.Extension.class)
class StartupCheckIT {

    private static final String STARTED = "started.war";
    private static final String CHECK = "milvus-startup";
    private static final String COLLECTION = "started_notes";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static WildFlyRun run;

    @BeforeAll
    static void deploy(WildFlyRun shared) throws Exception {
        run = shared;
        run.deployNotesAs(STARTED, file -> file.put("milvus.connections.default.health.collections", COLLECTION));
    }

    @AfterAll
    static void undeploy() {
        if (run != null) {
            run.wildfly.management().undeploy(STARTED);
        }
    }

    @Test
    void startedIsDownWhileTheListedCollectionIsMissingAndUpOnceItIsLoaded() throws Exception {
        ReadinessReport missing = await(report -> report.hasCheck(CHECK)
                && report.check(CHECK).entry("default").contains(COLLECTION + " does not exist"));
        assertThat(missing.check(CHECK).status()).isEqualTo("DOWN");
        assertThat(missing.check(CHECK).entry("default"))
                .startsWith("DOWN " + run.current.address() + " ")
                .endsWith(" collections=[" + COLLECTION + " does not exist] reason=collections not ready: " + COLLECTION
                        + " does not exist");
        Http.Answer probe = Http.get(started());
        assertThat(probe.status()).as("%s", probe).isEqualTo(503);
        assertThat(probe.body()).doesNotContain(run.secrets());

        MilvusClientV2 setup = new MilvusClientV2(
                ConnectConfig.builder().uri(run.current.uri()).build());
        try {
            VectorRoundTrip.createAndFill(setup, COLLECTION);
        } finally {
            setup.close(5);
        }

        ReadinessReport started = await(report -> "UP".equals(report.status()));
        assertThat(started.check(CHECK).status()).isEqualTo("UP");
        Http.Answer up =
                Await.until(() -> get(), answer -> answer.status() == 200, TIMEOUT, answer -> answer.toString());
        assertThat(up.body()).contains("\"" + CHECK + "\"");
    }

    private static String started() {
        return run.wildfly.managementBase() + "health/started";
    }

    /** Polls {@code /health/started} until its report passes {@code condition}. */
    private static ReadinessReport await(java.util.function.Predicate<ReadinessReport> condition) {
        return ReadinessReport.awaitStatus(() -> ReadinessReport.parse(get().body()), condition, TIMEOUT);
    }

    private static Http.Answer get() {
        try {
            return Http.get(started());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
