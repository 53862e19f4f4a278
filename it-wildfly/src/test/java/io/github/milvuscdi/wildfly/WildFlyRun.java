package io.github.milvuscdi.wildfly;

import io.github.milvuscdi.testing.MilvusLiteServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What every integration test of this module shares: one WildFly for the whole run, two
 * milvus-lite servers ({@code default} and {@code archive}), and the system properties that point
 * the WAR's aliases at them, with a password on one alias and a token on the other.
 *
 * <p>Started by the first test class that asks for it (a {@code WildFlyRun} parameter, with
 * {@code @ExtendWith(WildFlyRun.Extension.class)}) and stopped when the whole run ends: it lives in
 * JUnit's root store. The threads the SDK's gRPC and Netty name are counted right after WildFly
 * booted, before any deployment.
 */
final class WildFlyRun implements ExtensionContext.Store.CloseableResource {

    /** The WAR under test, copied by the build from {@code it-war}; its context root is {@code /notes}. */
    static final String NOTES = "notes.war";

    /** Names of the threads that gRPC and Netty (shaded in the SDK) start, and ours. */
    static final Pattern SDK_THREADS = Pattern.compile("(?i).*(grpc|netty|globalEventExecutor|ObjectCleaner|milvus).*");

    /** The configuration's secrets: generated per run, so that finding one in a log cannot be chance. */
    final String user = "notes";
    final String password = "pw-" + UUID.randomUUID();
    final String token = "tok-" + UUID.randomUUID();

    final MilvusLiteServer current;
    final MilvusLiteServer archive;
    final WildFlyServer wildfly;
    final List<String> threadsAtBoot;

    private WildFlyRun(MilvusLiteServer current, MilvusLiteServer archive, WildFlyServer wildfly) {
        this.current = current;
        this.archive = archive;
        this.wildfly = wildfly;
        this.threadsAtBoot = sdkThreads();
    }

    private static WildFlyRun start() throws IOException, InterruptedException {
        Path home = Path.of(required("wildfly.home"));
        Path war = Path.of(required("wildfly.war"));
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException("No WAR at " + war + ": build it-war first (the build copies it here)");
        }
        List<AutoCloseable> started = new ArrayList<>();
        try {
            MilvusLiteServer current = MilvusLiteServer.start("wildfly-default");
            started.add(current);
            MilvusLiteServer archive = MilvusLiteServer.start("wildfly-archive");
            started.add(archive);
            WildFlyServer wildfly = WildFlyServer.start(home, Path.of("target/wildfly-base"));
            started.add(wildfly);
            WildFlyRun run = new WildFlyRun(current, archive, wildfly);
            run.configure();
            return run;
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

    /**
     * Points both aliases at this run's servers, overriding the WAR's
     * {@code META-INF/microprofile-config.properties} (system properties rank above it).
     */
    private void configure() {
        configuration().forEach(wildfly.management()::setSystemProperty);
    }

    /** @return the system properties this run gives WildFly */
    Map<String, String> configuration() {
        Map<String, String> properties = new TreeMap<>();
        properties.put("milvus.connections.default.uri", current.uri());
        properties.put("milvus.connections.default.user", user);
        properties.put("milvus.connections.default.password", password);
        properties.put("milvus.connections.archive.uri", archive.uri());
        properties.put("milvus.connections.archive.token", token);
        return properties;
    }

    /** @return every form in which a secret of the configuration could leak: as is, and as the SDK sends it */
    List<String> secrets() {
        Base64.Encoder base64 = Base64.getEncoder();
        return List.of(password, token,
                base64.encodeToString((user + ":" + password).getBytes()),
                base64.encodeToString(token.getBytes()));
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
        var answer = wildfly.management().deploy(NOTES, Path.of(required("wildfly.war")));
        if (!"success".equals(answer.get("outcome").getAsString())) {
            throw new AssertionError("notes.war did not deploy: " + answer.get("failure-description"));
        }
    }

    /** @return the URI of an endpoint of the notes WAR, e.g. {@code notes("api/notebooks/default/...")} */
    String notes(String path) {
        return wildfly.httpBase() + "notes/" + path;
    }

    @Override
    public void close() {
        List<AutoCloseable> resources = List.of(wildfly, archive, current);
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
            return context.getRoot().getStore(ExtensionContext.Namespace.create(WildFlyRun.class))
                    .getOrComputeIfAbsent(WildFlyRun.class, key -> {
                        try {
                            return start();
                        } catch (IOException failed) {
                            throw new java.io.UncheckedIOException(failed);
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(interrupted);
                        }
                    }, WildFlyRun.class);
        }
    }
}
