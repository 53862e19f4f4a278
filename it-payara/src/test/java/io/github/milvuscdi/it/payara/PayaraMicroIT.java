package io.github.milvuscdi.it.payara;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.OtlpCollector;
import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.harness.SilentListener;
import io.github.milvuscdi.harness.WarFiles;
import io.github.milvuscdi.it.notes.checks.NotesChecks;
import io.github.milvuscdi.it.notes.checks.TraceChecks;
import io.github.milvuscdi.it.notes.checks.UnconfiguredAliasResource;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * The notes WAR on one Payara Micro, against two real milvus-lite servers, from boot to SIGTERM.
 *
 * <p>Runs once per Payara Micro the build names ({@code payara.micro.jar}: 6 for Jakarta EE 10, 7 for
 * Jakarta EE 11), and boots it once, because booting takes most of a minute here. It deploys two
 * WARs: a copy of the notes WAR with a resource that injects alias {@code unconfigured}, which must
 * fail to deploy and leave nothing behind, then the notes WAR at {@code /notes}. The tests run in
 * order: readiness before any request, the WAR's endpoints, a server stopping and returning, the
 * failed deployment, then SIGTERM and what the whole log shows.
 *
 * <p>Configuration reaches the WAR as a user's would, with no system property: the WAR's own
 * {@code META-INF/microprofile-config.properties} (rewritten by the test to name its servers) holds
 * alias {@code default} and everything of alias {@code archive} but its location and password, which
 * come only from environment variables of Payara's process. A third alias, {@code idle}, points at a
 * {@link SilentListener} and is never used; the file enables its health check and an environment variable
 * turns it off again, so nothing may ever connect to it. Readiness must see all of it before any
 * request (issue 18: a check that read the server's configuration instead of the application's
 * reported {@code archive} unconfigured and {@code default} on {@code localhost:19530}).
 *
 * <p>The same file turns MicroProfile Telemetry on, as Payara's guide tells a user to
 * ({@code otel.sdk.disabled=false}), and exports OTLP/HTTP to an {@link OtlpCollector} on loopback: the
 * Milvus spans must arrive there from Payara's own OpenTelemetry SDK, children of the REST requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraMicroIT {

    private static final Duration DEPLOYMENT_TIMEOUT = Duration.ofMinutes(5);
    private static final String TOKEN = "tok-3f9c2e71-notes-default";
    private static final String PASSWORD = "pw-7d41b9aa-notes-archive";
    private static final List<String> ALIASES = List.of("default", "archive");
    private static final Map<String, String> COLLECTIONS =
            Map.of("default", "current_notes", "archive", "archived_notes");
    private static final Pattern OPENED = Pattern.compile("Opened Milvus connection '([^']+)' to (\\S+)");
    private static final Pattern CLOSED = Pattern.compile("Closed Milvus connection '([^']+)' to (\\S+)");

    private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(60);
    private static final String MILVUS = "milvus";

    private final Map<String, MilvusLiteServer> servers = new LinkedHashMap<>();
    private final List<String> responses = new ArrayList<>();
    private SilentListener idle;
    private OtlpCollector collector;
    private PayaraMicro payara;

    @BeforeAll
    void startServersAndPayara() {
        for (String alias : ALIASES) {
            servers.put(alias, MilvusLiteServer.start("payara-" + alias));
        }
        idle = SilentListener.open();
        collector = OtlpCollector.start();
        String run = System.getProperty("payara.run", "payara-micro");
        Path payaraDir = Paths.get(System.getProperty("payara.dir", "target/payara-micro"));
        Path wars = payaraDir.resolve(run + "-wars");
        Path notesWar = Paths.get(System.getProperty("notes.war"));
        Path configuredWar =
                WarFiles.withConfiguration(notesWar, this::pointAtThisRunsServers, wars.resolve("notes.war"));
        Path unconfiguredWar = WarFiles.withClasses(
                configuredWar, List.of(UnconfiguredAliasResource.class), wars.resolve("unconfigured.war"));

        Map<String, String> environment = Map.of(
                "MILVUS_CONNECTIONS_ARCHIVE_URI",
                servers.get("archive").uri(),
                "MILVUS_CONNECTIONS_ARCHIVE_PASSWORD",
                PASSWORD,
                "MILVUS_CONNECTIONS_IDLE_HEALTH_ENABLED",
                "false");
        // the failing WAR first: the good one deployed after it must be ready (issue 30)
        payara = PayaraMicro.start(
                payaraDir.resolve(run), List.of(unconfiguredWar, configuredWar), Map.of(), environment);
        payara.awaitDeployed("milvus", DEPLOYMENT_TIMEOUT);
    }

    /** Edits the WAR's own microprofile-config.properties (its tuning for milvus-lite stays). */
    private void pointAtThisRunsServers(Map<String, String> file) {
        file.put("milvus.connections.default.uri", servers.get("default").uri());
        file.put("milvus.connections.default.token", TOKEN);
        assertThat(file.remove("milvus.connections.archive.uri"))
                .as("the shipped file's archive uri")
                .isNotNull();
        file.put("milvus.connections.archive.user", "archivist"); // its uri and password: only in the environment
        file.put("milvus.connections.idle.uri", idle.uri());
        file.put("milvus.connections.idle.health.enabled", "true"); // MILVUS_CONNECTIONS_IDLE_HEALTH_ENABLED=false wins
        file.putAll(TraceChecks.exportingTo(collector, "payara-notes"));
    }

    @AfterAll
    void stopEverything() {
        if (payara != null) {
            payara.close();
        }
        servers.values().forEach(MilvusLiteServer::close);
        if (idle != null) {
            idle.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    @Order(1)
    void beforeAnyRequestReadinessListsEveryAliasUpWhereTheWarsFileAndTheEnvironmentPoint() {
        ReadinessReport.Check ready = awaitReadiness(report -> "UP".equals(report.status())
                        && says(report, "default", "UP ")
                        && says(report, "archive", "UP "))
                .check(MILVUS);
        assertThat(ready.data().keySet())
                .as("aliases in readiness; 'idle' is turned off by the environment")
                .containsExactlyInAnyOrder("default", "archive");
        for (String alias : ALIASES) {
            assertThat(ready.entry(alias)).startsWith("UP " + servers.get(alias).address() + " db=default version=");
        }
    }

    @Test
    @Order(2)
    void deployingTheWarConnectsToNoServerThatWasNotUsed() {
        assertThat(idle.acceptedConnections())
                .as("connections accepted by alias 'idle' (a blackhole)")
                .isZero();
        assertThat(payara.log()).doesNotContain("Milvus connection 'idle'");
    }

    @Test
    @Order(3)
    void notesRoundTripOnBothAliases() {
        NotesChecks.roundTripOnEachAliasOnItsOwnServer(this::call, "/notes/api", servers, COLLECTIONS);
    }

    @Test
    @Order(4)
    void theSdksOwnLoggingLandsInPayarasLog() {
        // The SDK logs through SLF4J; the WAR's slf4j-jdk14 hands its records to java.util.logging,
        // which is Payara's log. A search of a collection that only the other server has makes the
        // SDK log its error.
        String missing = "/notes/api/notebooks/archive/collections/" + COLLECTIONS.get("default") + "/search";
        NotesChecks.assertStatus(call("POST", missing, "{\"embedding\": [1, 0, 0, 0]}"), 502);
        payara.awaitLog(
                line -> line.contains("[io.milvus.v2.") && line.contains(" failed, error code: "),
                "the SDK's own error line (logger io.milvus.v2...)",
                Duration.ofSeconds(30));
    }

    @Test
    @Order(5)
    void stoppingAServerTurnsItsEntryDownAndStartingItAgainTurnsItUp() {
        MilvusLiteServer archive = servers.get("archive");
        archive.stop();
        ReadinessReport.Check down = awaitReadiness(
                        report -> "DOWN".equals(report.status()) && says(report, "archive", "DOWN "))
                .check(MILVUS);
        assertThat(down.entry("archive"))
                .startsWith("DOWN " + archive.address() + " ")
                .contains("reason=");
        assertThat(down.entry("default"))
                .startsWith("UP " + servers.get("default").address());
        assertThat(payara.get("/health/ready").statusCode())
                .as("readiness while a server is down")
                .isEqualTo(503);

        archive.restart();
        ReadinessReport.Check up = awaitReadiness(
                        report -> "UP".equals(report.status()) && says(report, "archive", "UP "))
                .check(MILVUS);
        assertThat(up.entry("archive")).startsWith("UP " + archive.address() + " ");
        assertThat(up.entry("default")).startsWith("UP ");
    }

    @Test
    @Order(6)
    void aWarThatInjectsAnUnconfiguredAliasFailsToDeployNamingTheKey() {
        String expected = "Invalid Milvus configuration: alias 'unconfigured': no location is configured;"
                + " set milvus.connections.unconfigured.uri (e.g. http://localhost:19530),"
                + " or milvus.connections.unconfigured.address (host:port),"
                + " or milvus.connections.unconfigured.host and milvus.connections.unconfigured.port";
        // Payara deploys its WARs before it says it is ready: the message is there by now.
        String log = payara.awaitLog(
                line -> line.contains(expected), "our message about alias 'unconfigured'", Duration.ofSeconds(30));
        // a definition error since issue 30 (reported before health checks are collected): Weld
        // lists it, and Payara quotes Weld's list
        assertThat(log)
                .containsPattern("Exception while loading the app : CDI definition failure:Exception List with 1"
                        + " exceptions:\\s+Exception 0 :\\s+io\\.github\\.milvuscdi\\.MilvusConfigurationException: "
                        + Pattern.quote(expected));
        assertThat(payara.get("/unconfigured/api/unconfigured").statusCode())
                .as("the unconfigured WAR is not deployed")
                .isEqualTo(404);
        HttpResponse<String> ready = payara.get("/health/ready");
        assertThat(ready.statusCode())
                .as("the notes WAR, deployed after it, is ready")
                .isEqualTo(200);
        assertThat(ReadinessReport.parse(ready.body()).checks().keySet())
                .as("checks of the deployments: none of the failed one")
                .filteredOn(name -> name.contains("ilvus"))
                .containsExactly(MILVUS);
        assertThat(payara.log())
                .as("a probe reached a check of the failed deployment")
                .doesNotContain("WELD-000229");
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
    void stoppingPayaraMicroClosesEveryClientItCreated() {
        payara.stop();
        String log = payara.log();
        Map<String, String> opened = matches(OPENED, log);
        Map<String, String> closed = matches(CLOSED, log);
        assertThat(opened)
                .as("clients opened")
                .isEqualTo(Map.of(
                        "default",
                        servers.get("default").address(),
                        "archive",
                        servers.get("archive").address()));
        assertThat(closed).as("clients closed at shutdown").isEqualTo(opened);
        assertThat(count(OPENED, log)).as("each alias opened once").isEqualTo(2);
        assertThat(count(CLOSED, log)).as("each alias closed once").isEqualTo(2);
        assertThat(log).doesNotContain("was not shutdown properly");
        assertThat(idle.acceptedConnections())
                .as("connections accepted by alias 'idle' (a blackhole)")
                .isZero();
    }

    @Test
    @Order(11)
    void theLogOfTheWholeRunHoldsNoPasswordOrToken() {
        String log = payara.log();
        assertThat(log)
                .as("the log must have seen the aliases for this test to mean anything")
                .contains("'archive'", "'default'");
        for (String secret : List.of(TOKEN, PASSWORD)) {
            assertThat(log).as("server log " + payara.logFile()).doesNotContain(secret);
            assertThat(responses).noneMatch(body -> body.contains(secret));
        }
        TraceChecks.noSecretIsExported(collector, List.of(TOKEN, PASSWORD));
    }

    /** Sends a JSON request and keeps the answer for the secrets test. */
    private HttpResponse<String> call(String method, String path, String json) {
        HttpResponse<String> response = payara.send(method, path, json);
        responses.add(response.body());
        return response;
    }

    /** Polls {@code /health/ready} until its report passes {@code test}; keeps every answer for the secrets test. */
    private ReadinessReport awaitReadiness(Predicate<ReadinessReport> test) {
        return ReadinessReport.awaitStatus(
                () -> {
                    String body = payara.get("/health/ready").body();
                    responses.add(body);
                    return ReadinessReport.parse(body);
                },
                test,
                READINESS_TIMEOUT);
    }

    /** Whether the report lists our check with the alias's entry starting with {@code state}. */
    private static boolean says(ReadinessReport report, String alias, String state) {
        return report.hasCheck(MILVUS) && report.check(MILVUS).entry(alias).startsWith(state);
    }

    private static Map<String, String> matches(Pattern pattern, String log) {
        Map<String, String> found = new TreeMap<>();
        Matcher matcher = pattern.matcher(log);
        while (matcher.find()) {
            found.put(matcher.group(1), matcher.group(2));
        }
        return found;
    }

    private static long count(Pattern pattern, String log) {
        return pattern.matcher(log).results().count();
    }
}
