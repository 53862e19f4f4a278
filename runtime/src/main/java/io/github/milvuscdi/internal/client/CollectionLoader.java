package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.grpc.MilvusServiceGrpc.MilvusServiceBlockingStub;
import io.milvus.shaded.io.grpc.ConnectivityState;
import io.milvus.shaded.io.grpc.Deadline;
import io.milvus.shaded.io.grpc.ManagedChannel;
import io.milvus.v2.client.MilvusClientV2;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * With {@code collections.load=true}: loads the alias's listed collections that exist and are not
 * loaded, once when the alias connects and once each time its connection is back after it was lost
 * (a restarted Milvus, or milvus-lite, does not always load again what was loaded before).
 *
 * <p>One {@code GetLoadState} per collection, then one {@code LoadCollection} for each that is not
 * loaded, all within {@code connect-timeout}; the server loads in the background, and readiness shows
 * {@code loading 40%} meanwhile. A round that could not load is tried again for about 30 s. One log line
 * per round that loaded something, one when it finally failed. A round runs on
 * a short-lived daemon thread of its own (the channel's state callbacks must not block); rounds never overlap.
 *
 * <p>Thread-safe.
 */
final class CollectionLoader {

    private static final Logger LOG = Logger.getLogger(SdkClientFactory.class.getName());
    private static final long MAX_PAUSE_MILLIS = 16_000;

    private final MilvusClientV2 client;
    private final ConnectionSettings settings;
    private final AtomicBoolean loading = new AtomicBoolean();

    private CollectionLoader(MilvusClientV2 client, ConnectionSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /**
     * Loads now, in the background, and again whenever the client's connection is back.
     *
     * @param client a connected client
     * @param settings its alias's settings, with {@code collections.load=true}
     */
    static void start(MilvusClientV2 client, ConnectionSettings settings) {
        ManagedChannel channel = MilvusSdk.channel(client);
        if (channel == null) {
            return;
        }
        CollectionLoader loader = new CollectionLoader(client, settings);
        loader.loadInBackground("connected");
        loader.watch(channel, channel.getState(false));
    }

    /** Runs a round whenever the channel is ready again after it was not; ends when the channel is shut down. */
    private void watch(ManagedChannel channel, ConnectivityState seen) {
        channel.notifyWhenStateChanged(seen, () -> {
            ConnectivityState now = channel.getState(false);
            if (now == ConnectivityState.SHUTDOWN) {
                return;
            }
            if (now == ConnectivityState.READY && seen != ConnectivityState.READY) {
                loadInBackground("connection back");
            }
            watch(channel, now);
        });
    }

    private void loadInBackground(String why) {
        if (!loading.compareAndSet(false, true)) {
            return;
        }
        Thread round = new Thread(
                () -> {
                    try {
                        loadRetrying(why);
                    } catch (RuntimeException failed) {
                        LOG.warning(() -> prefix() + "could not check its collections to load them: " + failed);
                    } finally {
                        loading.set(false);
                    }
                },
                "milvus-cdi-load-" + settings.alias());
        round.setDaemon(true);
        round.setContextClassLoader(null);
        round.start();
    }

    /**
     * A server just back may refuse to load for a while (Milvus 2.3 answers "unrecoverable error" until
     * its query nodes are up): a round that could not load is tried again, 1, 2, 4, 8 and 16 s later, and
     * only the last failure is logged.
     */
    private void loadRetrying(String why) {
        List<String> failed = List.of();
        for (long pause = 1000; ; pause *= 2) {
            failed = load(why);
            ManagedChannel channel = MilvusSdk.channel(client);
            if (failed.isEmpty() || pause > MAX_PAUSE_MILLIS || channel == null || channel.isShutdown()) {
                break;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!failed.isEmpty()) {
            String list = String.join(", ", failed);
            LOG.warning(() -> prefix() + "could not load " + list + " ("
                    + ConnectionKey.COLLECTIONS_LOAD.fullKey(settings.alias()) + "=true)");
        }
    }

    /** @return the collections that could not be loaded, each with why */
    private List<String> load(String why) {
        MilvusServiceBlockingStub stub = MilvusSdk.blockingStub(client);
        ManagedChannel channel = MilvusSdk.channel(client);
        if (stub == null || channel == null || channel.isShutdown()) {
            return List.of();
        }
        Deadline deadline = Deadline.after(settings.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        Map<String, CollectionStates.Found> found = CollectionStates.ask(
                stub.getChannel(),
                settings.databaseName(),
                settings.collections().names(),
                deadline);
        Map<String, CompletableFuture<String>> asked = new LinkedHashMap<>();
        found.forEach((name, state) -> {
            if (state.state() == CollectionStates.State.NOT_LOADED) {
                asked.put(name, CollectionStates.load(stub.getChannel(), settings.databaseName(), name, deadline));
            }
        });
        List<String> failed = new ArrayList<>();
        found.forEach((name, state) -> {
            if (state.state() == CollectionStates.State.UNKNOWN) {
                failed.add(name + " (its load state: " + state.describe() + ")");
            }
        });
        if (asked.isEmpty()) {
            return failed;
        }
        List<String> loaded = new ArrayList<>();
        asked.forEach((name, answer) -> {
            String refusal;
            try {
                refusal = answer.get(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                refusal = "interrupted";
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException error) {
                refusal = error instanceof java.util.concurrent.TimeoutException
                        ? "no answer within connect-timeout"
                        : String.valueOf(error.getCause());
            }
            if (refusal == null) {
                loaded.add(name);
            } else {
                failed.add(name + " (" + refusal + ")");
            }
        });
        if (!loaded.isEmpty()) {
            LOG.info(() -> prefix() + "loading " + String.join(", ", loaded) + ", not loaded on the server (" + why
                    + "; " + ConnectionKey.COLLECTIONS_LOAD.fullKey(settings.alias()) + "=true)");
        }
        return failed;
    }

    private String prefix() {
        return "Milvus alias '" + settings.alias() + "': ";
    }
}
