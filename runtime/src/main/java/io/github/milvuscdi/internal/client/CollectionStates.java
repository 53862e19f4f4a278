package io.github.milvuscdi.internal.client;

import io.milvus.grpc.ErrorCode;
import io.milvus.grpc.GetLoadStateRequest;
import io.milvus.grpc.GetLoadStateResponse;
import io.milvus.grpc.GetLoadingProgressRequest;
import io.milvus.grpc.GetLoadingProgressResponse;
import io.milvus.grpc.LoadCollectionRequest;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.shaded.io.grpc.Channel;
import io.milvus.shaded.io.grpc.Deadline;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.shaded.io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a server, in parallel and within one deadline, whether each of some collections exists and is
 * loaded: one {@code GetLoadState} call each, and a {@code GetLoadingProgress} for one that is loading.
 * Used by readiness ({@code health.collections}) and by {@link CollectionLoader}.
 *
 * <p>Calls go out on a channel that carries the SDK's headers (credentials, database) and do not wait
 * for a ready connection. Stateless and thread-safe.
 */
public final class CollectionStates {

    /** Where a collection stands, as readiness shows it. */
    public enum State {
        /** Loaded: searches and queries work. */
        LOADED,
        /** Being loaded; {@link Found#progress()} says how far. */
        LOADING,
        /** Exists and is not loaded (never loaded, or released). */
        NOT_LOADED,
        /** No collection of that name in the alias's database. */
        DOES_NOT_EXIST,
        /** The server did not say: no answer, or an error. */
        UNKNOWN
    }

    /**
     * What was found about one collection.
     *
     * @param state where it stands
     * @param progress percent loaded when loading, else -1
     * @param why why the state is unknown; {@code null} otherwise
     */
    public record Found(State state, long progress, String why) {

        /** @return {@code loaded}, {@code loading 40%}, {@code not loaded}, {@code does not exist}, or {@code unknown (why)} */
        public String describe() {
            return switch (state) {
                case LOADED -> "loaded";
                case LOADING -> progress >= 0 ? "loading " + progress + "%" : "loading";
                case NOT_LOADED -> "not loaded";
                case DOES_NOT_EXIST -> "does not exist";
                case UNKNOWN -> "unknown (" + why + ")";
            };
        }
    }

    private CollectionStates() {}

    /**
     * Asks every collection's state at once and waits for the answers until the deadline.
     *
     * @param channel a channel with the SDK's interceptors (the SDK stub's channel)
     * @param database the alias's database; {@code null} for the server's default
     * @param names the collections
     * @param deadline the bound on all the calls together
     * @return what was found, in the order of {@code names}; never throws
     */
    public static Map<String, Found> ask(Channel channel, String database, List<String> names, Deadline deadline) {
        MilvusServiceGrpc.MilvusServiceStub stub =
                MilvusServiceGrpc.newStub(channel).withDeadline(deadline);
        Map<String, CompletableFuture<Found>> asked = new LinkedHashMap<>();
        for (String name : names) {
            asked.put(name, ask(stub, database, name));
        }
        Map<String, Found> found = new LinkedHashMap<>();
        asked.forEach((name, answer) -> {
            try {
                found.put(
                        name,
                        answer.get(Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS));
            } catch (TimeoutException late) {
                found.put(name, new Found(State.UNKNOWN, -1, "no answer in time"));
            } catch (ExecutionException failed) {
                found.put(name, new Found(State.UNKNOWN, -1, String.valueOf(failed.getCause())));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                found.put(name, new Found(State.UNKNOWN, -1, "interrupted"));
            }
        });
        return found;
    }

    /**
     * Asks the server to load a collection; the server loads it in the background and answers at once.
     *
     * @return {@code null} when the server accepted, else why not
     */
    static CompletableFuture<String> load(Channel channel, String database, String name, Deadline deadline) {
        LoadCollectionRequest.Builder request =
                LoadCollectionRequest.newBuilder().setCollectionName(name);
        if (database != null) {
            request.setDbName(database);
        }
        CompletableFuture<String> done = new CompletableFuture<>();
        MilvusServiceGrpc.newStub(channel)
                .withDeadline(deadline)
                .loadCollection(
                        request.build(),
                        observer(
                                done,
                                status -> status.getCode() == 0 && status.getErrorCode() == ErrorCode.Success
                                        ? null
                                        : status.getReason()));
        return done;
    }

