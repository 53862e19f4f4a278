package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A {@link ClientFactory} for unit tests: opens distinct, never-connected SDK clients (no server, no
 * network), records what it opened and closed, and can hold every open until released or fail it.
 *
 * <p>Thread-safe.
 */
public final class FakeClientFactory implements ClientFactory {

    /** The longest a held open waits for {@link #release()}; reached only when a test forgets it. */
    public static final Duration HOLD_BOUND = Duration.ofSeconds(30);

    /** The address of each open, in order, failed ones included. */
    public final List<String> opened = new CopyOnWriteArrayList<>();

    /** Every client closed, in order. */
    public final List<MilvusClientV2> closed = new CopyOnWriteArrayList<>();

    /** How many times a registry said it closed them all. */
    public final AtomicInteger closedAll = new AtomicInteger();

    /** Counted down when the first open starts. */
    public final CountDownLatch opening = new CountDownLatch(1);

    /** The thread of the first open. */
    public final AtomicReference<Thread> opener = new AtomicReference<>();

    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean hold;
    private volatile Function<ConnectionSettings, RuntimeException> failure;

    /** Makes every open wait until {@link #release()}. */
    public void holdOpens() {
        hold = true;
    }

    /** Lets held opens, and those to come, go on. */
    public void release() {
        released.countDown();
    }

    /**
     * Makes the opens to come fail.
     *
     * @param failure what to throw for the alias's settings; {@code null} to open again
     */
    public void failWith(Function<ConnectionSettings, RuntimeException> failure) {
        this.failure = failure;
    }

    @Override
    public MilvusClientV2 open(ConnectionSettings settings) {
        opened.add(settings.address());
        opener.compareAndSet(null, Thread.currentThread());
        opening.countDown();
        if (hold) {
            awaitRelease(released);
        }
        Function<ConnectionSettings, RuntimeException> fail = failure;
        if (fail != null) {
            throw fail.apply(settings);
        }
        return MilvusSdk.unconnectedClient();
    }

    @Override
    public void close(ConnectionSettings settings, MilvusClientV2 client) {
        closed.add(client);
    }

    @Override
    public void closedAll() {
        closedAll.incrementAndGet();
    }

    /**
     * Waits for a latch a test counts down, at most {@link #HOLD_BOUND}.
     *
     * @param latch the latch
     * @throws IllegalStateException when the bound is reached or the thread is interrupted (a closed probe)
     */
    public static void awaitRelease(CountDownLatch latch) {
        try {
            if (!latch.await(HOLD_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test never released this call");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held", interrupted);
        }
    }
}
