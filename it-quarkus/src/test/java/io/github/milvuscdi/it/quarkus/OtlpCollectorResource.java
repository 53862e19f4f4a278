package io.github.milvuscdi.it.quarkus;

import io.github.milvuscdi.harness.OtlpCollector;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * An {@link OtlpCollector} on loopback, started before Quarkus starts, with the run-time keys a user writes to
 * export the application's telemetry to it over OTLP/HTTP; tests receive it in a field of type
 * {@link OtlpCollector}. Metrics themselves are on only when the application was built with
 * {@code quarkus.otel.metrics.enabled=true} (a build-time key: the test profile sets it).
 */
public class OtlpCollectorResource implements QuarkusTestResourceLifecycleManager {

    private OtlpCollector collector;

    @Override
    public Map<String, String> start() {
        collector = OtlpCollector.start();
        return Map.of(
                "quarkus.otel.exporter.otlp.endpoint", collector.endpoint(),
                "quarkus.otel.exporter.otlp.protocol", "http/protobuf",
                "quarkus.otel.metric.export.interval", "500ms");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(collector, field -> field.getType().getName().equals(OtlpCollector.class.getName()));
    }

    @Override
    public void stop() {
        if (collector != null) {
            collector.close();
        }
    }
}
