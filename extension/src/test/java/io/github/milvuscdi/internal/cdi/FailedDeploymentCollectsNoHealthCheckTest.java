package io.github.milvuscdi.internal.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.internal.health.MilvusReadinessCheck;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * A deployment that fails on its Milvus configuration fails before {@code AfterDeploymentValidation},
 * where servers collect the application's health checks: WildFly's health subsystem registers them
 * there and, when the deployment then fails, never removes them (issue 30: {@code /health/ready}
 * stayed DOWN, WELD-000229 at every probe, until a reload). The collector here does what it does.
 */
class FailedDeploymentCollectsNoHealthCheckTest {

    @Test
    void anInvalidConfigurationFailsTheDeploymentBeforeHealthChecksAreCollected() throws Exception {
        HealthCollector collector = new HealthCollector();
        try (AutoCloseable config = Containers.useConfig(Map.of())) {
            Throwable failure = catchThrowable(() -> Containers.weld(Containers.Path.PORTABLE, Unconfigured.class)
                    .addBeanClass(MilvusReadinessCheck.class)
                    .addExtension(collector)
                    .initialize()
                    .close());
            assertThat(failure)
                    .hasStackTraceContaining("Invalid Milvus configuration: alias 'ghost': no location is configured");
        }
        assertThat(collector.collected)
                .as("readiness checks collected in AfterDeploymentValidation")
                .isEmpty();
    }

    @Test
    void aValidConfigurationLetsThemBeCollected() throws Exception {
        HealthCollector collector = new HealthCollector();
        try (AutoCloseable config =
                Containers.useConfig(Map.of("milvus.connections.ghost.uri", "http://127.0.0.1:1"))) {
            Containers.weld(Containers.Path.PORTABLE, Unconfigured.class)
                    .addBeanClass(MilvusReadinessCheck.class)
                    .addExtension(collector)
                    .initialize()
                    .close();
        }
        assertThat(collector.collected).containsExactly(MilvusReadinessCheck.class.getName());
    }

    /** Collects readiness checks in {@code AfterDeploymentValidation}, as WildFly's health subsystem does. */
    static final class HealthCollector implements Extension {
        final List<String> collected = new CopyOnWriteArrayList<>();

        void collect(@Observes AfterDeploymentValidation event, BeanManager manager) {
            manager.getBeans(HealthCheck.class, Readiness.Literal.INSTANCE)
                    .forEach(bean -> collected.add(bean.getBeanClass().getName()));
        }
    }

    @Dependent
    static class Unconfigured {
        @Inject
        @MilvusConnection("ghost")
        MilvusClientV2 ghost;
    }
}
