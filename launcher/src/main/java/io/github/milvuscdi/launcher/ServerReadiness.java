package io.github.milvuscdi.launcher;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/** Waits, bounded, until a server the kit started answers a real RPC. Stateless. */
final class ServerReadiness {

    private ServerReadiness() {}

    /**
     * Waits until the server answers: a plain TCP probe first (the SDK logs every refused connection as
     * an error), then a real RPC.
     *
     * @param what the server, in messages ("search: milvus-lite")
     * @param launched the launcher's process
     * @param port where the server listens on loopback
     * @param logFile the server's log, quoted on failure
     * @param bound how long it may take
     * @param version asks the server once; throws while it is not ready
     * @param exited the failure when the process ended before it answered, given the message
     * @return the server's version
     */
    static String awaitAnswer(
            String what,
            Process launched,
            int port,
            Path logFile,
            Duration bound,
            Supplier<String> version,
            Function<String, RuntimeException> exited) {
        RuntimeException[] lastFailure = {null};
        String answer = Polling.last(
                () -> {
                    if (!launched.isAlive() || !acceptsConnections(port)) {
                        return null;
                    }
                    try {
                        return version.get();
                    } catch (RuntimeException notYet) {
                        lastFailure[0] = notYet;
                        return null;
                    }
                },
                found -> found != null || !launched.isAlive(),
                bound);
        if (answer != null) {
            return answer;
        }
        String lastLines =
                "; see " + logFile + ". Last lines:" + System.lineSeparator() + LogTail.of(logFile, LogTail.LINES);
        if (!launched.isAlive()) {
            throw exited.apply(what + " exited with code " + launched.exitValue() + " before it answered on port "
                    + port + lastLines);
        }
        throw new IllegalStateException(what + " did not answer on port " + port + " within " + bound.toSeconds()
                + " s" + (lastFailure[0] == null ? "" : " (last RPC error: " + lastFailure[0].getMessage() + ")")
                + lastLines);
    }

    /**
     * Asks a server for its version with one attempt, no retry.
     *
     * @param config how to reach it
     * @param wholeServer also call ListDatabases, which needs every coordinator of Milvus's own server up
     * @return the version
     */
    static String serverVersion(ConnectConfig config, boolean wholeServer) {
        // The constructor blocks on a Connect RPC up to connectTimeoutMs; failures are shaded gRPC
        // StatusRuntimeExceptions, hence RuntimeException.
        MilvusClientV2 client = new MilvusClientV2(config);
        try {
            client.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
            if (wholeServer) {
                client.listDatabases();
            }
            return client.getServerVersion();
        } finally {
            try {
                client.close(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}
