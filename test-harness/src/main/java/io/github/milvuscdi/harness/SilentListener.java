package io.github.milvuscdi.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener on a free loopback port that accepts connections and never sends a byte: a
 * server that is "up" for TCP and dead for gRPC, as a hung Milvus or a half-open firewall looks.
 *
 * <pre>{@code
 * try (SilentListener hole = SilentListener.open()) {
 *     // configure a client with hole.uri(): boot must not connect, calls must time out
 *     assertThat(hole.acceptedConnections()).isZero();
 * }
 * }</pre>
 *
 * <p>Accepted sockets stay open, unread, until {@link #close()}. Thread-safe.
 */
public final class SilentListener implements AutoCloseable {

    private final ServerSocket listener;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SilentListener(ServerSocket listener) {
        this.listener = listener;
        this.acceptor = new Thread(this::acceptForever, "silent-listener-" + listener.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /**
     * Opens a silent listener on a free port of {@code 127.0.0.1}.
     *
     * @return the open listener; close it when done
     * @throws UncheckedIOException when no loopback port can be bound
     */
    public static SilentListener open() {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            return new SilentListener(listener);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a silent listener on a loopback port: " + e.getMessage(), e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** {@code http://127.0.0.1:port}, for {@code ConnectConfig.uri}. */
    public String uri() {
        return "http://" + address();
    }

    /**
     * How many TCP connections have been accepted so far.
     *
     * <p>The kernel completes a handshake a moment before the listener accepts it: to prove that
     * no connection was made, check after the code under test has returned, and to wait for one,
     * use {@link #awaitAcceptedConnections(int, Duration)}.
     */
    public int acceptedConnections() {
        return accepted.get();
    }

    /**
     * Waits until at least {@code count} connections have been accepted, or {@code timeout} passed.
     *
     * @return whether the count was reached
     */
    public boolean awaitAcceptedConnections(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (accepted.get() < count) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return accepted.get() >= count;
            }
        }
        return true;
    }

    /** Stops listening and closes every accepted connection. Idempotent. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing a listener that cannot close leaves nothing to do.
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // The peer may be gone already.
            }
        }
        connections.clear();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The address, such as {@code SilentListener[127.0.0.1:41234]}. */
    @Override
    public String toString() {
        return "SilentListener[" + address() + "]";
    }

    private void acceptForever() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.add(socket);
                accepted.incrementAndGet();
                if (listener.isClosed()) {
                    socket.close();
                }
            } catch (IOException closedOrFailed) {
                if (listener.isClosed()) {
                    return;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(10); // e.g. out of file descriptors: do not spin
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
