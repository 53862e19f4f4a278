package io.github.milvuscdi.openliberty;

import io.github.milvuscdi.harness.AppServerProcess;
import io.github.milvuscdi.harness.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open Liberty as a separate process: {@code wlp/bin/server run notes}, with a user directory of its
 * own ({@code WLP_USER_DIR}) holding {@code server.xml}, a {@code bootstrap.properties} with two free
 * loopback ports, and the WARs in {@code dropins/}.
 *
 * <pre>{@code
 * OpenLiberty liberty = OpenLiberty.start(runDirectory, Map.of("notes.war", war), Map.of("MILVUS_CONNECTIONS_DEFAULT_URI", uri));
 * liberty.awaitApplicationStarted("notes", Duration.ofMinutes(5));
 * HttpResponse<String> ready = liberty.get("/health/ready");
 * liberty.stop();
 * }</pre>
 *
 * <p>The server script runs the JVM in its own process ({@code exec java}), so {@link #pid()} is the
 * server's JVM, which {@code jcmd} inspects. The installation comes from the system property
 * {@code liberty.home}, {@code server.xml} from {@code liberty.server.xml} (both set by the build).
 * Not thread-safe.
 */
final class OpenLiberty implements AutoCloseable {

    static final String SERVER = "notes";
    private static final Pattern SERVER_READY = Pattern.compile("CWWKF0011I: The " + SERVER + " server is ready");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern THREAD_NAME = Pattern.compile("^\"(.*)\" #\\d+", Pattern.MULTILINE);

    private final AppServerProcess server;
    private final Path serverDirectory;

    private OpenLiberty(AppServerProcess server, Path serverDirectory) {
        this.serverDirectory = serverDirectory;
        this.server =
                server.logIn(serverDirectory.resolve("logs/messages.log")).diagnosedBy(() -> threadDump("timeout"));
    }

    /**
     * Starts the server with {@code wars} in {@code dropins/}; returns at once, see
     * {@link #awaitApplicationStarted}.
     *
     * @param directory the user directory and the console log go here; emptied first
     * @param wars file name in {@code dropins/} to the WAR to copy there
     * @param environment added to the server's environment, which otherwise has no {@code MILVUS_*} variable
     */
    static OpenLiberty start(Path directory, Map<String, Path> wars, Map<String, String> environment) {
        Path home = Paths.get(required("liberty.home"));
        Path script = home.resolve("bin/server");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("No Open Liberty at " + home + "; the build unpacks it there in the"
                    + " pre-integration-test phase: run ./mvnw -B -pl it-openliberty -am verify");
        }
        int port = AppServerProcess.freeLoopbackPort();
        int securePort = AppServerProcess.freeLoopbackPort();
        Path userDirectory = directory.resolve("usr");
        Path serverDirectory = userDirectory.resolve("servers").resolve(SERVER);
        Path console = directory.resolve("console.log");
        List<String> command = List.of(script.toString(), "run", SERVER);
        try {
            TestFiles.deleteRecursively(directory);
            Files.createDirectories(serverDirectory.resolve("dropins"));
            Files.copy(Paths.get(required("liberty.server.xml")), serverDirectory.resolve("server.xml"));
            Files.writeString(
                    serverDirectory.resolve("bootstrap.properties"),
                    "http.port=" + port + "\nhttps.port=" + securePort + "\n");
            for (Map.Entry<String, Path> war : wars.entrySet()) {
                Files.copy(war.getValue(), serverDirectory.resolve("dropins").resolve(war.getKey()));
            }
            Map<String, String> variables = new java.util.HashMap<>(environment);
            // the JVM that runs the tests runs the server too (Java 17)
            variables.put("JAVA_HOME", System.getProperty("java.home"));
            variables.put("WLP_USER_DIR", userDirectory.toString());
            return new OpenLiberty(
                    AppServerProcess.start(
                            "Open Liberty",
                            new ProcessBuilder(command).directory(directory.toFile()),
                            variables,
                            console,
                            port),
                    serverDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Open Liberty: " + String.join(" ", command), e);
        }
    }

    /**
     * Waits until the server says it is ready and has started application {@code name}
     * ({@code CWWKZ0001I}, or {@code CWWKZ0003I} after an update).
     *
     * @throws AssertionError when the server exits, the application fails to start, or the time is up
     */
    void awaitApplicationStarted(String name, Duration timeout) {
        Pattern started = Pattern.compile("CWWKZ000[13]I: (The )?[Aa]pplication " + Pattern.quote(name) + " ");
        Pattern failed = Pattern.compile("CWWKZ000[24]E: .*\\b" + Pattern.quote(name) + "\\b");
        awaitLog(
                log -> {
                    if (failed.matcher(log).find()) {
                        throw new AssertionError("Application " + name + " failed to start; " + tail());
                    }
                    return SERVER_READY.matcher(log).find()
                            && started.matcher(log).find();
                },
                "the server ready with application " + name + " started",
                timeout);
    }

    /**
     * Waits until the whole of {@code messages.log} passes {@code test}; see {@link AppServerProcess#awaitLog}.
     *
     * @return the log at that moment
     */
    String awaitLog(Predicate<String> test, String what, Duration timeout) {
        return server.awaitLog(test, what, timeout);
    }

    /** How often {@code pattern} occurs in {@code messages.log}. */
    long count(Pattern pattern) {
        return pattern.matcher(messages()).results().count();
    }

    /**
     * Replaces {@code dropins/<name>} by {@code war}, as a deployment tool would: written beside it and
     * moved in at once, with a modification time the server has not seen, so that its polling notices.
     */
    void replaceInDropins(String name, Path war, int generation) {
        Path dropins = serverDirectory.resolve("dropins");
        Path staging = serverDirectory.resolve(name + ".staging");
        try {
            Files.copy(war, staging, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(staging, FileTime.from(Instant.now().plusSeconds(generation)));
            Files.move(
                    staging,
                    dropins.resolve(name),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot place " + war + " in " + dropins, e);
        }
    }

    /** Removes {@code dropins/<name>}; the server undeploys it. */
    void removeFromDropins(String name) {
        try {
            Files.deleteIfExists(serverDirectory.resolve("dropins").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET {@code path} on this server, with a 60 s deadline. */
    HttpResponse<String> get(String path) {
        return server.get(path);
    }

    /**
     * Sends {@code count} GETs of {@code path} at once and waits for every answer (30 s deadline each),
     * so that as many of the server's request threads serve them.
     */
    void getInParallel(String path, int count) {
        List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(server.http()
                    .sendAsync(
                            HttpRequest.newBuilder(server.uri(path))
                                    .timeout(Duration.ofSeconds(30))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding()));
        }
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(
                    "Parallel GETs of " + path + " did not all answer: " + e + "; "
                            + threadDump("parallel-get-timeout"),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code method} {@code path} with a JSON body, with a 60 s deadline. */
    HttpResponse<String> send(String method, String path, String json) {
        return server.send(method, path, json);
    }

    /** The server's JVM. */
    long pid() {
        return server.pid();
    }

    /** The names of the server JVM's live threads, from {@code jcmd Thread.print}. */
    List<String> threadNames() {
        List<String> names = new ArrayList<>();
        Matcher matcher = THREAD_NAME.matcher(jcmd("Thread.print"));
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        if (names.isEmpty()) {
            throw new AssertionError("jcmd Thread.print listed no thread of process " + pid());
        }
        return names;
    }

    /**
     * How many copies of class {@code className} the server's JVM holds, each from its own class loader,
     * after a full collection ({@code jcmd GC.run}, then {@code VM.class_hierarchy}): a deployment whose
     * class loader is still reachable keeps its copy.
     */
    long loadedCopiesAfterGc(String className) {
        jcmd("GC.run");
        return jcmd("VM.class_hierarchy", className)
                .lines()
                .filter(line -> line.contains(className + "/"))
                .count();
    }

    /** Runs {@code jcmd <pid> <arguments>} with the test JVM's JDK, bounded; returns its output. */
    String jcmd(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(pid()));
        command.addAll(List.of(arguments));
        try {
            Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
            jcmd.getOutputStream().close();
            byte[] output = jcmd.getInputStream().readAllBytes();
            if (!jcmd.waitFor(JCMD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                throw new AssertionError("jcmd did not finish within " + JCMD_TIMEOUT.toSeconds() + " s: " + command);
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (jcmd.exitValue() != 0) {
                throw new AssertionError("jcmd failed (" + jcmd.exitValue() + "): " + command + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the server JVM's threads ({@code jcmd Thread.print}) beside its log, for a failure message.
     *
     * @return where the dump is, or why there is none; never throws
     */
    String threadDump(String name) {
        Path file = serverDirectory.resolve("logs/threads-" + name + "-" + System.currentTimeMillis() + ".txt");
        try {
            Files.writeString(file, jcmd("Thread.print"));
            return "the server's threads are in " + file;
        } catch (RuntimeException | Error | IOException failed) {
            return "no thread dump (" + failed + ")";
        }
    }

    /** The server's own log, {@code logs/messages.log}: every logger, the SDK's included. */
    Path messagesFile() {
        return serverDirectory.resolve("logs/messages.log");
    }

    /** {@code messages.log} so far; empty before the server created it. */
    String messages() {
        return server.log();
    }

    /**
     * Stops the server as an orchestrator does, with SIGTERM, and waits for the JVM to exit.
     *
     * @return the exit code
     * @throws AssertionError when it has not exited after 60 s (it is then killed, after a thread dump)
     */
    int stop() {
        return server.stop(STOP_TIMEOUT);
    }

    /** Kills the server if it still runs; for clean-up after a failure. */
    @Override
    public void close() {
        server.close();
    }

    String tail() {
        return server.tail();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("The system property " + property + " is not set; run the tests"
                    + " through Maven (./mvnw -B -pl it-openliberty -am verify), which sets it");
        }
        return value;
    }
}
