package io.github.milvuscdi.it.payara;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.milvuscdi.it.payara.unconfigured.UnconfiguredAliasResource;
import io.github.milvuscdi.testing.Blackhole;
import io.github.milvuscdi.testing.MilvusLiteServer;
import io.github.milvuscdi.testing.ReadinessReport;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.github.milvuscdi.testing.WarFiles;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
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
 * WARs: the notes WAR at {@code /notes}, and a copy of it with a resource that injects alias
 * {@code unconfigured}, which must fail to deploy without disturbing the first. The tests run in
 * order: readiness before any request, the WAR's endpoints, a server stopping and returning, the
 * failed deployment, then SIGTERM and what the whole log shows.
 *
 * <p>Configuration reaches the WAR as a user's would, with no system property: the WAR's own
 * {@code META-INF/microprofile-config.properties} (rewritten by the test to name its servers) holds
 * alias {@code default} and everything of alias {@code archive} but its location and password, which
 * come only from environment variables of Payara's process. A third alias, {@code idle}, points at a
 * {@link Blackhole} and is never used; the file enables its health check and an environment variable
 * turns it off again, so nothing may ever connect to it. Readiness must see all of it before any
 * request (issue 18: a check that read the server's configuration instead of the application's
 * reported {@code archive} unconfigured and {@code default} on {@code localhost:19530}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraMicroIT {

    private static final Duration DEPLOYMENT_TIMEOUT = Duration.ofMinutes(5);
    private static final String TOKEN = "tok-3f9c2e71-notes-default";
    private static final String PASSWORD = "pw-7d41b9aa-notes-archive";
    private static final List<String> ALIASES = List.of("default", "archive");
    private static final Map<String, String> COLLECTIONS = Map.of("default", "current_notes", "archive", "archived_notes");
    private static final Pattern OPENED = Pattern.compile("Opened Milvus connection '([^']+)' to (\\S+)");
    private static final Pattern CLOSED = Pattern.compile("Closed Milvus connection '([^']+)' to (\\S+)");

    private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(60);
    private static final String MILVUS = "milvus";

    private final Map<String, MilvusLiteServer> servers = new LinkedHashMap<>();
    private final List<String> responses = new ArrayList<>();
    private Blackhole idle;
    private PayaraMicro payara;

    @BeforeAll
    void startServersAndPayara() {
        for (String alias : ALIASES) {
            servers.put(alias, MilvusLiteServer.start("payara-" + alias));
        }
        idle = Blackhole.open();
        String run = System.getProperty("payara.run", "payara-micro");
        Path payaraDir = Paths.get(System.getProperty("payara.dir", "target/payara-micro"));
        Path wars = payaraDir.resolve(run + "-wars");
        Path notesWar = Paths.get(System.getProperty("notes.war"));
        Path configuredWar = WarFiles.withConfiguration(notesWar, this::pointAtThisRunsServers,
                wars.resolve("notes.war"));
        Path unconfiguredWar = WarFiles.withClasses(configuredWar, List.of(UnconfiguredAliasResource.class),
                wars.resolve("unconfigured.war"));

        Map<String, String> environment = Map.of(
                "MILVUS_CONNECTIONS_ARCHIVE_URI", servers.get("archive").uri(),
                "MILVUS_CONNECTIONS_ARCHIVE_PASSWORD", PASSWORD,
                "MILVUS_CONNECTIONS_IDLE_HEALTH_ENABLED", "false");
        payara = PayaraMicro.start(payaraDir.resolve(run), List.of(configuredWar, unconfiguredWar), Map.of(),
                environment);
        payara.awaitDeployed("milvus", DEPLOYMENT_TIMEOUT);
    }

    /** Edits the WAR's own microprofile-config.properties (its tuning for milvus-lite stays). */
    private void pointAtThisRunsServers(Map<String, String> file) {
        file.put("milvus.connections.default.uri", servers.get("default").uri());
        file.put("milvus.connections.default.token", TOKEN);
        assertThat(file.remove("milvus.connections.archive.uri")).as("the shipped file's archive uri").isNotNull();
        file.put("milvus.connections.archive.user", "archivist"); // its uri and password: only in the environment
        file.put("milvus.connections.idle.uri", idle.uri());
        file.put("milvus.connections.idle.health.enabled", "true"); // MILVUS_CONNECTIONS_IDLE_HEALTH_ENABLED=false wins
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
    }

    @Test
    @Order(1)
    void beforeAnyRequestReadinessListsEveryAliasUpWhereTheWarsFileAndTheEnvironmentPoint() {
        ReadinessReport.Check ready = awaitReadiness(report -> "UP".equals(report.status())
                && says(report, "default", "UP ") && says(report, "archive", "UP ")).check(MILVUS);
        assertThat(ready.data().keySet()).as("aliases in readiness; 'idle' is turned off by the environment")
                .containsExactlyInAnyOrder("default", "archive");
        for (String alias : ALIASES) {
            assertThat(ready.entry(alias)).startsWith("UP " + servers.get(alias).address() + " db=default version=");
        }
    }

    @Test
    @Order(2)
    void deployingTheWarConnectsToNoServerThatWasNotUsed() {
        assertThat(idle.acceptedConnections()).as("connections accepted by alias 'idle' (a blackhole)").isZero();
        assertThat(payara.log()).doesNotContain("Milvus connection 'idle'");
    }

    @Test
    @Order(3)
    void notesRoundTripOnBothAliases() {
        for (String alias : ALIASES) {
            String collection = "/notes/api/notebooks/" + alias + "/collections/" + COLLECTIONS.get(alias);
            assertStatus(call("PUT", collection, "{\"dimension\": 4}"), 201);
            assertStatus(call("POST", collection + "/notes", "["
                    + "{\"id\": 1, \"text\": \"" + alias + ": buy milk\", \"embedding\": [1, 0, 0, 0]},"
                    + "{\"id\": 2, \"text\": \"" + alias + ": call the plumber\", \"embedding\": [0, 1, 0, 0]},"
                    + "{\"id\": 3, \"text\": \"" + alias + ": water the plants\", \"embedding\": [0, 0, 1, 0]}]"),
                    200);
            HttpResponse<String> found = call("POST", collection + "/search",
                    "{\"embedding\": [0.1, 0.9, 0.1, 0], \"limit\": 2}");
            assertStatus(found, 200);
            var hits = JsonParser.parseString(found.body()).getAsJsonArray();
            assertThat(hits).hasSize(2);
            JsonObject nearest = hits.get(0).getAsJsonObject();
            assertThat(nearest.get("id").getAsLong()).isEqualTo(2);
            assertThat(nearest.get("text").getAsString()).isEqualTo(alias + ": call the plumber");
            assertThat(nearest.get("score").getAsFloat()).isGreaterThan(hits.get(1).getAsJsonObject()
                    .get("score").getAsFloat());
        }
        // Each alias reached its own server: the one its environment variable or system property names.
        for (String alias : ALIASES) {
            MilvusClientV2 direct = new MilvusClientV2(ConnectConfig.builder().uri(servers.get(alias).uri())
                    .keepAliveWithoutCalls(false).rpcDeadlineMs(10_000).build());
            try {
                for (String other : ALIASES) {
                    assertThat(VectorRoundTrip.exists(direct, COLLECTIONS.get(other)))
                            .as("collection of alias '%s' on the server of alias '%s'", other, alias)
                            .isEqualTo(other.equals(alias));
                }
            } finally {
                closeQuietly(direct);
            }
        }
        assertStatus(call("POST", "/notes/api/notebooks/elsewhere/collections/x/search", "{\"embedding\": [1]}"), 404);
    }

    @Test
    @Order(4)
    void theSdksOwnLoggingLandsInPayarasLog() {
        // The SDK logs through SLF4J; the WAR's slf4j-jdk14 hands its records to java.util.logging,
        // which is Payara's log. A search of a collection that only the other server has makes the
        // SDK log its error.
        String missing = "/notes/api/notebooks/archive/collections/" + COLLECTIONS.get("default") + "/search";
        assertStatus(call("POST", missing, "{\"embedding\": [1, 0, 0, 0]}"), 502);
        payara.awaitLog(line -> line.contains("[io.milvus.v2.") && line.contains(" failed, error code: "),
                "the SDK's own error line (logger io.milvus.v2...)", Duration.ofSeconds(30));
    }

    @Test
    @Order(5)
    void stoppingAServerTurnsItsEntryDownAndStartingItAgainTurnsItUp() {
        MilvusLiteServer archive = servers.get("archive");
        archive.stop();
        ReadinessReport.Check down = awaitReadiness(report -> "DOWN".equals(report.status())
                && says(report, "archive", "DOWN ")).check(MILVUS);
        assertThat(down.entry("archive")).startsWith("DOWN " + archive.address() + " ").contains("reason=");
        assertThat(down.entry("default")).startsWith("UP " + servers.get("default").address());
        assertThat(payara.get("/health/ready").statusCode()).as("readiness while a server is down").isEqualTo(503);

        archive.restart();
        ReadinessReport.Check up = awaitReadiness(report -> "UP".equals(report.status())
                && says(report, "archive", "UP ")).check(MILVUS);
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
        String log = payara.awaitLog(line -> line.contains(expected), "our message about alias 'unconfigured'",
                Duration.ofSeconds(30));
        assertThat(log).containsPattern("Exception while loading the app : CDI deployment failure:"
                + Pattern.quote(expected));
        assertThat(payara.get("/unconfigured/api/unconfigured").statusCode())
                .as("the unconfigured WAR is not deployed").isEqualTo(404);
        assertThat(payara.get("/health/ready").statusCode()).as("the notes WAR is still ready").isEqualTo(200);
    }

    @Test
    @Order(7)
    void stoppingPayaraMicroClosesEveryClientItCreated() {
        payara.stop();
        String log = payara.log();
        Map<String, String> opened = matches(OPENED, log);
        Map<String, String> closed = matches(CLOSED, log);
        assertThat(opened).as("clients opened").isEqualTo(Map.of(
                "default", servers.get("default").address(), "archive", servers.get("archive").address()));
        assertThat(closed).as("clients closed at shutdown").isEqualTo(opened);
        assertThat(count(OPENED, log)).as("each alias opened once").isEqualTo(2);
        assertThat(count(CLOSED, log)).as("each alias closed once").isEqualTo(2);
        assertThat(log).doesNotContain("was not shutdown properly");
        assertThat(idle.acceptedConnections()).as("connections accepted by alias 'idle' (a blackhole)").isZero();
    }

    @Test
    @Order(8)
    void theLogOfTheWholeRunHoldsNoPasswordOrToken() {
        String log = payara.log();
        assertThat(log).as("the log must have seen the aliases for this test to mean anything")
                .contains("'archive'", "'default'");
        for (String secret : List.of(TOKEN, PASSWORD)) {
            assertThat(log).as("server log " + payara.logFile()).doesNotContain(secret);
            assertThat(responses).noneMatch(body -> body.contains(secret));
        }
    }

    /** Sends a JSON request and keeps the answer for the secrets test. */
    private HttpResponse<String> call(String method, String path, String json) {
        HttpResponse<String> response = payara.send(method, path, json);
        responses.add(response.body());
        return response;
    }

    private static void assertStatus(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("%s %s answered: %s", response.request().method(),
                response.request().uri(), response.body()).isEqualTo(status);
    }

    /** Polls {@code /health/ready} until its report passes {@code test}; keeps every answer for the secrets test. */
    private ReadinessReport awaitReadiness(Predicate<ReadinessReport> test) {
        return ReadinessReport.awaitStatus(() -> {
            String body = payara.get("/health/ready").body();
            responses.add(body);
            return ReadinessReport.parse(body);
        }, test, READINESS_TIMEOUT);
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

    private static void closeQuietly(MilvusClientV2 client) {
        try {
            client.close(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
