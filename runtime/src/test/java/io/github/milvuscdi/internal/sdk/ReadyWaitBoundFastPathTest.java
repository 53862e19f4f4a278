package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.testing.Await;
import io.milvus.shaded.io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound costs a call on a ready channel no timer task: gRPC creates such a call's stream inside
 * {@code start()}, on the calling thread, and the bound arms a timer only for a call still waiting
 * when {@code start()} returns. A timer task per call cost about 25 µs on a 2-core machine (issue 28).
 * The calls are played by a {@link ScriptedChannel}; the timer counts the tasks armed on it.
 */
class ReadyWaitBoundFastPathTest {

    private final AtomicInteger armed = new AtomicInteger();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1) {
        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            armed.incrementAndGet();
            return super.schedule(task, delay, unit);
        }
    };

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aCallWhoseStreamIsCreatedInsideStartArmsNoTimer() {
        ScriptedChannel channel = new ScriptedChannel(ScriptedChannel.Script.STREAM_AT_ONCE);
        AtomicReference<Status> closed = BoundedCalls.start(timer, 30_000, channel);

        assertThat(armed.get()).as("timer tasks armed").isZero();
        assertThat(closed.get()).isNull();
        assertThat(channel.cancelled.get()).isNull();
    }

    @Test
    void aCallStillWaitingWhenStartReturnsIsBounded() {
        ScriptedChannel channel = new ScriptedChannel(ScriptedChannel.Script.PENDING);
        AtomicReference<Status> closed = BoundedCalls.start(timer, 200, channel);

        assertThat(armed.get()).as("timer tasks armed").isEqualTo(1);
        Status status = Await.until(closed::get, s -> s != null, Duration.ofSeconds(30));
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).isEqualTo(BoundedCalls.FAILURE);
        assertThat(channel.cancelled.get()).isEqualTo(BoundedCalls.FAILURE);
    }

    @Test
    void aWaitingCallThatGetsItsStreamIsNoLongerBounded() {
        ScriptedChannel channel = new ScriptedChannel(ScriptedChannel.Script.PENDING);
        AtomicReference<Status> closed = BoundedCalls.start(timer, 30_000, channel);
        assertThat(timer.getQueue()).as("the call's bound is armed").hasSize(1);

        channel.createStream();

        assertThat(timer.getQueue())
                .as("the bound is disarmed")
                .singleElement()
                .matches(task -> ((Future<?>) task).isCancelled());
        assertThat(closed.get()).isNull();
        assertThat(channel.cancelled.get()).isNull();
    }
}
