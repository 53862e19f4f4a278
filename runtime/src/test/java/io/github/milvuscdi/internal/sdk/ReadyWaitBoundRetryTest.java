package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.testing.Await;
import io.milvus.shaded.io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on waiting for a usable connection holds for every attempt gRPC makes of a call. When a
 * server stops just as a call is sent, the call's stream is created on a transport that is failing;
 * gRPC then retries it transparently, and that attempt waits for a ready transport again (the SDK's
 * calls wait for ready). Seen in a full build: such a call waited without end in
 * {@code MilvusSdkTest}, because the first attempt had disarmed the bound. The attempts are played
 * here by a {@link ScriptedChannel}, in the order gRPC's retrying stream makes them, so that the race
 * is not left to chance.
 */
class ReadyWaitBoundRetryTest {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    {
        timer.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aTransparentRetryAfterAFailedTransportIsBoundedAgain() {
        ScriptedChannel channel = new ScriptedChannel(ScriptedChannel.Script.TRANSPORT_FAILS_THEN_WAITS);
        AtomicReference<Status> closed = BoundedCalls.start(timer, 200, channel);

        Status status = Await.until(closed::get, s -> s != null, Duration.ofSeconds(30));
        assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(status.getDescription()).isEqualTo(BoundedCalls.FAILURE);
        assertThat(channel.cancelled.get()).isEqualTo(BoundedCalls.FAILURE);
    }
}
