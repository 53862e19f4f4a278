package io.github.milvuscdi.helidon;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The notes application on Helidon MP as a separate JVM (Java 21+, see {@link JavaForHelidon}):
 * {@code java -cp <classes>:<jars> io.helidon.microprofile.cdi.Main}, standard output and error in one
 * log file.
 *
 * <p>The class path is the notes WAR's own {@code WEB-INF/classes} (unpacked by the build), copied
 * with a {@code META-INF/beans.xml} and, when given, another {@code microprofile-config.properties};
 * then any extra classes; then the jars of this module's runtime scope (Helidon, the extension, the
 * SDK), listed by the build in the file named by {@code helidon.classpath.file}. Not thread-safe.
 */
final class HelidonApp implements AutoCloseable {

    private static final String MAIN = "io.helidon.microprofile.cdi.Main";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HelidonApp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the application; returns at once, see {@link #awaitStarted}.
     *
     * @param directory the application's class folder and its log go here; emptied first
     * @param configuration the lines of the application's own {@code META-INF/microprofile-config.properties};
     *        {@code null} keeps the notes WAR's file
     * @param extraClasses classes of this test's class path added to the application
     * @param environment added to the process's environment, which otherwise has no {@code MILVUS_*} variable
     */
    static HelidonApp start(Path directory, List<String> configuration, List<Class<?>> extraClasses,
            Map<String, String> environment) {
        Path launcher = JavaForHelidon.launcher();
        Path notesClasses = Paths.get(required("notes.classes"));
        if (!Files.isDirectory(notesClasses.resolve("io/github/milvuscdi/it/notes"))) {
            throw new IllegalStateException("No notes classes under " + notesClasses + "; the build unpacks"
                    + " it-war's WEB-INF/classes there: run ./mvnw -B -pl it-helidon -am verify");
        }
        int port = freePort();
        Path classes = directory.resolve("classes");
        Path log = directory.resolve("helidon.log");
        try {
            deleteRecursively(directory);
            copyRecursively(notesClasses, classes);
            Files.copy(Paths.get(required("helidon.beans.xml")), classes.resolve("META-INF/beans.xml"));
            if (configuration != null) {
                Files.writeString(classes.resolve("META-INF/microprofile-config.properties"),
                        String.join("\n", configuration) + "\n", StandardCharsets.ISO_8859_1);
            }
            for (Class<?> extra : extraClasses) {
                Path target = classes.resolve(extra.getName().replace('.', '/') + ".class");
                Files.createDirectories(target.getParent());
                try (var bytes = extra.getResourceAsStream(extra.getSimpleName() + ".class")) {
                    Files.copy(bytes, target);
                }
            }
            String jars = Files.readString(Paths.get(required("helidon.classpath.file"))).trim();
            List<String> command = new ArrayList<>(List.of(launcher.toString(),
                    "-cp", classes + File.pathSeparator + jars,
                    "-Dserver.host=127.0.0.1", "-Dserver.port=" + port,
                    MAIN));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("MILVUS_"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            return new HelidonApp(process, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Helidon in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until Helidon serves: its log says {@code Server started on}.
     *
     * @throws AssertionError when the JVM exits or the time is up, quoting the log's end
     */
    void awaitStarted(Duration timeout) {
        awaitLog(text -> text.contains("Server started on"), "the server started", timeout);
    }

    /**
     * Waits until the JVM has exited by itself (a failed start).
     *
     * @return the exit code
     * @throws AssertionError when it still runs when the time is up
     */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Helidon still runs after " + timeout.toSeconds() + " s; " + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /**
     * Waits until the whole log passes {@code test}.
     *
     * @return the log at that moment
     * @throws AssertionError when the JVM exits first or the time is up, quoting the log's end
     */
    String awaitLog(Predicate<String> test, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = log();
            if (test.test(text)) {
                return text;
            }
            if (!process.isAlive()) {
                throw new AssertionError("Helidon exited with code " + process.exitValue() + " before " + what
                        + "; " + tail());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Helidon's log never showed " + what + " within " + timeout.toSeconds()
                        + " s; " + tail());
            }
            sleep(POLL);
        }
    }

    /** GET {@code path}, with a 60 s deadline. */
    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** {@code method} {@code path} with a JSON body, with a 60 s deadline. */
    HttpResponse<String> send(String method, String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling Helidon", e);
        }
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The log file: standard output and error of the JVM. */
    Path logFile() {
        return log;
    }

    /** The log so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + log, e);
        }
    }

    /**
     * Stops the JVM as an orchestrator does, with SIGTERM, and waits for it to exit.
     *
     * @return the exit code
     * @throws AssertionError when it has not exited after 60 s (it is then killed)
     */
    int stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("Helidon did not stop within " + STOP_TIMEOUT.toSeconds()
                        + " s of SIGTERM and was killed; " + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while stopping Helidon", e);
        }
        return process.exitValue();
    }

    /** Kills the JVM if it still runs; for clean-up after a failure. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    String tail() {
        List<String> lines = log().lines().filter(line -> !line.isBlank()).toList();
        return "see " + log + ". Last lines:\n    "
                + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("The system property " + property + " is not set; run the tests"
                    + " through Maven (./mvnw -B -pl it-helidon -am verify), which sets it");
        }
        return value;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    private static void copyRecursively(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.createDirectories(target.resolve("META-INF"));
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Helidon", e);
        }
    }
}
