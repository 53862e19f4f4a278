package io.github.milvuscdi.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConnectionException;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.github.milvuscdi.testing.Await;
import io.milvus.v2.client.MilvusClientV2;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry's concurrency over a fake {@link ClientFactory}, no server: one attempt shared by
 * concurrent callers, no client left open by races with disconnect, remove and closeAll. The same
 * scenarios run end to end against milvus-lite in the extension's tests.
 */
@Timeout(60)
class RegistryConcurrencyTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Opens clients that have no channel; each open waits for a permit, so a test decides when it ends. */
    static final class FakeFactory implements ClientFactory {
        final AtomicInteger attempts = new AtomicInteger();
        final Set<MilvusClientV2> open = ConcurrentHashMap.newKeySet();
        final Semaphore permits = new Semaphore(0);
        final CountDownLatch connecting = new CountDownLatch(1);
        volatile boolean fail;

        @Override
        public MilvusClientV2 open(ConnectionSettings settings) {
            attempts.incrementAndGet();
            connecting.countDown();
            try {
                if (!permits.tryAcquire(20, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never let the attempt end");
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
            if (fail) {
                throw new MilvusConnectionException(
                        settings.alias(), "Milvus alias '" + settings.alias() + "': cannot connect (fake)", null);
            }
            MilvusClientV2 client = MilvusSdk.unconnectedClient();
            open.add(client);
            return client;
        }

        @Override
        public void close(ConnectionSettings settings, MilvusClientV2 client) {
            open.remove(client);
        }
    }

    private static ConnectionRegistry containerRegistry(FakeFactory factory) {
        MilvusConfiguration configuration = MilvusConfiguration.read(
                new SmallRyeConfigBuilder()
                        .withSources(new PropertiesConfigSource(
                                Map.of("milvus.connections.search.uri", "http://localhost:1"), "test", 100))
                        .build(),
                Set.of());
        return new ConnectionRegistry(configuration, true, factory);
    }

    private static ConnectionRegistry standaloneRegistry(FakeFactory factory) {
        return new ConnectionRegistry(MilvusConfiguration.read(null, Set.of()), false, factory);
    }

    @Test
    void thirtyTwoCallersArrivingWhileConnectingShareOneAttemptAndItsFailure() throws Exception {
        FakeFactory factory = new FakeFactory();
        factory.fail = true;
        ConnectionRegistry registry = containerRegistry(factory);
        List<Future<Throwable>> callers = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(32);
        for (int i = 0; i < 32; i++) {
            callers.add(threads.submit(() -> {
                started.countDown();
                try {
                    registry.connect("search");
                    return null;
                } catch (Throwable failed) {
                    return failed;
                }
            }));
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(factory.connecting.await(10, TimeUnit.SECONDS)).isTrue();
        awaitWaiting(32);
        factory.permits.release(100);
        Throwable first = null;
        for (Future<Throwable> caller : callers) {
            Throwable failed = caller.get(10, TimeUnit.SECONDS);
            assertThat(failed).isInstanceOf(MilvusConnectionException.class).hasMessageContaining("'search'");
            first = first == null ? failed : first;
            assertThat(failed).as("every caller gets the one attempt's outcome").isSameAs(first);
        }
        assertThat(factory.attempts.get()).isEqualTo(1);
    }

    @Test
    void aCallerArrivingJustAfterAFailedAttemptGetsItsOutcomeAndOneArrivingLaterTriesAgain() throws Exception {
        FakeFactory factory = new FakeFactory();
        factory.fail = true;
        factory.permits.release(100);
        ConnectionRegistry registry = containerRegistry(factory);
        Throwable first = catchFailure(registry);
        // as a caller queued behind a container's own bean-creation lock arrives
        assertThat(catchFailure(registry)).isSameAs(first);
        assertThat(factory.attempts.get()).isEqualTo(1);

        // past the hold (at most 1 s), a caller gets a fresh attempt; until then, the same outcome
        Throwable fresh = Await.until(() -> catchFailure(registry), failure -> failure != first, Duration.ofSeconds(5));
        assertThat(fresh).hasMessageContaining("'search'");
        assertThat(factory.attempts.get()).isEqualTo(2);
    }

    private static Throwable catchFailure(ConnectionRegistry registry) {
        try {
            registry.connect("search");
        } catch (MilvusConnectionException expected) {
            return expected;
        }
        throw new AssertionError("connect should have failed");
    }

    @Test
    void callersArrivingWhileConnectingGetTheSameClient() throws Exception {
        FakeFactory factory = new FakeFactory();
        ConnectionRegistry registry = containerRegistry(factory);
        List<Future<MilvusClientV2>> callers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            callers.add(threads.submit(() -> registry.connect("search")));
        }
        assertThat(factory.connecting.await(10, TimeUnit.SECONDS)).isTrue();
        awaitWaiting(16);
        factory.permits.release(100);
        MilvusClientV2 shared = callers.get(0).get(10, TimeUnit.SECONDS);
        for (Future<MilvusClientV2> caller : callers) {
            assertThat(caller.get(10, TimeUnit.SECONDS)).isSameAs(shared);
        }
        assertThat(factory.attempts.get()).isEqualTo(1);
        registry.closeAll();
        assertThat(factory.open).isEmpty();
    }

    @Test
    void aConnectThatEndsAfterItsAliasWasRemovedClosesItsClient() throws Exception {
        FakeFactory factory = new FakeFactory();
        ConnectionRegistry registry = standaloneRegistry(factory);
        registry.addConnection("mine", Map.of("uri", "http://localhost:1"));
        Future<MilvusClientV2> connecting = threads.submit(() -> registry.connect("mine"));
        assertThat(factory.connecting.await(10, TimeUnit.SECONDS)).isTrue();

        registry.removeConnection("mine");
        factory.permits.release();

        assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(MilvusConnectionException.class)
                .hasMessageContaining("removed while it connected");
        assertThat(factory.open).as("clients left open").isEmpty();
        assertThat(registry.hasConnection("mine")).isFalse();
    }

    @Test
    void aConnectThatEndsAfterDisconnectClosesItsClientAndTheNextConnectOpensAFreshOne() throws Exception {
        FakeFactory factory = new FakeFactory();
        ConnectionRegistry registry = standaloneRegistry(factory);
        registry.addConnection("mine", Map.of("uri", "http://localhost:1"));
        Future<MilvusClientV2> connecting = threads.submit(() -> registry.connect("mine"));
        assertThat(factory.connecting.await(10, TimeUnit.SECONDS)).isTrue();

        registry.disconnect("mine");
        factory.permits.release(2);

        assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(MilvusConnectionException.class);
        assertThat(factory.open).isEmpty();
        MilvusClientV2 fresh = registry.connect("mine");
        assertThat(factory.open).containsExactly(fresh);
        registry.close();
        assertThat(factory.open).isEmpty();
    }

    @Test
    void afterTheContainerClosedItsRegistryNoClientIsOpenedAndTheCallerIsToldTheApplicationIsStopping()
            throws Exception {
        FakeFactory factory = new FakeFactory();
        ConnectionRegistry registry = containerRegistry(factory);
        Future<MilvusClientV2> connecting = threads.submit(() -> registry.connect("search"));
        assertThat(factory.connecting.await(10, TimeUnit.SECONDS)).isTrue();

        registry.closeAll();
        factory.permits.release(2);

        assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
                .hasMessageContaining("the application is stopping");
        assertThatThrownBy(() -> registry.connect("search"))
                .isInstanceOf(MilvusConnectionException.class)
                .hasMessage("Milvus alias 'search': the application is stopping; its Milvus connections are "
                        + "closed and no new one is opened");
        assertThat(factory.attempts.get()).isEqualTo(1);
        assertThat(factory.open).isEmpty();
    }

    @Test
    void racingConnectAgainstRemoveLeavesNoClientOpen() throws Exception {
        FakeFactory factory = new FakeFactory();
        factory.permits.release(Integer.MAX_VALUE / 2);
        ConnectionRegistry registry = standaloneRegistry(factory);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int round = 0; round < 300 && System.nanoTime() < deadline; round++) {
            registry.addConnection("racy", Map.of("uri", "http://localhost:1"));
            CountDownLatch go = new CountDownLatch(1);
            Future<?> connector = threads.submit(() -> {
                go.await();
                try {
                    registry.connect("racy");
                } catch (MilvusConnectionException | io.github.milvuscdi.MilvusConfigurationException lost) {
                    // lost the race: removed before or while connecting
                }
                return null;
            });
            Future<?> remover = threads.submit(() -> {
                go.await();
                registry.removeConnection("racy");
                return null;
            });
            go.countDown();
            connector.get(10, TimeUnit.SECONDS);
            remover.get(10, TimeUnit.SECONDS);
            // Whatever won, the alias is gone and no client is open: checked before anything else
            // could close a client the race left behind.
            assertThat(factory.open)
                    .as("clients left open after round " + round)
                    .isEmpty();
            assertThat(registry.hasConnection("racy")).isFalse();
        }
    }

    /** Waits until the given number of threads of this test's pool are blocked or waiting. */
    private void awaitWaiting(int count) {
        Await.until(
                () -> Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> t.getName().startsWith("pool-"))
                                .filter(t -> t.getState() == Thread.State.WAITING
                                        || t.getState() == Thread.State.TIMED_WAITING)
                                .count()
                        >= count,
                Duration.ofSeconds(10),
                count + " callers waiting");
    }
}
