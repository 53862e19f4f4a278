package io.github.milvuscdi.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A free loopback port, held for this JVM until {@link #release()}, across stops and restarts of
 * the server that uses it.
 *
 * <p>Why more than "bind port 0 and close": milvus-lite's gRPC server (grpcio) binds with
 * {@code SO_REUSEPORT}, so two milvus-lite processes given the same port both start and the kernel
 * splits connections between them, silently. And a stopped server's port is free until its
 * restart, when another server could take it. So each port handed out here is also recorded: in a
 * set for this JVM, and as a lock on {@code <tmpdir>/milvus-cdi-ports/<port>.lock} for the other
 * JVMs (surefire forks, other Maven modules) that use this class. The lock files stay behind, empty:
 * deleting a lock file while another process may be opening it would break the exclusion.
 *
 * <p>Thread-safe.
 */
final class PortReservation {

    private static final Set<Integer> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 100;

    private final int port;
    private final FileChannel channel;
    private final FileLock lock;

    private PortReservation(int port, FileChannel channel, FileLock lock) {
        this.port = port;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Finds a loopback port that nothing listens on and that no other user of this class holds.
     *
     * @throws IllegalStateException when none was found after many attempts
     */
    static PortReservation reserve() {
        Path folder = folder();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            PortReservation reservation = tryReserve(folder, freePort());
            if (reservation != null) {
                return reservation;
            }
        }
        throw new IllegalStateException("Found no free loopback port after " + ATTEMPTS
                + " attempts; free some ports, or look for leftover milvus-lite processes (ps -ef | grep milvus-lite)");
    }

    /**
     * Reserves the given port, when nothing listens on it and no other user of this class holds it.
     *
     * @throws IllegalStateException when the port is taken
     */
    static PortReservation reserve(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a port; expected a number from 1 to 65535");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " is in use on the loopback interface ("
                    + e.getMessage() + "); choose another one, or stop what listens there (ss -ltnp | grep :"
                    + port + ")");
        }
        PortReservation reservation = tryReserve(folder(), port);
        if (reservation == null) {
            throw new IllegalStateException(
                    "Port " + port + " is held by another milvus-lite of this test kit;" + " choose another one");
        }
        return reservation;
    }

    private static Path folder() {
        Path folder = Paths.get(System.getProperty("java.io.tmpdir"), "milvus-cdi-ports");
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot create " + folder + " to reserve ports; make java.io.tmpdir" + " writable", e);
        }
        return folder;
    }

    /** The reservation of {@code candidate}, or {@code null} when another user of this class holds it. */
    private static PortReservation tryReserve(Path folder, int candidate) {
        if (!HELD_IN_THIS_JVM.add(candidate)) {
            return null;
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(
                    folder.resolve(candidate + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new PortReservation(candidate, channel, lock);
            }
        } catch (IOException e) {
            // Unusable lock file: try another port.
        }
        closeQuietly(channel);
        HELD_IN_THIS_JVM.remove(candidate);
        return null;
    }

    /** A port nothing listens on right now, chosen by the kernel. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind any loopback port: " + e.getMessage(), e);
        }
    }

    /** The reserved port. */
    int port() {
        return port;
    }

    /** Gives the port back; idempotent. */
    void release() {
        synchronized (this) {
            if (!channel.isOpen()) {
                return;
            }
            try {
                lock.release();
            } catch (IOException ignored) {
                // Closing the channel below releases it too.
            }
            closeQuietly(channel);
        }
        HELD_IN_THIS_JVM.remove(port);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to undo.
        }
    }
}
