package io.github.milvuscdi.helidon;

import io.github.milvuscdi.harness.AppServerProcess;
import io.github.milvuscdi.harness.TestFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

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

    private final AppServerProcess server;

    private HelidonApp(AppServerProcess server) {
        this.server = server;
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
    static HelidonApp start(
            Path directory, List<String> configuration, List<Class<?>> extraClasses, Map<String, String> environment) {
        Path launcher = JavaForHelidon.launcher();
        Path notesClasses = Paths.get(required("notes.classes"));
        if (!Files.isDirectory(notesClasses.resolve("io/github/milvuscdi/it/notes"))) {
            throw new IllegalStateException("No notes classes under " + notesClasses + "; the build unpacks"
                    + " it-war's WEB-INF/classes there: run ./mvnw -B -pl it-helidon -am verify");
        }
        int port = AppServerProcess.freeLoopbackPort();
        Path classes = directory.resolve("classes");
        Path log = directory.resolve("helidon.log");
        try {
            TestFiles.deleteRecursively(directory);
            TestFiles.copyRecursively(notesClasses, classes);
            Files.createDirectories(classes.resolve("META-INF"));
            Files.copy(Paths.get(required("helidon.beans.xml")), classes.resolve("META-INF/beans.xml"));
            if (configuration != null) {
                Files.writeString(
                        classes.resolve("META-INF/microprofile-config.properties"),
                        String.join("\n", configuration) + "\n",
                        StandardCharsets.ISO_8859_1);
            }
            for (Class<?> extra : extraClasses) {
                Path target = classes.resolve(extra.getName().replace('.', '/') + ".class");
                Files.createDirectories(target.getParent());
                try (var bytes = extra.getResourceAsStream(extra.getSimpleName() + ".class")) {
                    Files.copy(bytes, target);
                }
            }
            String jars = Files.readString(Paths.get(required("helidon.classpath.file")))
                    .trim();
            List<String> command = new ArrayList<>(List.of(
                    launcher.toString(),
                    "-cp",
                    classes + File.pathSeparator + jars,
                    "-Dserver.host=127.0.0.1",
                    "-Dserver.port=" + port,
                    MAIN));
            return new HelidonApp(AppServerProcess.start(
                    "Helidon", new ProcessBuilder(command).directory(directory.toFile()), environment, log, port));
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
        server.awaitLog(text -> text.contains("Server started on"), "the server started", timeout);
    }

    /** Waits until the JVM has exited by itself (a failed start); see {@link AppServerProcess#awaitExit}. */
    int awaitExit(Duration timeout) {
        return server.awaitExit(timeout);
    }

    /** Waits until the whole log passes {@code test}; see {@link AppServerProcess#awaitLog}. */
    String awaitLog(Predicate<String> test, String what, Duration timeout) {
        return server.awaitLog(test, what, timeout);
    }

    /** GET {@code path}, with a 60 s deadline. */
    HttpResponse<String> get(String path) {
        return server.get(path);
    }

    /** {@code method} {@code path} with a JSON body, with a 60 s deadline. */
    HttpResponse<String> send(String method, String path, String json) {
        return server.send(method, path, json);
    }

    /** The log file: standard output and error of the JVM. */
    Path logFile() {
        return server.logFile();
    }

    /** The log so far. */
    String log() {
        return server.log();
    }

    /** Stops the JVM with SIGTERM, bounded; see {@link AppServerProcess#stop}. */
    int stop() {
        return server.stop(STOP_TIMEOUT);
    }

    /** Kills the JVM if it still runs; for clean-up after a failure. */
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
                    + " through Maven (./mvnw -B -pl it-helidon -am verify), which sets it");
        }
        return value;
    }
}
