package io.github.milvuscdi.wildfly;

import io.github.milvuscdi.harness.SilentListener;
import io.github.milvuscdi.harness.WarFiles;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What every integration test of this module shares: one WildFly for the whole run (WildFly, or
 * WildFly Preview: whichever {@code wildfly.home} names), two milvus-lite servers ({@code default}
 * and {@code archive}), and the notes WAR configured for them as a user would, with no system
 * property: its own {@code META-INF/microprofile-config.properties}, rewritten to name this run's
 * servers, holds alias {@code default} (with a password) and the keys of {@code archive} but its
 * location and token, which come only from environment variables of WildFly's process. A third
 * alias, {@code idle}, points at a {@link SilentListener}; the file enables its health check and the
 * environment turns it off again, so nothing may ever connect to it.
 *
 * <p>Started by the first test class that asks for it (a {@code WildFlyRun} parameter, with
 * {@code @ExtendWith(WildFlyRun.Extension.class)}) and stopped when the whole run ends: it lives in
 * JUnit's root store. The threads the SDK's gRPC and Netty name are counted right after WildFly
 * booted, before any deployment.
 */
final class WildFlyRun implements ExtensionContext.Store.CloseableResource {

    /** The WAR under test: {@code it-war}'s, with its configuration file rewritten; its context root is {@code /notes}. */
    static final String NOTES = "notes.war";

    /** Names of the threads that gRPC and Netty (shaded in the SDK) start, and ours. */
    static final Pattern SDK_THREADS = Pattern.compile("(?i).*(grpc|netty|globalEventExecutor|ObjectCleaner|milvus).*");

    /** The configuration's secrets: generated per run, so that finding one in a log cannot be chance. */
    private static final String USER = "notes";

    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String TOKEN = "tok-" + UUID.randomUUID();

    final MilvusLiteServer current;
    final MilvusLiteServer archive;
    final SilentListener idle;
    final WildFlyServer wildfly;
    final List<String> threadsAtBoot;
    private final Path war;

    private WildFlyRun(
            MilvusLiteServer current, MilvusLiteServer archive, SilentListener idle, WildFlyServer wildfly, Path war) {
        this.current = current;
        this.archive = archive;
        this.idle = idle;
        this.wildfly = wildfly;
        this.war = war;
        this.threadsAtBoot = sdkThreads();
    }

