package io.github.milvuscdi.helidon;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.harness.ReadinessReport;
import io.github.milvuscdi.harness.SilentListener;
import io.github.milvuscdi.it.notes.checks.NotesChecks;
import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.testing.Await;
import java.net.http.HttpResponse;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * The notes resources of {@code it-war} as a class-path application on Helidon MP 4 (its Weld, its own
 * MicroProfile Config), in a Java 21+ JVM, against two real milvus-lite servers, from start to SIGTERM.
 *
 * <p>One JVM serves every test, in order: readiness before any request, the endpoints, the SDK's log,
 * readiness down and up, then SIGTERM and what the whole log shows.
 *
 * <p>Alias {@code archive} is configured only by the application's own
 * {@code META-INF/microprofile-config.properties}. That file points alias {@code default} at a
 * {@link SilentListener}, and the process's environment overrides it ({@code MILVUS_CONNECTIONS_DEFAULT_URI},
 * mapped by Helidon's config, not SmallRye's) with its real server, and gives it a token that the log
 * must never show: if the override were lost, the alias would reach the blackhole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelidonNotesIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(120);
    private static final List<String> ALIASES = List.of("default", "archive");
    private static final Map<String, String> COLLECTIONS =
            Map.of("default", "current_notes", "archive", "archived_notes");
    private static final Pattern OPENED = Pattern.compile("Opened Milvus connection '([^']+)' to (\\S+)");
    private static final Pattern CLOSED = Pattern.compile("Closed Milvus connection '([^']+)' to (\\S+)");

    private final String token = "tok-" + UUID.randomUUID();
    private final Map<String, MilvusLiteServer> servers = new LinkedHashMap<>();
    private final List<String> responses = new ArrayList<>();
    private SilentListener unused;
    private HelidonApp helidon;

    @BeforeAll
    void startServersAndHelidon() {
        for (String alias : ALIASES) {
            servers.put(alias, MilvusLiteServer.start("helidon-" + alias));
        }
        unused = SilentListener.open();
        helidon = HelidonApp.start(
                Paths.get(System.getProperty("helidon.run", "target/helidon-run"))
                        .resolve("notes"),
                List.of(
                        "milvus.connections.default.uri=" + unused.uri(),
                        "milvus.connections.default.connect-timeout=30s",
                        "milvus.connections.default.rpc-deadline=30s",
                        "milvus.connections.default.keep-alive-without-calls=false",
                        "milvus.connections.archive.uri="
                                + servers.get("archive").uri(),
                        "milvus.connections.archive.connect-timeout=30s",
                        "milvus.connections.archive.rpc-deadline=30s",
                        "milvus.connections.archive.keep-alive-without-calls=false",
                        "milvus.health.timeout=2s"),
                List.of(),
                Map.of(
                        "MILVUS_CONNECTIONS_DEFAULT_URI",
                        servers.get("default").uri(),
                        "MILVUS_CONNECTIONS_DEFAULT_TOKEN",
                        token));
        helidon.awaitStarted(START_TIMEOUT);
    }

    @AfterAll
    void stopEverything() {
        if (helidon != null) {
            helidon.close();
        }
        servers.values().forEach(MilvusLiteServer::close);
        if (unused != null) {
            unused.close();
        }
    }

    @Test
    @Order(1)
    void readinessReportsEveryAliasUpBeforeAnyRequest() {
        Map<String, String> entries = awaitReadiness(200, data -> true);
        assertThat(entries.keySet()).containsExactlyInAnyOrder("default", "archive");
        assertThat(entries.get("archive"))
                .as("alias archive, configured only by the application's own file")
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
        NotesChecks.roundTripOnEachAliasOnItsOwnServer(this::call, "/api", servers, COLLECTIONS);
        assertThat(unused.acceptedConnections())
                .as("connections to the uri the environment overrides")
                .isZero();
    }

    @Test
    @Order(3)
    void theSdksOwnLogLinesLandInHelidonsLog() {
        // The SDK logs a failed call itself, through SLF4J; slf4j-jdk14 hands it to java.util.logging,
        // which Helidon logs with.
        String collection = "no_such_collection_" + Long.toHexString(System.nanoTime());
        NotesChecks.assertStatus(
                call(
                        "POST",
                        "/api/notebooks/archive/collections/" + collection + "/search",
                        "{\"embedding\": [1, 0, 0, 0]}"),
                502);
        String log = helidon.awaitLog(
                text -> text.contains(collection), "the SDK's line about " + collection, Duration.ofSeconds(30));
        assertThat(log).containsPattern("(?m)io\\.milvus\\.\\S+.*\\R?.*" + collection);
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
    void sigtermClosesEveryClientItCreated() {
        helidon.stop();
        String log = helidon.log();
        Map<String, String> opened = matches(OPENED, log);
        Map<String, String> closed = matches(CLOSED, log);
        assertThat(opened)
                .as("clients opened")
                .isEqualTo(Map.of(
                        "default",
                        servers.get("default").address(),
                        "archive",
                        servers.get("archive").address()));
        assertThat(closed).as("clients closed at shutdown; %s", helidon.tail()).isEqualTo(opened);
        assertThat(OPENED.matcher(log).results().count())
                .as("each alias opened once")
                .isEqualTo(2);
        assertThat(CLOSED.matcher(log).results().count())
                .as("each alias closed once")
                .isEqualTo(2);
        assertThat(unused.acceptedConnections())
                .as("connections to the uri the environment overrides")
                .isZero();
    }

    @Test
    @Order(6)
    void theLogOfTheWholeRunHoldsNoToken() {
        String log = helidon.log();
        assertThat(log)
                .as("the log must have seen the aliases for this test to mean anything")
                .contains("'archive'", "'default'");
        assertThat(log).as("log " + helidon.logFile()).doesNotContain(token);
        assertThat(responses).noneMatch(body -> body.contains(token));
    }

    private HttpResponse<String> call(String method, String path, String json) {
        HttpResponse<String> response = helidon.send(method, path, json);
        responses.add(response.body());
        return response;
    }

    /**
     * Polls {@code /health/ready} until it answers {@code status} with our check's data for both aliases
     * passing {@code test}; returns that data.
     */
    private Map<String, String> awaitReadiness(int status, Predicate<Map<String, String>> test) {
        HttpResponse<String> ready = Await.until(
                () -> {
                    HttpResponse<String> response = helidon.get("/health/ready");
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

    private static Map<String, String> matches(Pattern pattern, String log) {
        Map<String, String> found = new TreeMap<>();
        Matcher matcher = pattern.matcher(log);
        while (matcher.find()) {
            found.put(matcher.group(1), matcher.group(2));
        }
        return found;
    }
}
