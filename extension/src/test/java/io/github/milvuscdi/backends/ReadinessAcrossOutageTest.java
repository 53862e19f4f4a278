package io.github.milvuscdi.backends;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.launcher.MilvusBackend;
import io.github.milvuscdi.launcher.MilvusTestServer;
import io.github.milvuscdi.testing.Await;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The readiness check through an outage, on both backends: UP with the server's version, DOWN once
 * the server is stopped, UP again once it is back on the same port. Each state is waited for with a
 * bound, never slept for. Each test runs its own server, since it stops it.
 */
class ReadinessAcrossOutageTest {

    /** Generous: Milvus serves again only once its previous sessions expired (10 s), on a busy machine. */
    private static final Duration BACK_UP = Duration.ofSeconds(120);

    private static final Duration GOES_DOWN = Duration.ofSeconds(60);

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("orders")
        MilvusClientV2 orders;

        @Inject
        @Readiness
        HealthCheck readiness;
    }

    @ParameterizedTest
    @EnumSource(MilvusBackend.class)
    void upWithTheVersionThenDownWhenStoppedThenUpAfterRestart(MilvusBackend backend) throws Exception {
        try (MilvusTestServer server = backend.start("outage")) {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("milvus.connections.orders.uri", server.uri());
            config.put("milvus.health.timeout", "2s");
            Backends.tune(config, "orders", backend);
            try (AutoCloseable c = Backends.useConfig(config);
                    WeldContainer container = Backends.boot(Application.class)) {
                Application application = container.select(Application.class).get();
                application.orders.getServerVersion();
                String version =
                        backend == MilvusBackend.MILVUS_SERVER ? Pattern.quote("v2.3.5-lite") : "milvus_lite-\\S+";
                String up =
                        "UP " + Pattern.quote(server.address()) + " db=default version=" + version + " latency=\\d+ms";

                HealthCheckResponse first = application.readiness.call();
                assertThat(first.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
                assertThat(entry(first)).matches(up);

                server.stop();
                HealthCheckResponse down = await(
                        application.readiness,
                        GOES_DOWN,
                        response -> response.getStatus() == HealthCheckResponse.Status.DOWN);
                assertThat(entry(down))
                        .startsWith("DOWN " + server.address() + " db=default ")
                        .contains("reason=");

                server.restart();
                HealthCheckResponse back = await(
                        application.readiness,
                        BACK_UP,
                        response -> response.getStatus() == HealthCheckResponse.Status.UP);
                assertThat(entry(back)).matches(up);
            }
        }
    }

    private static String entry(HealthCheckResponse response) {
        Object value = response.getData().orElseThrow().get("orders");
        assertThat(value)
                .as("the entry of alias orders in %s", response.getData())
                .isNotNull();
        return value.toString();
    }

    /** Calls the check until {@code condition} holds; fails with the last answer after {@code bound}. */
    private static HealthCheckResponse await(
            HealthCheck check, Duration bound, Predicate<HealthCheckResponse> condition) {
        return Await.until(check::call, condition, bound, last -> last.getStatus() + " " + last.getData());
    }
}
