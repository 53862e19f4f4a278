package io.github.milvuscdi.it.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.testing.MilvusLiteExtension;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Quarkus application with nothing but ArC and Milvus CDI ({@code src/it/arc-only}): no REST, no
 * SmallRye Health, so nothing injects the registry behind the clients, and ArC would remove it as
 * an unused bean if the extension did not keep it. Built with Maven, then run with {@code java -jar}:
 * {@code connect-on-startup} connects through the synthetic {@code Startup} observer, after the
 * application's observer of {@code ConfiguringMilvusClient} (fired through ArC's {@code BeanContainer})
 * adjusted the client; a bean's {@code @Observes Startup} method uses the injected client; SIGTERM
 * closes it.
 */
class ArcOnlyApplicationIT {

    @RegisterExtension
    static final MilvusLiteExtension NOTES = new MilvusLiteExtension("arc-only");

    @Test
    void connectsAtStartupUsesTheClientAndClosesItAtShutdown() throws Exception {
        SmallApplicationBuild.Result build = SmallApplicationBuild.build("arc-only");
        assertThat(build.exitCode()).as(build.output()).isZero();

        Path jar = Paths.get("target", "apps", "arc-only", "target", "quarkus-app", "quarkus-run.jar");
        String address = NOTES.server().address();
        try (PackagedApplication application = PackagedApplication.start(
                "arc-only",
                jar,
                Map.of("MILVUS_CONNECTIONS_NOTES_URI", NOTES.server().uri()),
                "Installed features")) {
            assertThat(application.log())
                    .contains("Connecting Milvus alias 'notes' to " + address + " at startup (connect-on-startup=true)")
                    .contains("configuring the client of alias 'notes'")
                    .contains("Opened Milvus connection 'notes' to " + address)
                    .contains("notes answers: server version ")
                    .doesNotContain("Closed Milvus connection");

            application.stop();

            assertThat(application.log()).contains("Closed Milvus connection 'notes' to " + address);
        }
    }
}
