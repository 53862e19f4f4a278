package io.github.milvuscdi.it.payara;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.milvuscdi.it.payara.unconfigured.UnconfiguredAliasResource;
import io.github.milvuscdi.testing.Blackhole;
import io.github.milvuscdi.testing.MilvusLiteServer;
import io.github.milvuscdi.testing.ReadinessReport;
import io.github.milvuscdi.testing.VectorRoundTrip;
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
 * <p>One Payara Micro serves every test, because booting it takes most of a minute here. It deploys
 * two WARs: the notes WAR at {@code /}, and a copy of it with a resource that injects alias
 * {@code unconfigured}, which must fail to deploy without disturbing the first. The tests run in
 * order: the WAR's deployment, its endpoints, readiness, the failed deployment, then SIGTERM and
 * what the whole log shows.
 *
 * <p>Configuration reaches the WAR as a user's would, over its {@code microprofile-config.properties}:
 * alias {@code default} through environment variables, alias {@code archive} through system
 * properties, each with a secret (a token, a password) that the log must never show. A third alias,
 * {@code idle}, points at a {@link Blackhole} and is never used: nothing may connect to it.
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
        Path directory = Paths.get(System.getProperty("payara.dir", "target/payara-micro")).resolve("run");
        Path notesWar = Paths.get(System.getProperty("notes.war"));
        Path unconfiguredWar = Wars.withClass(notesWar, UnconfiguredAliasResource.class,
                notesWar.resolveSibling("unconfigured.war"));

        Map<String, String> environment = Map.of(
                "MILVUS_CONNECTIONS_DEFAULT_URI", servers.get("default").uri(),
                "MILVUS_CONNECTIONS_DEFAULT_TOKEN", TOKEN);
        Map<String, String> systemProperties = new TreeMap<>(Map.of(
                "milvus.connections.archive.uri", servers.get("archive").uri(),
                "milvus.connections.archive.user", "archivist",
                "milvus.connections.archive.password", PASSWORD,
                "milvus.connections.idle.uri", idle.uri(),
                "milvus.connections.idle.health.enabled", "false"));
        payara = PayaraMicro.start(directory, List.of(notesWar, unconfiguredWar), systemProperties, environment);
        payara.awaitDeployed("milvus", DEPLOYMENT_TIMEOUT);
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
    void deployingTheWarConnectsToNoServerThatWasNotUsed() {
        assertThat(idle.acceptedConnections()).as("connections accepted by alias 'idle' (a blackhole)").isZero();
        assertThat(payara.log()).doesNotContain("Milvus connection 'idle'");
    }

    @Test
    @Order(2)
    void notesRoundTripOnBothAliases() {
        for (String alias : ALIASES) {
            String collection = "/api/notebooks/" + alias + "/collections/" + COLLECTIONS.get(alias);
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
        assertStatus(call("POST", "/api/notebooks/elsewhere/collections/x/search", "{\"embedding\": [1]}"), 404);
    }

    @Test
    @Order(3)
    void readinessListsBothAliasesWithOurCheck() {
        Map<String, String> entries = awaitReadiness(200, data -> data.get("archive").startsWith("UP "));
        assertThat(entries.keySet()).containsExactlyInAnyOrder("default", "archive");
        for (String alias : ALIASES) {
            assertThat(entries.get(alias)).startsWith("UP " + servers.get(alias).address() + " db=default version=");
        }
    }

    @Test
    @Order(4)
    void stoppingAServerTurnsItsEntryDownAndStartingItAgainTurnsItUp() {
        MilvusLiteServer archive = servers.get("archive");
        archive.stop();
        Map<String, String> down = awaitReadiness(503, data -> data.get("archive").startsWith("DOWN "));
        assertThat(down.get("archive")).startsWith("DOWN " + archive.address() + " ").contains("reason=");
        assertThat(down.get("default")).startsWith("UP " + servers.get("default").address());

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
        String log = payara.awaitLog(line -> line.contains(expected), "our message about alias 'unconfigured'",
                DEPLOYMENT_TIMEOUT);
        assertThat(log).containsPattern("Exception while loading the app : CDI deployment failure:"
                + Pattern.quote(expected));
        assertThat(payara.get("/unconfigured/api/unconfigured").statusCode())
                .as("the unconfigured WAR is not deployed").isEqualTo(404);
        assertThat(payara.get("/health/ready").statusCode()).as("the notes WAR is still ready").isEqualTo(200);
    }

    @Test
    @Order(6)
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
    @Order(7)
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

    /**
     * Polls {@code /health/ready} for up to 60 s until it answers {@code status} with our check's
     * data passing {@code test}; returns that data.
     */
    private Map<String, String> awaitReadiness(int status, Predicate<Map<String, String>> test) {
        record Answer(int status, Map<String, String> data, String body) {
        }
        return ReadinessReport.awaitStatus(() -> {
            HttpResponse<String> response = payara.get("/health/ready");
            responses.add(response.body());
            return new Answer(response.statusCode(), milvusCheck(response.body()), response.body());
        }, answer -> answer.status() == status && answer.data().keySet().containsAll(ALIASES)
                && test.test(answer.data()), Duration.ofSeconds(60)).data();
    }

    /** The data of the check named {@code milvus} in a health report; empty when it is missing. */
    private static Map<String, String> milvusCheck(String body) {
        ReadinessReport report = ReadinessReport.parse(body);
        return report.hasCheck("milvus") ? new TreeMap<>(report.check("milvus").entries()) : new TreeMap<>();
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
