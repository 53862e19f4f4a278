package io.github.milvuscdi.it.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.it.devservices.GuideSnippets.Snippet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first Quarkus application, written from the README and docs/quarkus.md alone: the
 * README's table points a Quarkus application to {@code milvus-cdi-quarkus} and to the guide; the
 * guide's snippets give the dependencies, the injected clients and a test. Generated into a
 * temporary folder and built with Maven against this build's artifacts, its test must pass on Dev
 * Services, with no Milvus configured.
 */
class FreshApplicationIT {

    private static final String EXTENSION = "milvus-cdi-extension";

    @Test
    void theGuidesSnippetsMakeAnApplicationWhoseTestsPassOnDevServices(@TempDir Path folder) throws Exception {
        Path root = Path.of(System.getProperty("it.root"));
        assertThat(Files.readAllLines(root.resolve("README.md")))
                .as("the README's row for Quarkus names the artifact and the guide")
                .anyMatch(line -> line.startsWith("| Quarkus")
                        && line.contains("`milvus-cdi-quarkus`")
                        && line.contains("(docs/quarkus.md)"));

        List<Snippet> guide = GuideSnippets.of(root.resolve("docs/quarkus.md"));
        // the guide offers milvus-cdi-quarkus or milvus-cdi-extension: this reader takes the first
        List<String> dependencies = new ArrayList<>();
        for (Snippet xml : guide.stream().filter(s -> s.info().equals("xml")).toList()) {
            xml.dependencies().stream()
                    .filter(d -> !GuideSnippets.artifactId(d).equals(EXTENSION))
                    .forEach(dependencies::add);
        }
        assertThat(dependencies)
                .as("the guide's dependencies")
                .extracting(GuideSnippets::artifactId)
                .containsExactly("milvus-cdi-quarkus", "quarkus-smallrye-health");

        FreshApplication application = FreshApplication.create(folder, dependencies);
        int tests = 0;
        for (Snippet java : guide.stream()
                .filter(s -> s.info().startsWith("java") && s.className() != null)
                .toList()) {
            boolean test = java.info().equals("java quarkus-test");
            application.addClass(test ? "test" : "main", java.className(), java.text());
            tests += test ? 1 : 0;
        }
        assertThat(tests).as("the guide's tests").isEqualTo(1);

        FreshApplication.Result build = application.run("test");

        assertThat(build.exitCode()).as(build.output()).isZero();
        assertThat(build.output())
                .as("the build's output")
                .contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                .contains("Milvus Dev Service: milvus-lite for alias 'default'")
                .contains("Milvus Dev Service: milvus-lite for alias 'archive'");
    }
}
