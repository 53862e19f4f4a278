package io.github.milvuscdi.quarkus.deployment;

import io.github.milvuscdi.testing.Await;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads calling a client without pause, counting what succeeds and keeping what fails; closing stops them. */
final class Callers implements AutoCloseable {

    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final ConcurrentLinkedQueue<RuntimeException> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Callers(MilvusClientV2 client, int count) {
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(
                    () -> {
                        while (running.get()) {
                            try {
                                client.hasCollection(HasCollectionReq.builder()
                                        .collectionName("any")
                                        .build());
                                succeeded.incrementAndGet();
                            } catch (RuntimeException failed) {
                                failures.add(failed);
                            }
                        }
                    },
                    "caller-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    int succeeded() {
        return succeeded.get();
    }

    List<RuntimeException> failures() {
        return List.copyOf(failures);
    }

    /** Waits until this many calls succeeded in all. */
    void await(int total, Duration bound) {
        Await.until(
                () -> succeeded.get() >= total, bound, total + " calls succeeded (failed: " + failures.size() + ")");
    }

    /** Stops the threads and waits for their calls under way, bounded. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
    }
}
