package io.github.milvuscdi.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redeployment in place, where gRPC clients leak: twenty (by default) deploy, use, undeploy cycles through the
 * management API, then WildFly's JVM must be back to the gRPC/Netty threads it had before the
 * first deployment, and its log must hold no orphaned-channel warning.
 *
 * <p>Threads are read through the management API's platform MBeans, not through the application.
 */
@Order(4)
@ExtendWith(WildFlyRun.Extension.class)
class RedeployIT {

    /** Twenty on WildFly; the build may ask for fewer ({@code wildfly.redeploy.cycles}) where time is short. */
    private static final int CYCLES = Integer.getInteger("wildfly.redeploy.cycles", 20);

    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** A server.log line at ERROR from a thread of gRPC, Netty or ours, e.g. {@code ERROR [stderr] (grpc-nio-worker-ELG-1-2)}. */
    private static final Pattern ERROR_IN_SDK_THREAD =
            Pattern.compile("^\\S+ \\S+ ERROR +\\[[^\\]]*\\] \\((?i:grpc|globalEventExecutor|ObjectCleaner|milvus)");
    /** The thread CompletableFuture's delayed tasks run on, one per JVM. */
    private static final String JDK_TIMER = "CompletableFutureDelayScheduler";

    private static final Pattern CLOSED = Pattern.compile("Closed Milvus connection '(default|archive)'");

    @Test
    void leavesNoThreadsBehind(WildFlyRun run) throws Exception {
        Management management = run.wildfly.management();
        assertThat(management.deployments())
                .as("nothing deployed before the first cycle")
                .isEmpty();
        int closedBefore = count(CLOSED, run.wildfly.serverLogText());
        boolean jdkTimerBefore = management.threadNames().contains(JDK_TIMER);
        long classesBefore = management.loadedClassesAfterGc();
        long everBefore = management.classesLoadedEver();
        long classesOfOneDeployment = 0;

        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            run.deployNotes();
            new Notebook(run, "default").roundTrip("redeploy_" + cycle);
            new Notebook(run, "archive").roundTrip("redeploy_" + cycle);
            List<String> deployed = run.sdkThreads();
            assertThat(deployed)
                    .as("cycle %d: the SDK's threads while deployed", cycle)
                    .isNotEmpty();
            System.out.println("cycle " + cycle + ": gRPC/Netty threads while deployed: " + deployed);
            if (cycle == 1) {
                classesOfOneDeployment = management.classesLoadedEver() - everBefore;
            }
            management.undeploy(WildFlyRun.NOTES);
        }

        // CompletableFuture.orTimeout/delayedExecutor start one JDK-wide thread on first use, which keeps
        // the context class loader of the application that started it for the JVM's life: connecting
        // must not use them (it has its own timer, ended with the deployment).
        if (!jdkTimerBefore) {
            assertThat(management.threadNames())
                    .as("JDK-wide timer threads started by a deployment")
                    .doesNotContain(JDK_TIMER);
        }
        List<String> threads = awaitThreads(run, run.threadsAtBoot);
        assertThat(threads)
                .as("gRPC/Netty threads %s after %d redeployments; at boot: %s", SETTLE, CYCLES, run.threadsAtBoot)
                .isEqualTo(run.threadsAtBoot);

        // A deployment whose class loader stays reachable (a thread-local of a request thread, a
        // static field) keeps all its classes: with that leak, twenty redeployments kept twenty
        // times what one loads (43,000 classes). Some stay reachable for a while for WildFly's own
        // reasons (its Weld holds the latest deployment with a build-compatible extension in a
        // static field; an idle request thread still references its last exchange): allow a
        // quarter of the cycles, and at least those two (WildFly Preview runs only five cycles), after
        // collections a second apart. A leak keeps one per cycle, which stays above that.
        long allowed = Math.max(2, CYCLES / 4) * classesOfOneDeployment;
        long classesLeft = Await.last(
                () -> management.loadedClassesAfterGc() - classesBefore, left -> left < allowed, Duration.ofSeconds(5));
        System.out.println("loaded classes: " + classesOfOneDeployment + " by one deployment; " + classesLeft
                + " more than before the first, after " + CYCLES + " redeployments and a GC");
        assertThat(classesLeft)
                .as(
                        "classes still loaded after %d redeployments, where one deployment loads %d",
                        CYCLES, classesOfOneDeployment)
                .isLessThan(allowed);

        String log = run.wildfly.serverLogText();
        assertThat(log).doesNotContain("was not shutdown properly");
        // gRPC's shared event loops outliving the deployment: they fail to load classes from its closed class loader
        assertThat(log).doesNotContain("NoClassDefFoundError").doesNotContain("from [Module \"deployment.notes.war\"");
        assertThat(log.lines().filter(line -> ERROR_IN_SDK_THREAD.matcher(line).find()))
                .as("errors logged by the SDK's threads")
                .isEmpty();
        assertThat(count(CLOSED, log) - closedBefore)
                .as("both clients closed at every undeployment")
                .isEqualTo(2 * CYCLES);
    }

    /** Polls the thread list until it equals {@code expected} or {@link #SETTLE} has passed; returns the last list. */
    private static List<String> awaitThreads(WildFlyRun run, List<String> expected) {
        return Await.last(run::sdkThreads, expected::equals, SETTLE);
    }

    private static int count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
