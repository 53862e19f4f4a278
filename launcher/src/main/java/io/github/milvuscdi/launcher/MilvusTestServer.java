package io.github.milvuscdi.launcher;

import java.nio.file.Path;

/**
 * A running Milvus for tests, whichever the backend: {@link MilvusLiteServer} (milvus-lite) or
 * {@link MilvusServer} (Milvus's own standalone server). Tests written against this type run on
 * both, for instance parameterized over {@link MilvusBackend}.
 *
 * <p>Implementations are thread-safe: {@link #stop()}, {@link #restart()} and {@link #close()}
 * are serialized.
 */
public interface MilvusTestServer extends AutoCloseable {

    /** Which backend runs. */
    MilvusBackend backend();

    /** The name given at start, used in logs and folder names. */
    String name();

    /** The host the server listens on: always {@code 127.0.0.1}. */
    String host();

    /** The port clients connect to; the same after a {@link #restart()}. */
    int port();

    /** {@code host:port}, such as {@code 127.0.0.1:41234}, for the {@code address} configuration key. */
    String address();

    /** {@code http://host:port}, or {@code https://host:port} when the server speaks TLS. */
    String uri();

    /** The server's output, appended across restarts: the first place to look when a test fails. */
    Path logFile();

    /** The folder holding the server's data; kept across {@link #stop()} and {@link #restart()}. */
    Path dataDir();

    /** Whether the server process is alive. */
    boolean isRunning();

    /** Stops the server within a bound, keeping its port(s) and data. Does nothing when stopped. */
    void stop();

    /**
     * Starts the server again on the same port(s) with the same data and waits until it answers an
     * RPC; stops it first if it runs.
     *
     * @throws IllegalStateException when the server was closed or does not come back
     */
    void restart();

    /** Stops the server for good and gives its ports back; idempotent. */
    @Override
    void close();
}
