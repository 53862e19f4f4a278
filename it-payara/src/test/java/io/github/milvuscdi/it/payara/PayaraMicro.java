package io.github.milvuscdi.it.payara;

import io.github.milvuscdi.testing.ReadinessReport;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Payara Micro as a separate process: {@code java -jar payara-micro.jar --deploy <war> --port <free>
 * --nocluster}, its standard output and error in one log file.
 *
 * <p>Which Payara Micro, and on which Java, the build says in system properties: {@code payara.micro.jar},
 * and {@code payara.java} (a {@code java} executable; the test's own JVM when unset) with
 * {@code payara.java.minimum} (the feature version that Payara Micro needs, e.g. 21 for Payara 7).
 *
 * <pre>{@code
 * PayaraMicro payara = PayaraMicro.start(directory, List.of(war), Map.of("milvus.connections.archive.uri", uri), Map.of());
 * payara.awaitDeployed(Duration.ofMinutes(5));
 * HttpResponse<String> ready = payara.get("/health/ready");
 * payara.stop();
 * }</pre>
 *
 * <p>Each WAR gets its file name as context root ({@code notes.war}: {@code /notes}), as a user's
 * would. Not {@code /}: with the WAR at the root, {@code /health} answered on threads that carried
 * the WAR's class loader (seen on Payara Micro 6 and 7), which hid issue 18, a readiness check that
 * read the configuration of whatever class loader the calling thread had. Not thread-safe.
 */
final class PayaraMicro implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("Payara Micro \\S+ \\(build \\S+\\) ready in");
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*m");
    private static final Duration CHECK_LISTED_WITHIN = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PayaraMicro(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts Payara Micro deploying {@code wars}; returns at once, see {@link #awaitDeployed}.
     *
     * @param directory where the log ({@code server.log}) and Payara's root directory go; emptied first
     * @param systemProperties passed as {@code -Dkey=value}
     * @param environment added to the process's environment, which otherwise has no {@code MILVUS_*} variable
     * @throws IllegalStateException when the system property {@code payara.micro.jar} names no file, or
     *         {@code payara.java} no Java of at least {@code payara.java.minimum}
     */
    static PayaraMicro start(Path directory, List<Path> wars, Map<String, String> systemProperties,
            Map<String, String> environment) {
        Path jar = Paths.get(required("payara.micro.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No Payara Micro at " + jar + "; the build copies it there in the"
                    + " pre-integration-test phase: run ./mvnw -pl it-war,it-payara verify");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        for (Path war : wars) {
            command.addAll(List.of("--deploy", war.toString()));
        }
        command.addAll(List.of("--port", Integer.toString(port), "--nocluster",
                "--rootdir", directory.resolve("root").toString()));
        Path log = directory.resolve("server.log");
        try {
            deleteRecursively(directory);
            Files.createDirectories(directory);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("MILVUS_"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            return new PayaraMicro(process, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Payara Micro: " + String.join(" ", command), e);
        }
    }

    /**
     * Waits until Payara Micro has deployed its WARs and serves them: its log says
     * {@code Payara Micro ... ready in}, and {@code /health/ready} lists the check {@code check} (with 200
     * or 503). Either alone is not enough: the health endpoint lists the WAR's checks as soon as its
     * beans are deployed, before its web context is loaded (requests to it get 404 or 403 until then),
     * and answers 404 or an empty report before that.
     *
     * @throws AssertionError when Payara Micro exits or the time is up, quoting the log's end
     */
    void awaitDeployed(String check, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long readySince = 0;
        String last = "no answer";
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("Payara Micro exited with code " + process.exitValue()
                        + " before the deployment; " + tail());
            }
            if (readySince == 0 && READY.matcher(log()).find()) {
                readySince = System.nanoTime();
            }
            if (readySince != 0) {
                try {
                    HttpResponse<String> response = get("/health/ready");
                    last = response.statusCode() + " " + response.body();
                    if ((response.statusCode() == 200 || response.statusCode() == 503)
                            && ReadinessReport.parse(response.body()).hasCheck(check)) {
                        return;
                    }
                } catch (UncheckedIOException | IllegalArgumentException notYet) {
                    last = notYet.getMessage();
                }
                if (System.nanoTime() - readySince > CHECK_LISTED_WITHIN.toNanos()) {
                    throw new AssertionError("Payara Micro is ready, but /health/ready has not listed the check '"
                            + check + "' within " + CHECK_LISTED_WITHIN.toSeconds() + " s; last answer: " + last
                            + "; " + tail());
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Payara Micro did not deploy within " + timeout.toSeconds() + " s; " + tail());
            }
            sleep(POLL);
        }
    }

    /**
     * Waits until the log has a line that passes {@code test}.
     *
     * @return the log at that moment
     * @throws AssertionError when the time is up, quoting the log's end
     */
    String awaitLog(Predicate<String> test, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = log();
            if (text.lines().anyMatch(test)) {
                return text;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("The log of Payara Micro never showed " + what + " within "
                        + timeout.toSeconds() + " s; " + tail());
            }
            sleep(POLL);
        }
    }

    /** GET {@code path} on this server, with a 30 s deadline. */
    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** {@code method} {@code path} with a JSON body, with a 30 s deadline. */
    HttpResponse<String> send(String method, String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling Payara Micro", e);
        }
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The log file: standard output and error of the whole run. */
    Path logFile() {
        return log;
    }

    /** The log so far, without the colours Payara's console formatter adds. */
    String log() {
        try {
            return ANSI.matcher(Files.readString(log, StandardCharsets.UTF_8)).replaceAll("");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + log, e);
        }
    }

    /**
     * Stops Payara Micro as an orchestrator does, with SIGTERM, and waits for the JVM to exit.
     *
     * @return the exit code
     * @throws AssertionError when it has not exited after 60 s (it is then killed)
     */
    int stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("Payara Micro did not stop within " + STOP_TIMEOUT.toSeconds()
                        + " s of SIGTERM and was killed; " + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while stopping Payara Micro", e);
        }
        return process.exitValue();
    }

    /** Kills Payara Micro if it still runs; for clean-up after a failure. */
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

    private String tail() {
        List<String> lines = log().lines().filter(line -> !line.isBlank()).toList();
        return "see " + log + ". Last lines:\n    "
                + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /**
     * The {@code java} that runs Payara Micro: {@code payara.java}, else the test's own, checked to be
     * at least {@code payara.java.minimum} so that a missing JDK fails here, naming what to install,
     * rather than as an {@code UnsupportedClassVersionError} in Payara's log.
     */
    private static Path java() {
        String configured = System.getProperty("payara.java", "");
        Path java = configured.isBlank() ? Paths.get(System.getProperty("java.home"), "bin", "java")
                : Paths.get(configured);
        int minimum = Integer.parseInt(System.getProperty("payara.java.minimum", "17"));
        String fix = "Payara Micro " + System.getProperty("payara.micro.version", "") + " needs Java " + minimum
                + " or later: install a JDK " + minimum + "+ (e.g. Temurin 25 in /usr/lib/jvm/temurin-25-jdk-amd64)"
                + " and pass its java to the build with -Dpayara7.java=/path/to/jdk/bin/java";
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException("No Java at " + java + ". " + fix);
        }
        int feature = featureVersion(java);
        if (feature < minimum) {
            throw new IllegalStateException(java + " is Java " + feature + ". " + fix);
        }
        return java;
    }

    /** Runs {@code java -version} and reads the feature version from its first line ({@code ... version "25.0.1" ...}). */
    private static int featureVersion(Path java) {
        try {
            Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(java + " -version did not answer within 30 s");
            }
            var version = Pattern.compile("version \"(\\d+)").matcher(output);
            if (!version.find()) {
                throw new IllegalStateException("Cannot read the version of " + java + " from: " + output);
            }
            return Integer.parseInt(version.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + java + " -version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking " + java + " for its version", e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("The system property " + property + " is not set; run the tests"
                    + " through Maven (./mvnw -pl it-war,it-payara verify), which sets it");
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Payara Micro", e);
        }
    }
}
