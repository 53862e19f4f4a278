package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
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
        JsonObject milvus = awaitMilvusCheck("UP", Duration.ofSeconds(30));
        JsonObject data = milvus.getAsJsonObject("data");
        assertThat(data.keySet()).contains("default", "archive");
        assertThat(data.get("default").getAsString()).startsWith("UP " + run.current.address());
        assertThat(data.get("archive").getAsString()).startsWith("UP " + run.archive.address());

        run.archive.stop();
        milvus = awaitMilvusCheck("DOWN", Duration.ofSeconds(30));
        data = milvus.getAsJsonObject("data");
        assertThat(data.get("archive").getAsString()).startsWith("DOWN " + run.archive.address())
                .contains("reason=");
        assertThat(data.get("default").getAsString()).startsWith("UP " + run.current.address());
        Http.Answer overall = Http.get(run.wildfly.managementBase() + "health/ready");
        assertThat(overall.status()).as("%s", overall).isEqualTo(503);
        assertThat(overall.body()).doesNotContain(run.secrets());

        run.archive.restart();
        milvus = awaitMilvusCheck("UP", Duration.ofSeconds(60));
        assertThat(milvus.getAsJsonObject("data").get("archive").getAsString())
                .startsWith("UP " + run.archive.address());
    }

    /** Polls {@code /health/ready} until our check has the status; returns the check. */
    private static JsonObject awaitMilvusCheck(String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Http.Answer last = null;
        while (true) {
            last = Http.get(run.wildfly.managementBase() + "health/ready");
            JsonObject milvus = milvusCheck(last);
            if (milvus != null && status.equals(milvus.get("status").getAsString())) {
                return milvus;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("check 'milvus' not " + status + " within " + timeout.toSeconds()
                        + " s; last /health/ready: " + last);
            }
            Thread.sleep(500);
        }
    }

    private static JsonObject milvusCheck(Http.Answer answer) {
        if (answer.status() != 200 && answer.status() != 503) {
            return null;
        }
        for (JsonElement check : answer.json().getAsJsonObject().getAsJsonArray("checks")) {
            if ("milvus".equals(check.getAsJsonObject().get("name").getAsString())) {
                return check.getAsJsonObject();
            }
        }
        return null;
    }
}
