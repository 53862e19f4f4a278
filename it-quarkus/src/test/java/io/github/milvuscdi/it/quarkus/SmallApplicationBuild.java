package io.github.milvuscdi.it.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds one of the small applications under {@code src/it/} with Maven, as its user would, against
 * the Milvus CDI jars of this build.
 *
 * <p>Those jars may not be installed (a plain {@code ./mvnw verify} installs nothing), so they are
 * laid out in a private local repository, {@code target/apps/repository}, which Maven reads first;
 * everything else comes from this build's own local repository, chained behind it as Maven 3.9's
 * {@code maven.repo.local.tail}.
 */
final class SmallApplicationBuild {

    private static final long TIMEOUT_MINUTES = 10;

    /** What the build printed and how it ended. */
    record Result(int exitCode, String output) {}

    private SmallApplicationBuild() {}

    /**
     * Copies {@code src/it/<name>} to {@code target/apps/<name>} and runs {@code mvnw -B package} there.
     *
     * @return the exit code and the whole output
     */
    static Result build(String name) throws IOException, InterruptedException {
        Path source = Paths.get("src", "it", name).toAbsolutePath();
        assertThat(source).as("the application to build").isDirectory();
        Path apps = Paths.get("target", "apps").toAbsolutePath();
        Path project = apps.resolve(name);
        deleteRecursively(project);
        copyRecursively(source, project);
        Path repository = apps.resolve("repository");
        String version = required("it.milvus-cdi.version");
        Path root = Paths.get(required("it.root"));
        installArtifact(repository, "milvus-cdi-parent", version, "pom", root.resolve("pom.xml"), null);
        installArtifact(
                repository,
                "milvus-cdi-runtime",
                version,
                "jar",
                null,
                jarOf(io.github.milvuscdi.MilvusConnections.class));
        installArtifact(
                repository,
                "milvus-cdi-extension",
                version,
                "jar",
                null,
                jarOf(io.github.milvuscdi.internal.cdi.MilvusBuildCompatibleExtension.class));

        List<String> command = new ArrayList<>(List.of(
                root.resolve("mvnw").toString(),
                "-B",
                "package",
                "-Dquarkus.version=" + required("it.quarkus.version"),
                "-Dmilvus-cdi.version=" + version,
                "-Dmaven.repo.local=" + repository,
                "-Dmaven.repo.local.tail=" + required("it.maven.repo.local")));
        Path log = project.resolve("build.log");
        Process maven = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        maven.getOutputStream().close();
        if (!maven.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly();
            throw new AssertionError(
                    "Building " + project + " took more than " + TIMEOUT_MINUTES + " minutes; see " + log);
        }
        return new Result(maven.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /**
     * Puts a pom, and the jar next to it, where a Maven local repository keeps them. The pom of a
     * jar is the one beside it in a repository, or its module's {@code pom.xml} when the jar is
     * in {@code <module>/target/}.
     */
    private static void installArtifact(
            Path repository, String artifactId, String version, String packaging, Path pom, Path jar)
            throws IOException {
        Path folder = repository.resolve(Paths.get("io", "github", "milvuscdi", artifactId, version));
        Files.createDirectories(folder);
        Path pomFile = pom;
        if (jar != null) {
            Files.copy(jar, folder.resolve(artifactId + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
            Path sibling = jar.resolveSibling(artifactId + "-" + version + ".pom");
            pomFile = Files.exists(sibling)
                    ? sibling
                    : jar.getParent().getParent().resolve("pom.xml");
        }
        assertThat(pomFile)
                .as("the pom of " + artifactId + " (" + packaging + ")")
                .isRegularFile();
        Files.copy(pomFile, folder.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path jarOf(Class<?> type) {
        try {
            Path location = Paths.get(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertThat(location.toString())
                    .as(
                            "%s must come from a jar: run this test in the verify phase, "
                                    + "after the library modules are packaged",
                            type.getName())
                    .endsWith(".jar");
            return location;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertThat(value)
                .as("system property %s, set by failsafe in it-quarkus/pom.xml", property)
                .isNotBlank();
        return value;
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
