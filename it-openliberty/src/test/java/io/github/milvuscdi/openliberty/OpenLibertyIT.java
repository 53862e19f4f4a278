package io.github.milvuscdi.openliberty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.OtlpCollector;
import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.harness.SilentListener;
import io.github.milvuscdi.harness.WarFiles;
import io.github.milvuscdi.it.notes.checks.NotesChecks;
import io.github.milvuscdi.it.notes.checks.TraceChecks;
import io.github.milvuscdi.it.notes.checks.UnconfiguredAliasResource;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The notes WAR on one Open Liberty 26 (cdi-4.0, restfulWS-3.1, mpConfig-3.1, mpHealth-4.0), against
 * two real milvus-lite servers, from boot to SIGTERM.
 *
 * <p>One server serves every test: booting it takes most of a minute here. The tests run in order:
 * readiness before any request, the endpoints, the SDK's log, readiness down and up, a WAR that
 * fails to deploy, ten redeployments, then SIGTERM and what the whole log shows. Threads and class
 * loaders are read from outside, with {@code jcmd} on the server's JVM.
 *
 * <p>Configuration reaches the WAR as a user's would. Alias {@code archive} is configured only by the
 * WAR's own {@code META-INF/microprofile-config.properties}, rewritten to point at its server. That
 * file points alias {@code default} at a {@link SilentListener}, and the server process's environment
 * overrides it ({@code MILVUS_CONNECTIONS_DEFAULT_URI}) with its real server, and gives it a token
 * that the log must never show: if the override were lost, the alias would reach the blackhole.
 *
 * <p>MicroProfile Telemetry ({@code mpTelemetry-2.1}) is on for the whole runtime, as Liberty's guide
 * prefers: {@code OTEL_*} variables in the server's environment (what {@code server.env} holds) turn the
 * SDK on and export OTLP/HTTP to an {@link OtlpCollector} on loopback, where the Milvus spans must
 * arrive, children of the REST requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenLibertyIT {

    private static final Duration DEPLOYMENT_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(120);
    private static final int REDEPLOYMENTS = 10;
    private static final String NOTES = "notes";
    private static final List<String> ALIASES = List.of("default", "archive");
    private static final Map<String, String> COLLECTIONS =
            Map.of("default", "current_notes", "archive", "archived_notes");
    private static final Pattern OPENED = Pattern.compile("Opened Milvus connection '([^']+)' to (\\S+)");
    private static final Pattern CLOSED = Pattern.compile("Closed Milvus connection '([^']+)' to (\\S+)");
    /** Threads that gRPC and Netty (shaded in the SDK) start, and ours. */
    private static final Pattern SDK_THREADS =
            Pattern.compile("(?i).*(grpc|netty|globalEventExecutor|ObjectCleaner|milvus).*");
    /** A class of the WAR itself and one of the library in its {@code WEB-INF/lib}: one copy per live deployment. */
    private static final List<String> DEPLOYMENT_CLASSES =
            List.of("io.github.milvuscdi.it.notes.Notebooks", "io.github.milvuscdi.MilvusConnections");

    private final String token = "tok-" + UUID.randomUUID();
    private final Map<String, MilvusLiteServer> servers = new LinkedHashMap<>();
    private final List<String> responses = new ArrayList<>();
    private SilentListener unused;
    private OtlpCollector collector;
    private Path notesWar;
    private OpenLiberty liberty;

    @BeforeAll
    void startServersAndLiberty() {
        for (String alias : ALIASES) {
            servers.put(alias, MilvusLiteServer.start("liberty-" + alias));
        }
        unused = SilentListener.open();
        collector = OtlpCollector.start();
        Path run = Paths.get(System.getProperty("liberty.run", "target/liberty-run"));
        notesWar = WarFiles.withConfiguration(
                Paths.get(System.getProperty("notes.war")),
                file -> {
                    file.clear(); // the application's own file says only this
                    file.put("milvus.connections.default.uri", unused.uri());
                    file.put("milvus.connections.default.connect-timeout", "30s");
                    file.put("milvus.connections.default.rpc-deadline", "30s");
                    file.put("milvus.connections.default.keep-alive-without-calls", "false");
                    file.put(
                            "milvus.connections.archive.uri",
                            servers.get("archive").uri());
                    file.put("milvus.connections.archive.connect-timeout", "30s");
                    file.put("milvus.connections.archive.rpc-deadline", "30s");
                    file.put("milvus.connections.archive.keep-alive-without-calls", "false");
                    file.put("milvus.health.timeout", "2s");
                },
                run.resolve("wars/notes.war"));
        Map<String, String> environment = new HashMap<>();
        environment.put("MILVUS_CONNECTIONS_DEFAULT_URI", servers.get("default").uri());
        environment.put("MILVUS_CONNECTIONS_DEFAULT_TOKEN", token);
        TraceChecks.exportingTo(collector, "liberty-notes")
                .forEach((key, value) ->
                        environment.put(key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        liberty = OpenLiberty.start(run.resolve("server"), Map.of(NOTES + ".war", notesWar), environment);
        liberty.awaitApplicationStarted(NOTES, DEPLOYMENT_TIMEOUT);
    }

    @AfterAll
    void stopEverything() {
        if (liberty != null) {
            liberty.close();
        }
        servers.values().forEach(MilvusLiteServer::close);
        if (unused != null) {
            unused.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    @Order(1)
    void readinessReportsEveryAliasUpBeforeAnyRequest() {
        Map<String, String> entries = awaitReadiness(200, data -> true);
        assertThat(entries.keySet()).containsExactlyInAnyOrder("default", "archive");
        assertThat(entries.get("archive"))
                .as("alias archive, configured only by the WAR's own file")
                .startsWith("UP " + servers.get("archive").address() + " db=default version=");
        assertThat(entries.get("default"))
                .as("alias default, its uri overridden by the environment")
                .startsWith("UP " + servers.get("default").address() + " db=default version=");
        assertThat(unused.acceptedConnections())
                .as("connections to the uri the environment overrides")
                .isZero();
    }

    @Test
    @Order(2)
    void notesRoundTripOnBothAliasesEachOnItsOwnServer() {
        NotesChecks.roundTripOnEachAliasOnItsOwnServer(this::call, "/notes/api", servers, COLLECTIONS);
        assertThat(unused.acceptedConnections())
                .as("connections to the uri the environment overrides")
                .isZero();
    }

    @Test
    @Order(3)
    void theSdksOwnLogLinesLandInMessagesLog() {
        // The SDK logs a failed call itself, through SLF4J; slf4j-jdk14 in the WAR hands it to
        // java.util.logging, which Liberty writes to messages.log.
        String collection = "no_such_collection_" + Long.toHexString(System.nanoTime());
        HttpResponse<String> failed = call(
                "POST",
                "/notes/api/notebooks/archive/collections/" + collection + "/search",
                "{\"embedding\": [1, 0, 0, 0]}");
        NotesChecks.assertStatus(failed, 502);
        String log = liberty.awaitLog(
                text -> text.lines().anyMatch(line -> line.contains(" io.milvus.") && line.contains(collection)),
                "the SDK's line about " + collection,
                Duration.ofSeconds(30));
        assertThat(log.lines().filter(line -> line.contains(collection)))
                .anyMatch(line -> line.matches(".* io\\.milvus\\.\\S+ +E .*"));
    }

    @Test
    @Order(4)
    void stoppingAServerTurnsItsEntryDownAndStartingItAgainTurnsItUp() {
        MilvusLiteServer archive = servers.get("archive");
        archive.stop();
        Map<String, String> down =
                awaitReadiness(503, data -> data.get("archive").startsWith("DOWN "));
        assertThat(down.get("archive"))
                .startsWith("DOWN " + archive.address() + " ")
                .contains("reason=");
        assertThat(down.get("default"))
                .startsWith("UP " + servers.get("default").address());

        archive.restart();
        Map<String, String> up = awaitReadiness(200, data -> data.get("archive").startsWith("UP "));
        assertThat(up.get("archive")).startsWith("UP " + archive.address() + " ");
        assertThat(up.get("default")).startsWith("UP ");
    }

    @Test
    @Order(5)
    void aWarThatInjectsAnUnconfiguredAliasFailsToDeployNamingTheKey() {
        String expected = "Invalid Milvus configuration: alias 'unconfigured': no location is configured;"
                + " set milvus.connections.unconfigured.uri (e.g. http://localhost:19530),"
                + " or milvus.connections.unconfigured.address (host:port),"
                + " or milvus.connections.unconfigured.host and milvus.connections.unconfigured.port";
        Path war = WarFiles.withClasses(
                notesWar, List.of(UnconfiguredAliasResource.class), notesWar.resolveSibling("unconfigured.war"));
        liberty.replaceInDropins("unconfigured.war", war, 0);
        try {
            String log = liberty.awaitLog(
                    text -> text.contains(expected) && text.contains("CWWKZ0002E"),
                    "the failed start of unconfigured.war with our message",
                    DEPLOYMENT_TIMEOUT);
            assertThat(log.lines().filter(line -> line.contains("CWWKZ0002E")))
                    .as("Liberty's line about the application that did not start")
                    .anyMatch(line -> line.contains("unconfigured") && line.contains("DefinitionException"));
            assertThat(log).contains("io.github.milvuscdi.MilvusConfigurationException: " + expected);
            assertThat(liberty.get("/unconfigured/api/unconfigured").statusCode())
                    .as("the unconfigured WAR serves nothing")
                    .isEqualTo(404);
            assertThat(liberty.get("/notes/api/notebooks/elsewhere/collections/x/search")
                            .statusCode())
                    .as("the notes WAR still serves")
                    .isEqualTo(405);
        } finally {
            liberty.removeFromDropins("unconfigured.war");
        }
        awaitReadiness(200, data -> data.values().stream().allMatch(entry -> entry.startsWith("UP ")));
    }

    @Test
    @Order(6)
    void tenRedeploymentsLeaveNoGrpcThreadAndNoClassLoaderBehind() {
        Pattern updated = Pattern.compile("CWWKZ0003I: The application " + NOTES + " updated");
        long closedBefore = liberty.count(CLOSED);
        List<String> threadsOfOneDeployment = List.of();
        for (int cycle = 1; cycle <= REDEPLOYMENTS; cycle++) {
            long updatesBefore = liberty.count(updated);
            liberty.replaceInDropins(NOTES + ".war", notesWar, cycle);
            liberty.awaitLog(
                    log -> updated.matcher(log).results().count() > updatesBefore,
                    "redeployment " + cycle,
                    DEPLOYMENT_TIMEOUT);
            for (String alias : ALIASES) {
                NotesChecks.assertStatus(
                        call(
                                "PUT",
                                "/notes/api/notebooks/" + alias + "/collections/redeploy_" + cycle,
                                "{\"dimension\": 2}"),
                        201);
            }
            List<String> threads = sdkThreads();
            assertThat(threads)
                    .as("redeployment %d: the SDK's threads while its clients are open", cycle)
                    .isNotEmpty();
            System.out.println("redeployment " + cycle + ": gRPC/Netty threads " + threads);
            if (cycle == 1) {
                threadsOfOneDeployment = threads;
            }
        }
        assertThat(liberty.count(CLOSED) - closedBefore)
                .as("both clients of every replaced deployment closed")
                .isEqualTo(2L * REDEPLOYMENTS);

        // Liberty's request threads keep the last application they served in thread-locals (its
        // RESTEasy's among them) until they serve another request; sequential requests reuse the same
        // few threads, so let every pooled thread serve the current deployment, with parallel requests.
        for (int round = 0; round < 10; round++) {
            liberty.getInParallel("/notes/api/notebooks/elsewhere/collections/x/search", 16);
        }
        List<String> threads = awaitThreads(threadsOfOneDeployment, Duration.ofSeconds(30));
        assertThat(threads)
                .as("gRPC/Netty threads after %d redeployments: those of one deployment", REDEPLOYMENTS)
                .isEqualTo(threadsOfOneDeployment);
        for (String className : DEPLOYMENT_CLASSES) {
            long copies = awaitCopies(className, 1, Duration.ofSeconds(30));
            System.out.println("copies of " + className + " after " + REDEPLOYMENTS + " redeployments: " + copies
                    + "; Liberty's request threads: "
                    + liberty.threadNames().stream()
                            .filter(name -> name.startsWith("Default Executor"))
                            .count());
            // A deployment whose class loader stays reachable keeps its copy: a library that pins every
            // deployment leaves eleven after ten redeployments. Liberty itself keeps some old ones for a
            // while (its RESTEasy's per-thread provider factories were seen holding up to six), so what
            // is asserted is that not every deployment stays: see docs/openliberty.md.
            assertThat(copies)
                    .as(
                            "copies of %s loaded after %d redeployments: fewer than one per deployment"
                                    + " (a class loader kept reachable keeps its copy); what the heap holds: %s",
                            className, REDEPLOYMENTS, heapSummary())
                    .isBetween(1L, (long) REDEPLOYMENTS);
        }
        String log = liberty.messages();
        assertThat(log).doesNotContain("was not shutdown properly").doesNotContain("NoClassDefFoundError");
        // after the failed deployment (issue 30: on WildFly its check outlived it, and every probe
        // answered 503 with WELD-000229)
        String body = liberty.get("/health/ready").body();
        assertThat(ReadinessReport.parse(body).checks().keySet())
                .as("checks of the deployments: none of the failed one")
                .filteredOn(name -> name.contains("ilvus"))
                .containsExactly("milvus");
        awaitReadiness(200, data -> data.values().stream().allMatch(entry -> entry.startsWith("UP ")));
        assertThat(liberty.messages()).doesNotContain("WELD-000229");
    }

    @Test
    @Order(7)
    void milvusSpansArriveInTheTraceOfTheRestRequest() {
        TraceChecks.searchIsAClientChildOfTheRequest(
                this::call, "/notes/api", "default", servers.get("default"), collector, "traced_notes");
    }

    @Test
    @Order(8)
    void aFailedCallIsAnErrorSpan() {
        TraceChecks.aFailedCallIsAnErrorSpan(this::call, "/notes/api", "default", collector, "traced_missing");
    }

    @Test
    @Order(9)
    void theDurationHistogramIsExported() {
        TraceChecks.theDurationHistogramIsExported(collector, "traced_notes");
    }

    @Test
    @Order(10)
    void stoppingLibertyClosesEveryClientItCreated() {
        long closedBefore = liberty.count(CLOSED);
        long openBefore = liberty.count(OPENED) - closedBefore;
        assertThat(openBefore)
                .as("clients of the live deployment, to be closed by the shutdown")
                .isPositive();
        liberty.stop();
        String log = liberty.messages();
        Map<String, Long> opened = perAlias(OPENED, log);
        Map<String, Long> closed = perAlias(CLOSED, log);
        assertThat(opened.keySet()).as("aliases opened").containsExactlyInAnyOrder("default", "archive");
        assertThat(closed).as("every client opened was closed").isEqualTo(opened);
        assertThat(liberty.count(CLOSED) - closedBefore)
                .as("closed at shutdown")
                .isEqualTo(openBefore);
        assertThat(addresses(OPENED, log))
                .as("where clients went")
                .containsOnly(
                        servers.get("default").address(), servers.get("archive").address());
        assertThat(log).doesNotContain("was not shutdown properly");
        assertThat(unused.acceptedConnections())
                .as("connections to the uri the environment overrides")
                .isZero();
    }

    @Test
    @Order(11)
    void theLogOfTheWholeRunHoldsNoToken() {
        String log = liberty.messages();
        assertThat(log)
                .as("the log must have seen the aliases for this test to mean anything")
                .contains("'archive'", "'default'");
        assertThat(log).as("messages.log").doesNotContain(token);
        assertThat(responses).noneMatch(body -> body.contains(token));
        TraceChecks.noSecretIsExported(collector, List.of(token));
    }

    /** Sends a JSON request and keeps the answer for the secrets test. */
    private HttpResponse<String> call(String method, String path, String json) {
        HttpResponse<String> response = liberty.send(method, path, json);
        responses.add(response.body());
        return response;
    }

    private List<String> sdkThreads() {
        return liberty.threadNames().stream()
                .filter(name -> SDK_THREADS.matcher(name).matches())
                .sorted()
                .toList();
    }

    /** Polls the SDK's threads until they equal {@code expected} or the time is up; returns the last list. */
    private List<String> awaitThreads(List<String> expected, Duration timeout) {
        return Await.last(this::sdkThreads, expected::equals, timeout);
    }

    /** The class-histogram lines of the class loaders and the SDK's thread objects, for a failure message. */
    private String heapSummary() {
        return liberty.jcmd("GC.class_histogram")
                .lines()
                .filter(line -> line.contains("AppClassLoader")
                        || line.contains("FastThreadLocalThread")
                        || line.contains("InternalThreadLocalMap")
                        || line.contains("milvuscdi.health")
                        || line.contains("ThreadLocalResteasyProviderFactory"))
                .map(String::trim)
                .toList()
                .toString();
    }

    /**
     * Counts the loaded copies of a class after a full collection until {@code expected} are left or the time is up
     * (a class loader is unloaded by the collection after the one that finds it unreachable).
     */
    private long awaitCopies(String className, long expected, Duration timeout) {
        return Await.last(() -> liberty.loadedCopiesAfterGc(className), copies -> copies <= expected, timeout);
    }

    /**
     * Polls {@code /health/ready} until it answers {@code status} with our check's data for both aliases
     * passing {@code test}; returns that data.
     */
    private Map<String, String> awaitReadiness(int status, Predicate<Map<String, String>> test) {
        HttpResponse<String> ready = Await.until(
                () -> {
                    HttpResponse<String> response = liberty.get("/health/ready");
                    responses.add(response.body());
                    return response;
                },
                response -> response.statusCode() == status
                        && milvusCheck(response.body()).keySet().containsAll(ALIASES)
                        && test.test(milvusCheck(response.body())),
                READINESS_TIMEOUT,
                last -> "/health/ready answered " + last.statusCode() + " " + last.body());
        return milvusCheck(ready.body());
    }

    /** The data of the check named {@code milvus} in a health report; empty when it is missing. */
    private static Map<String, String> milvusCheck(String body) {
        try {
            ReadinessReport report = ReadinessReport.parse(body);
            return report.hasCheck("milvus")
                    ? new TreeMap<>(report.check("milvus").entries())
                    : new TreeMap<>();
        } catch (IllegalArgumentException notAReport) {
            return new TreeMap<>();
        }
    }

    private static Map<String, Long> perAlias(Pattern pattern, String log) {
        Map<String, Long> counts = new TreeMap<>();
        Matcher matcher = pattern.matcher(log);
        while (matcher.find()) {
            counts.merge(matcher.group(1), 1L, Long::sum);
        }
        return counts;
    }

    private static List<String> addresses(Pattern pattern, String log) {
        return pattern.matcher(log)
                .results()
                .map(match -> match.group(2))
                .distinct()
                .toList();
    }
}
