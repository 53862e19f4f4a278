package io.github.milvuscdi.internal.cdi;

import static io.github.milvuscdi.internal.cdi.InMemoryTelemetry.ERROR_TYPE;
import static io.github.milvuscdi.internal.cdi.InMemoryTelemetry.OPERATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.cdi.Containers.Path;
import io.github.milvuscdi.testing.MilvusLiteExtension;
import io.github.milvuscdi.testing.VectorRoundTrip;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.v2.client.MilvusClientV2;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A call that fails because the server has stopped is an error span, and an error point of the histogram. */
class FailedCallTelemetryTest {

    /** A fresh server for each test, which the test stops. */
    @RegisterExtension
    final MilvusLiteExtension milvus = new MilvusLiteExtension("stopping");

    @Dependent
    static class Application {
        @Inject
        @MilvusConnection("doomed")
        MilvusClientV2 doomed;
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aCallToAStoppedServerIsAnErrorSpanWithTheGrpcStatusAsErrorType(Path path) throws Exception {
        try (InMemoryTelemetry telemetry = InMemoryTelemetry.start();
                AutoCloseable config = Containers.useConfig(Map.of(
                        "milvus.connections.doomed.uri", milvus.server().uri(),
                        "milvus.connections.doomed.keep-alive-without-calls", "false",
                        // the SDK waits for a stopped server to come back unless calls have a deadline
                        "milvus.connections.doomed.rpc-deadline", "2s"));
                WeldContainer container = Containers.boot(path, Application.class, InMemoryTelemetry.Producer.class)) {
            MilvusClientV2 doomed = container.select(Application.class).get().doomed;
            assertThat(VectorRoundTrip.exists(doomed, "before")).isFalse();

            milvus.server().stop();
            assertThatThrownBy(() -> VectorRoundTrip.exists(doomed, "after")).isInstanceOf(RuntimeException.class);

            List<String> grpcCodes =
                    Arrays.stream(Status.Code.values()).map(Enum::name).collect(Collectors.toList());
            List<SpanData> failed = telemetry.spansOf("doomed").stream()
                    .filter(span -> span.getName().equals("HasCollection after"))
                    .collect(Collectors.toList());
            assertThat(failed).isNotEmpty().allSatisfy(span -> {
                assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
                assertThat(span.getAttributes().get(ERROR_TYPE)).isIn(grpcCodes).isNotEqualTo("OK");
            });
            SpanData before = telemetry.spansOf("doomed").stream()
                    .filter(span -> span.getName().equals("HasCollection before"))
                    .findFirst()
                    .orElseThrow();
            assertThat(before.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(telemetry.durationsOf("doomed")).anySatisfy(point -> {
                assertThat(point.getAttributes().get(OPERATION)).isEqualTo("HasCollection");
                assertThat(point.getAttributes().get(ERROR_TYPE)).isIn(grpcCodes);
            });
        }
    }
}
