package io.github.milvuscdi.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay in front of a real server that can be frozen: while frozen it keeps every connection
 * open and forwards nothing, so an established gRPC connection sees a server that accepted it and
 * stopped answering, which a {@link SilentListener} cannot show (it never
 * answers at all, so nothing ever connects).
 *
 * <pre>{@code
 * try (FreezingProxy proxy = FreezingProxy.to(server.host(), server.port())) {
 *     // connect a client to proxy.uri() and use it once
 *     proxy.freeze();   // the next calls get no answer, the connection stays open
 *     proxy.thaw();     // answers flow again, including those held while frozen
 *
 *     proxy.holdAnswers();       // requests reach the server, its answers are held
 *     // ... wait until the server has applied the request
 *     proxy.cutConnections();    // the client's connection drops before it got the answer
 * }
 * }</pre>
 *
 * <p>Thread-safe. Close it when done.
 */
public final class FreezingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean frozen;
    private boolean answersHeld;

    private FreezingProxy(ServerSocket listener, String targetHost, int targetPort) {
        this.listener = listener;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        daemon("freezing-proxy-" + listener.getLocalPort(), this::acceptForever);
    }

    /**
     * Relays a free loopback port to a server.
     *
     * @param targetHost the server's host
     * @param targetPort the server's port
     * @return the proxy, accepting connections
     */
    public static FreezingProxy to(String targetHost, int targetPort) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            return new FreezingProxy(listener, targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a proxy on a loopback port: " + e.getMessage(), e);
        }
    }

    /**
     * Relays a given local address and port to a server: e.g. two proxies on {@code 127.0.0.2} and
     * {@code 127.0.0.3} with one port play a server that moved to a new address.
     *
     * @param bindHost the local address to listen on, e.g. {@code 127.0.0.2} (any of 127.0.0.0/8 on Linux)
     * @param port the port, {@code 0} for a free one
     * @param targetHost the server's host
     * @param targetPort the server's port
     * @return the proxy, accepting connections
     */
    public static FreezingProxy on(String bindHost, int port, String targetHost, int targetPort) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), 50);
            return new FreezingProxy(listener, targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot open a proxy on " + bindHost + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** @return the port the proxy listens on */
    public int port() {
        return listener.getLocalPort();
    }

    /** @return {@code address:port}, where the proxy listens, e.g. {@code 127.0.0.1:41234} */
    public String address() {
        return listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort();
    }

    /** @return {@code http://address:port}, to configure a client with */
    public String uri() {
        return "http://" + address();
    }

    /** Stops forwarding bytes, in both directions, on every connection; connections stay open. */
    public void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    /** Forwards again, including what was held while frozen. */
    public void thaw() {
        synchronized (gate) {
            frozen = false;
            answersHeld = false;
            gate.notifyAll();
        }
    }

    /**
     * Keeps forwarding what clients send, and holds what servers answer: a request reaches the server, and
     * its answer does not reach the client, until {@link #thaw()} or {@link #cutConnections()}.
     */
    public void holdAnswers() {
        synchronized (gate) {
            answersHeld = true;
        }
    }

    /**
     * Closes every relayed connection at once, dropping what is held, as a network failure or a restarting
     * load balancer would; then forwards again, and keeps accepting new connections.
     */
    public void cutConnections() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the peer may be gone already
            }
        }
        sockets.clear();
        thaw();
    }

    /** Stops listening and closes every relayed connection. */
    @Override
    public void close() {
        thaw();
        try {
            listener.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the peer may be gone already
            }
        }
    }

    private void acceptForever() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(server);
                daemon("freezing-proxy-up", () -> pump(client, server, false));
                daemon("freezing-proxy-down", () -> pump(server, client, true));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean answers) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitThawed(answers);
                if (from.isClosed() || to.isClosed()) {
                    return; // cut while held: what was held is dropped
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException ended) {
            // one side closed: the relay of this connection ends
        }
    }

    private void awaitThawed(boolean answers) throws InterruptedException {
        synchronized (gate) {
            while (frozen || (answers && answersHeld)) {
                gate.wait();
            }
        }
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }
}
