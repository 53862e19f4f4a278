package io.github.milvuscdi.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.github.milvuscdi.testing.Await;
import io.milvus.shaded.io.grpc.ConnectivityState;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.ConnectConfig;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A probe of a channel that is down asks it to reconnect and waits for it a moment; gRPC offers no
 * way to take a state listener back, so one registered for that wait would stay on the channel, one
 * per probe while nothing changes its state. The probe watches the state without one.
 */
class ProbeLeavesNoStateListenerTest {

    @Test
    void aProbeOfADownChannelLeavesNoStateListenerOnIt() throws Exception {
        int refused;
        try (ServerSocket socket = new ServerSocket(0)) {
            refused = socket.getLocalPort(); // closed below: connecting is refused
        }
        ManagedChannel channel = MilvusSdk.newChannel(
                ConnectConfig.builder().uri("http://127.0.0.1:" + refused).build());
        try {
            channel.getState(true);
            Await.until(
                    () -> channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE,
                    Duration.ofSeconds(10),
                    "the channel to a refused port failing");

            assertThat(ServerProbe.reconnects(channel, ServerProbe.RECONNECT_WINDOW))
                    .isFalse();

            assertThat(stateListeners(channel)).isEmpty();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** gRPC's listeners of the channel's state, read from its private fields (shaded gRPC 1.x). */
    private static List<?> stateListeners(ManagedChannel channel) throws ReflectiveOperationException {
        Object current = channel;
        while (field(current.getClass(), "channelStateManager") == null) {
            Field delegate = field(current.getClass(), "delegate");
            assertThat(delegate)
                    .as("a delegate or a state manager in " + current.getClass())
                    .isNotNull();
            current = delegate.get(current);
        }
        Object manager = field(current.getClass(), "channelStateManager").get(current);
        return (List<?>) field(manager.getClass(), "listeners").get(manager);
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException notHere) {
                // its superclass, then
            }
        }
        return null;
    }
}
