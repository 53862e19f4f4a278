package io.github.milvuscdi.internal.sdk;

import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Waits, once the application's clients are closed, when it stops (never when a registry of one's
 * own is closed), for the event-loop threads that gRPC shares between
 * channels to end, when the class loader that loaded the SDK may close after the application.
 *
 * <p>gRPC keeps the Netty event loops of all its channels ({@code grpc-nio-worker-ELG-*}, threads
 * of Netty's {@code FastThreadLocalThread}, shaded in the SDK) in a shared-resource holder, and
 * shuts them down one second after the last channel releases them, from a timer thread of its own.
 * When the SDK sits in an application ({@code WEB-INF/lib} on WildFly or Payara), the server closes
 * the application's class loader as soon as the application has stopped, which is within that
 * second: the event loops then fail to load the Netty classes their shutdown needs
 * ({@code NoClassDefFoundError: …netty.util.concurrent.DefaultPromise$1}, logged at every
 * redeployment). So the container's shutdown waits for them, at most {@link #BOUND}.
 *
 * <p>Nothing is waited for when the SDK was loaded by the system class loader, which lives as long
 * as the JVM (plain Java, Weld SE, tests), nor when no event loop of this SDK copy is running.
 * Event loops that outlive the bound (another client of the same SDK copy, made outside this
 * library, is still open) are left running and logged at {@code FINE}.
 */
final class GrpcEventLoops {

    /** How long a shutdown waits at most: gRPC's one-second delay, and time to end. */
    static final Duration BOUND = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(GrpcEventLoops.class.getName());
    private static final String EVENT_LOOP_PREFIX = "grpc-";

    private GrpcEventLoops() {}

    /** Every live thread, without walking their stacks as {@code Thread.getAllStackTraces()} does. */
    private static Thread[] allThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count;
        while ((count = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return java.util.Arrays.copyOf(threads, count);
    }

    /** Waits for the SDK's gRPC event loops to end, at most {@link #BOUND}; never throws. */
    static void awaitEnd() {
        ClassLoader sdk = MilvusClientV2.class.getClassLoader();
        if (sdk == null || sdk == ClassLoader.getSystemClassLoader()) {
            return;
        }
        List<Thread> loops = new ArrayList<>();
        for (Thread thread : allThreads()) {
            if (thread.getClass().getClassLoader() == sdk && thread.getName().startsWith(EVENT_LOOP_PREFIX)) {
                loops.add(thread);
            }
        }
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (Thread loop : loops) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            try {
                loop.join(left);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        loops.removeIf(thread -> !thread.isAlive());
        if (!loops.isEmpty()) {
            LOG.fine(() -> "gRPC event loops still running " + BOUND.toSeconds() + " s after the last Milvus "
                    + "connection was closed (another client of the SDK is open?): " + loops);
        }
    }
}