    private static CompletableFuture<Found> ask(
            MilvusServiceGrpc.MilvusServiceStub stub, String database, String name) {
        GetLoadStateRequest.Builder request = GetLoadStateRequest.newBuilder().setCollectionName(name);
        if (database != null) {
            request.setDbName(database);
        }
        CompletableFuture<GetLoadStateResponse> state = new CompletableFuture<>();
        stub.getLoadState(request.build(), observer(state, response -> response));
        return state.thenCompose(response -> {
                    io.milvus.grpc.Status status = response.getStatus();
                    if (status.getCode() != 0 || status.getErrorCode() != ErrorCode.Success) {
                        return CompletableFuture.completedFuture(failed(status));
                    }
                    return switch (response.getState()) {
                        case LoadStateLoaded -> CompletableFuture.completedFuture(new Found(State.LOADED, -1, null));
                        case LoadStateNotLoad ->
                            CompletableFuture.completedFuture(new Found(State.NOT_LOADED, -1, null));
                        case LoadStateNotExist ->
                            CompletableFuture.completedFuture(new Found(State.DOES_NOT_EXIST, -1, null));
                        case LoadStateLoading -> progress(stub, database, name);
                        default ->
                            CompletableFuture.completedFuture(
                                    new Found(State.UNKNOWN, -1, "load state " + response.getStateValue()));
                    };
                })
                .exceptionally(CollectionStates::unanswered);
    }

    private static CompletableFuture<Found> progress(
            MilvusServiceGrpc.MilvusServiceStub stub, String database, String name) {
        GetLoadingProgressRequest.Builder request =
                GetLoadingProgressRequest.newBuilder().setCollectionName(name);
        if (database != null) {
            request.setDbName(database);
        }
        CompletableFuture<GetLoadingProgressResponse> progress = new CompletableFuture<>();
        stub.getLoadingProgress(request.build(), observer(progress, response -> response));
        return progress.handle((response, failed) -> new Found(
                State.LOADING,
                failed == null && response.getStatus().getCode() == 0 ? response.getProgress() : -1,
                null));
    }

    /** Milvus 2.3 answers a missing collection with an error rather than {@code LoadStateNotExist}. */
    private static Found failed(io.milvus.grpc.Status status) {
        String reason = status.getReason();
        String lower = String.valueOf(reason).toLowerCase(Locale.ROOT);
        if (status.getErrorCode() == ErrorCode.CollectionNotExists
                || status.getCode() == 100
                || lower.contains("collection not found")
                || lower.contains("can't find collection")
                || lower.contains("not exist")) {
            return new Found(State.DOES_NOT_EXIST, -1, null);
        }
        return new Found(
                State.UNKNOWN,
                -1,
                "code " + (status.getCode() != 0 ? status.getCode() : status.getErrorCodeValue()) + ": " + reason);
    }

    private static Found unanswered(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        if (cause instanceof StatusRuntimeException status) {
            Status.Code code = status.getStatus().getCode();
            return new Found(
                    State.UNKNOWN,
                    -1,
                    code == Status.Code.DEADLINE_EXCEEDED
                            ? "no answer in time"
                            : code
                                    + (status.getStatus().getDescription() == null
                                            ? ""
                                            : ": " + status.getStatus().getDescription()));
        }
        return new Found(State.UNKNOWN, -1, String.valueOf(cause.getMessage()));
    }

    private static <R, T> StreamObserver<R> observer(
            CompletableFuture<T> done, java.util.function.Function<R, T> result) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                done.complete(result.apply(value));
            }

            @Override
            public void onError(Throwable failure) {
                done.completeExceptionally(failure);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        };
    }
}