    private static WildFlyRun start() throws IOException, InterruptedException {
        Path home = Path.of(required("wildfly.home"));
        Path notesWar = Path.of(required("wildfly.war"));
        if (!Files.isRegularFile(notesWar)) {
            throw new IllegalStateException(
                    "No WAR at " + notesWar + ": build it-war first (the build copies it here)");
        }
        Path base = Path.of(System.getProperty("wildfly.base", "target/wildfly-base"));
        List<AutoCloseable> started = new ArrayList<>();
        try {
            MilvusLiteServer current = MilvusLiteServer.start("wildfly-default");
            started.add(current);
            MilvusLiteServer archive = MilvusLiteServer.start("wildfly-archive");
            started.add(archive);
            SilentListener idle = SilentListener.open();
            started.add(idle);
            Path war = WarFiles.withConfiguration(
                    notesWar,
                    file -> pointAt(file, current, idle),
                    base.resolveSibling(base.getFileName() + "-wars").resolve(NOTES));
            WildFlyServer wildfly = WildFlyServer.start(
                    home,
                    base,
                    Map.of(
                            "MILVUS_CONNECTIONS_ARCHIVE_URI",
                            archive.uri(),
                            "MILVUS_CONNECTIONS_ARCHIVE_TOKEN",
                            TOKEN,
                            "MILVUS_CONNECTIONS_IDLE_HEALTH_ENABLED",
                            "false"));
            started.add(wildfly);
            return new WildFlyRun(current, archive, idle, wildfly, war);
        } catch (IOException | InterruptedException | RuntimeException failed) {
            for (AutoCloseable resource : started) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    failed.addSuppressed(ignored);
                }
            }
            throw failed;
        }
    }

    /** Edits the WAR's own microprofile-config.properties (its tuning for milvus-lite stays). */
    private static void pointAt(Map<String, String> file, MilvusLiteServer current, SilentListener idle) {
        file.put("milvus.connections.default.uri", current.uri());
        file.put("milvus.connections.default.user", USER);
        file.put("milvus.connections.default.password", PASSWORD);
        if (file.remove("milvus.connections.archive.uri") == null) { // its uri and token: only in the environment
            throw new IllegalStateException("The notes WAR's file no longer names milvus.connections.archive.uri");
        }
        file.put("milvus.connections.idle.uri", idle.uri());
        file.put("milvus.connections.idle.health.enabled", "true"); // MILVUS_CONNECTIONS_IDLE_HEALTH_ENABLED=false wins
    }

    /** @return every form in which a secret of the configuration could leak: as is, and as the SDK sends it */
    List<String> secrets() {
        Base64.Encoder base64 = Base64.getEncoder();
        return List.of(
                PASSWORD,
                TOKEN,
                base64.encodeToString((USER + ":" + PASSWORD).getBytes()),
                base64.encodeToString(TOKEN.getBytes()));
    }

    /** @return the names of the live threads of WildFly's JVM that gRPC, Netty or Milvus CDI started, sorted */
    List<String> sdkThreads() {
        return wildfly.management().threadNames().stream()
                .filter(name -> SDK_THREADS.matcher(name).matches())
                .sorted()
                .toList();
    }

    /** Deploys the notes WAR; fails the test with WildFly's description when it does not deploy. */
    void deployNotes() throws IOException {
        var answer = wildfly.management().deploy(NOTES, war);
        if (!"success".equals(answer.get("outcome").getAsString())) {
            throw new AssertionError("notes.war did not deploy: " + answer.get("failure-description"));
        }
    }

    /**
     * Deploys a copy of the notes WAR under another name, and so at another context root, with its
     * configuration file edited further; fails the test when it does not deploy.
     *
     * @param name the deployment's name, e.g. {@code traced.war} (context root {@code /traced})
     * @param edit changes the keys and values of the copy's {@code microprofile-config.properties}
     */
    void deployNotesAs(String name, Consumer<Map<String, String>> edit) throws IOException {
        Path copy = WarFiles.withConfiguration(war, edit, war.resolveSibling(name));
        var answer = wildfly.management().deploy(name, copy);
        if (!"success".equals(answer.get("outcome").getAsString())) {
            throw new AssertionError(name + " did not deploy: " + answer.get("failure-description"));
        }
    }

    /** @return the URI of an endpoint of the notes WAR, e.g. {@code notes("api/notebooks/default/...")} */
    String notes(String path) {
        return application("notes", path);
    }

    /** @return the URI of an endpoint of a deployment, e.g. {@code application("traced", "api/...")} */
    String application(String contextRoot, String path) {
        return wildfly.httpBase() + contextRoot + "/" + path;
    }

    @Override
    public void close() {
        List<AutoCloseable> resources = List.of(wildfly, archive, current, idle);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // best effort: the next one must still stop
            }
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property '" + property + "' is not set: run these tests with"
                    + " Maven (./mvnw -pl it-wildfly verify), whose Failsafe configuration sets it");
        }
        return value;
    }

    /** Resolves {@code WildFlyRun} parameters with the run shared by the whole test run. */
    static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == WildFlyRun.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot()
                    .getStore(ExtensionContext.Namespace.create(WildFlyRun.class))
                    .getOrComputeIfAbsent(
                            WildFlyRun.class,
                            key -> {
                                try {
                                    return start();
                                } catch (IOException failed) {
                                    throw new java.io.UncheckedIOException(failed);
                                } catch (InterruptedException interrupted) {
                                    Thread.currentThread().interrupt();
                                    throw new IllegalStateException(interrupted);
                                }
                            },
                            WildFlyRun.class);
        }
    }
}
