package io.github.milvuscdi.internal.cdi;

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
 * stopped answering, which a {@link io.github.milvuscdi.testing.Blackhole} cannot show (it never
 * answers at all, so nothing ever connects).
 *
 * <p>Thread-safe. Close it when done.
 */
final class FreezingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean frozen;

    private FreezingProxy(ServerSocket listener, String targetHost, int targetPort) {
        this.listener = listener;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        daemon("freezing-proxy-" + listener.getLocalPort(), this::acceptForever);
    }

    /** Relays a free loopback port to {@code targetHost:targetPort}. */
    static FreezingProxy to(String targetHost, int targetPort) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            return new FreezingProxy(listener, targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a proxy on a loopback port: " + e.getMessage(), e);
        }
    }

    /** {@code 127.0.0.1:port}. */
    String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:port}. */
    String uri() {
        return "http://" + address();
    }

    /** Stops forwarding bytes, in both directions, on every connection; connections stay open. */
    void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    /** Forwards again, including what was held while frozen. */
    void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

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
                daemon("freezing-proxy-up", () -> pump(client, server));
                daemon("freezing-proxy-down", () -> pump(server, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitThawed();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException ended) {
            // one side closed: the relay of this connection ends
        }
    }

    private void awaitThawed() throws InterruptedException {
        synchronized (gate) {
            while (frozen) {
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
