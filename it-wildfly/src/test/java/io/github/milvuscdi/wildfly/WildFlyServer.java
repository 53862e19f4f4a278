package io.github.milvuscdi.wildfly;

import io.github.milvuscdi.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A WildFly server started from an unpacked distribution with {@code standalone-microprofile.xml},
 * in a process of its own, on a port offset whose ports are free.
 *
 * <p>Each start copies the distribution's {@code standalone/configuration} into a fresh base
 * directory ({@code jboss.server.base.dir}), so every run has its own configuration, data and
 * {@code log/server.log}, and adds a management user to it. {@link #close()} asks the server to
 * shut down through the management API and kills what is left.
 *
 * <pre>{@code
 * try (WildFlyServer wildfly = WildFlyServer.start(home, Path.of("target/wildfly-base"), Map.of())) {
 *     wildfly.management().deploy("notes.war", war);
 * }
 * }</pre>
 */
final class WildFlyServer implements AutoCloseable {

    /** The ports of {@code standalone-microprofile.xml} before the offset. */
    private static final int[] PORTS = {8009, 8080, 8443, 9990, 9993, 4712, 4713};

    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String USER = "milvus-cdi-it";

    private final Process process;
    private final Path baseDir;
    private final int offset;
    private final Management management;

    private WildFlyServer(Process process, Path baseDir, int offset, Management management) {
        this.process = process;
        this.baseDir = baseDir;
        this.offset = offset;
        this.management = management;
    }

    /**
     * Starts WildFly and waits until it is running.
     *
     * @param home the unpacked distribution ({@code bin/standalone.sh} in it)
     * @param baseDir where this run's configuration, data and logs go; emptied first
     * @param environment added to the server process's environment, which otherwise has no {@code MILVUS_*} variable
     * @throws IllegalStateException when the distribution is missing, or WildFly does not boot
     *         cleanly within three minutes (the message carries the end of its log)
     */
    static WildFlyServer start(Path home, Path baseDir, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path script = home.resolve("bin/standalone.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("No WildFly at " + home + " (no bin/standalone.sh): run the build with"
                    + " 'verify' so that maven-dependency-plugin unpacks org.wildfly:wildfly-dist first");
        }
        deleteRecursively(baseDir);
        Files.createDirectories(baseDir);
        copyRecursively(home.resolve("standalone/configuration"), baseDir.resolve("configuration"));
        String password = UUID.randomUUID().toString();
        addManagementUser(baseDir.resolve("configuration"), USER, password);

        int offset = freeOffset();
        Path console = baseDir.resolve("console.log");
        List<String> command = new ArrayList<>(List.of(
                "/bin/sh",
                script.toString(),
                "-c",
                "standalone-microprofile.xml",
                "-Djboss.socket.binding.port-offset=" + offset,
                "-Djboss.server.base.dir=" + baseDir.toAbsolutePath()));
        // what one server needs, from the build: WildFly Preview's
        // -Dorg.wildfly.unsupported.skip.jakarta.transformer=true
        String options = System.getProperty("wildfly.server.options", "").trim();
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JAVA_OPTS");
        builder.environment().put("NOPAUSE", "true");
        builder.environment().keySet().removeIf(name -> name.startsWith("MILVUS_"));
        builder.environment().putAll(environment);
        WildFlyServer server =
                new WildFlyServer(builder.start(), baseDir, offset, new Management(9990 + offset, USER, password));
        try {
            server.awaitRunning();
        } catch (RuntimeException failed) {
            server.close();
            throw failed;
        }
        return server;
    }

    /** @return the management API */
    Management management() {
        return management;
    }

    /** @return the port offset the server runs with */
    int offset() {
        return offset;
    }

    /** @return the base URI of the HTTP listener, e.g. {@code http://127.0.0.1:18080/} */
    String httpBase() {
        return "http://127.0.0.1:" + (8080 + offset) + "/";
    }

    /** @return the base URI of the management interface, where {@code /health} is served */
    String managementBase() {
        return management.base().toString();
    }

    /** @return this run's {@code server.log} */
    Path serverLog() {
        return baseDir.resolve("log/server.log");
    }

    /** @return what {@code standalone.sh} printed (the console handler's copy of the log, and the JVM's own output) */
    Path consoleLog() {
        return baseDir.resolve("console.log");
    }

    /** @return the server log as it is now; empty when there is none yet */
    String serverLogText() {
        try {
            return Files.exists(serverLog()) ? Files.readString(serverLog(), StandardCharsets.UTF_8) : "";
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    private void awaitRunning() {
        String state = Await.last(this::bootState, s -> !s.equals("booting"), BOOT_TIMEOUT);
        if (state.equals("exited")) {
            throw new IllegalStateException("WildFly exited with " + process.exitValue() + " while booting; " + tail());
        }
        if (!state.equals("running")) {
            throw new IllegalStateException(
                    "WildFly did not reach 'running' within " + BOOT_TIMEOUT.toSeconds() + " s; " + tail());
        }
        String log = serverLogText();
        if (log.contains("started (with errors)") || !log.contains("WFLYSRV0025")) {
            throw new IllegalStateException("WildFly booted with errors; " + tail());
        }
    }

    /** @return {@code running}, {@code exited}, or {@code booting} while the server does not say it runs */
    private String bootState() {
        if (!process.isAlive()) {
            return "exited";
        }
        try {
            return "running".equals(management.serverState()) ? "running" : "booting";
        } catch (IOException notYet) {
            return "booting";
        }
    }

    /** Shuts WildFly down through the management API, then kills whatever is left of its processes. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        if (process.isAlive()) {
            try {
                management.shutdown();
            } catch (IOException unreachable) {
                // killed below
            }
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception stillRunning) {
                handle.destroyForcibly();
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private String tail() {
        String log = serverLogText();
        if (log.isEmpty()) {
            try {
                log = Files.exists(consoleLog()) ? Files.readString(consoleLog()) : "";
            } catch (IOException unreadable) {
                log = "";
            }
        }
        String tail = log.length() > 6000 ? log.substring(log.length() - 6000) : log;
        return "see " + serverLog() + "; it ends with:\n" + tail;
    }

    /** Picks an offset at random whose seven ports are all free on the loopback interface. */
    private static int freeOffset() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int offset = ThreadLocalRandom.current().nextInt(100, 550) * 100;
            boolean free = true;
            for (int port : PORTS) {
                free &= isFree(port + offset);
            }
            if (free) {
                return offset;
            }
        }
        throw new IllegalStateException("Found no port offset whose ports " + java.util.Arrays.toString(PORTS)
                + " are all free on 127.0.0.1 after 100 attempts");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** Writes a user of the {@code ManagementRealm} as {@code bin/add-user.sh} would: {@code user=HEX(MD5(user:realm:password))}. */
    private static void addManagementUser(Path configuration, String user, String password) throws IOException {
        String hash;
        try {
            hash = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5")
                            .digest((user + ":ManagementRealm:" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
        Files.writeString(
                configuration.resolve("mgmt-users.properties"),
                "\n" + user + "=" + hash + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>();
            paths.forEach(all::add);
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.delete(all.get(i));
            }
        }
    }

    @Override
    public String toString() {
        return "WildFly[offset " + offset + ", " + baseDir + "]";
    }
}
