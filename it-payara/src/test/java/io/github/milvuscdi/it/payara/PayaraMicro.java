package io.github.milvuscdi.it.payara;

import io.github.milvuscdi.harness.AppServerProcess;
import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.harness.TestFiles;
import io.github.milvuscdi.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

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

    private final AppServerProcess server;

    private PayaraMicro(AppServerProcess server) {
        this.server = server.cleaningLog(log -> ANSI.matcher(log).replaceAll(""));
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
    static PayaraMicro start(
            Path directory, List<Path> wars, Map<String, String> systemProperties, Map<String, String> environment) {
        Path jar = Paths.get(required("payara.micro.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No Payara Micro at " + jar + "; the build copies it there in the"
                    + " pre-integration-test phase: run ./mvnw -pl it-war,it-payara verify");
        }
        int port = AppServerProcess.freeLoopbackPort();
        List<String> command = new ArrayList<>();
        command.add(java().toString());
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        for (Path war : wars) {
            command.addAll(List.of("--deploy", war.toString()));
        }
        command.addAll(List.of(
                "--port",
                Integer.toString(port),
                "--nocluster",
                "--rootdir",
                directory.resolve("root").toString()));
        Path log = directory.resolve("server.log");
        try {
            TestFiles.deleteRecursively(directory);
            Files.createDirectories(directory);
            return new PayaraMicro(AppServerProcess.start(
                    "Payara Micro", new ProcessBuilder(command).directory(directory.toFile()), environment, log, port));
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
        server.awaitLog(log -> READY.matcher(log).find(), "Payara Micro ready", timeout);
        HttpResponse<String> listed = Await.until(
                () -> get("/health/ready"),
                response -> !server.isAlive()
                        || (response.statusCode() == 200 || response.statusCode() == 503)
                                && listsCheck(response, check),
                CHECK_LISTED_WITHIN,
                last -> last.statusCode() + " " + last.body() + "; " + server.tail());
        if (!server.isAlive()) {
            throw new AssertionError("Payara Micro exited before the deployment; " + server.tail());
        }
        assertListed(listed, check);
    }

    private static boolean listsCheck(HttpResponse<String> response, String check) {
        try {
            return ReadinessReport.parse(response.body()).hasCheck(check);
        } catch (IllegalArgumentException notAReport) {
            return false;
        }
    }

    private static void assertListed(HttpResponse<String> response, String check) {
        if (!listsCheck(response, check)) {
            throw new AssertionError("/health/ready does not list the check '" + check + "': " + response.body());
        }
    }

    /**
     * Waits until the log has a line that passes {@code test}.
     *
     * @return the log at that moment
     * @throws AssertionError when Payara Micro exits first or the time is up, quoting the log's end
     */
    String awaitLog(Predicate<String> test, String what, Duration timeout) {
        return server.awaitLog(log -> log.lines().anyMatch(test), what, timeout);
    }

    /** GET {@code path} on this server, with a 60 s deadline. */
    HttpResponse<String> get(String path) {
        return server.get(path);
    }

    /** {@code method} {@code path} with a JSON body, with a 60 s deadline. */
    HttpResponse<String> send(String method, String path, String json) {
        return server.send(method, path, json);
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    URI uri(String path) {
        return server.uri(path);
    }

    /** The log file: standard output and error of the whole run. */
    Path logFile() {
        return server.logFile();
    }

    /** The log so far, without the colours Payara's console formatter adds. */
    String log() {
        return server.log();
    }

    /**
     * Stops Payara Micro as an orchestrator does, with SIGTERM, and waits for the JVM to exit.
     *
     * @return the exit code
     * @throws AssertionError when it has not exited after 60 s (it is then killed)
     */
    int stop() {
        return server.stop(STOP_TIMEOUT);
    }

    /** Kills Payara Micro if it still runs; for clean-up after a failure. */
    @Override
    public void close() {
        server.close();
    }

    /**
     * The {@code java} that runs Payara Micro: {@code payara.java}, else the test's own, checked to be
     * at least {@code payara.java.minimum} so that a missing JDK fails here, naming what to install,
     * rather than as an {@code UnsupportedClassVersionError} in Payara's log.
     */
    private static Path java() {
        String configured = System.getProperty("payara.java", "");
        Path java = configured.isBlank()
                ? Paths.get(System.getProperty("java.home"), "bin", "java")
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
            Process process = new ProcessBuilder(java.toString(), "-version")
                    .redirectErrorStream(true)
                    .start();
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
}
