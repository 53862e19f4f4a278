package io.github.milvuscdi.launcher;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Ends child processes: politely (SIGTERM), then forcibly after a bound, children's children too;
 * and, through one shutdown hook, every registered process still alive when the JVM exits, so that
 * a crashed or interrupted test run leaves no milvus-lite behind.
 *
 * <p>A JVM killed with SIGKILL runs no hook; its servers then die with their next write to a
 * closed pipe at the latest. Thread-safe.
 */
final class ProcessTermination {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Duration GRACE_AT_EXIT = Duration.ofSeconds(2);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessTermination::terminateAll, "milvus-lite-shutdown"));
    }

    private ProcessTermination() {}

    /** Remembers {@code process} so that it is ended when the JVM exits. */
    static void endOnJvmExit(Process process) {
        LIVE.add(process);
    }

    /**
     * Sends SIGTERM to {@code process}, waits up to {@code grace}, then kills it and any descendant
     * still alive. Returns when they are gone or after a second bound of the same length.
     */
    static void terminate(Process process, Duration grace) {
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            LIVE.remove(process);
        }
    }

    /**
     * Kills {@code process} and its descendants at once (SIGKILL), as a crash would end them, and
     * waits up to {@code bound} for them to be gone.
     */
    static void kill(Process process, Duration bound) {
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
            for (ProcessHandle descendant : descendants) {
                descendant.onExit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // reported by the caller, which sees the process still alive
        } finally {
            LIVE.remove(process);
        }
    }

    private static void terminateAll() {
        List<Process> remaining = List.copyOf(LIVE);
        // SIGTERM to all first, so that their grace periods run side by side.
        remaining.forEach(process -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        });
        remaining.forEach(process -> terminate(process, GRACE_AT_EXIT));
    }
}
