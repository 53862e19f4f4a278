package io.github.milvuscdi.it.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A new Quarkus application in a folder of its own: the project Quarkus's template generates (its
 * BOM, {@code quarkus-arc}, {@code quarkus-junit}, its Maven plugin), plus what a guide's snippets
 * add, built with Maven as its user would build it.
 *
 * <p>This build's artifacts are read from {@code target/it-repo}, where maven-invoker-plugin's
 * {@code install} goal put them (nothing is installed into {@code ~/.m2}); every other artifact comes
 * from this build's own local repository, chained behind it as Maven's {@code maven.repo.local.tail}.
 * Not offline: Quarkus's BOM manages some versions (gson 2.14.0) above those this build resolves,
 * and a new application gets those; what is missing is downloaded into {@code target/it-repo}.
 */
final class FreshApplication {

    private static final long TIMEOUT_MINUTES = 10;

    /** What the build printed and how it ended. */
    record Result(int exitCode, String output) {}

    private final Path folder;

    private FreshApplication(Path folder) {
        this.folder = folder;
    }

    /**
     * Writes the project into {@code folder}.
     *
     * @param dependencies {@code <dependency>} elements, as a guide shows them
     */
    static FreshApplication create(Path folder, List<String> dependencies) throws IOException {
        String pom = """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.acme</groupId>
                  <artifactId>fresh-application</artifactId>
                  <version>1.0.0-SNAPSHOT</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <quarkus.platform.version>%s</quarkus.platform.version>
                    <surefire-plugin.version>%s</surefire-plugin.version>
                  </properties>
                  <dependencyManagement>
                    <dependencies>
                      <dependency>
                        <groupId>io.quarkus.platform</groupId>
                        <artifactId>quarkus-bom</artifactId>
                        <version>${quarkus.platform.version}</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                    <dependency>
                      <groupId>io.quarkus</groupId>
                      <artifactId>quarkus-arc</artifactId>
                    </dependency>
                %s
                    <dependency>
                      <groupId>io.quarkus</groupId>
                      <artifactId>quarkus-junit</artifactId>
                      <scope>test</scope>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>io.quarkus.platform</groupId>
                        <artifactId>quarkus-maven-plugin</artifactId>
                        <version>${quarkus.platform.version}</version>
                        <extensions>true</extensions>
                        <executions>
                          <execution>
                            <goals>
                              <goal>build</goal>
                              <goal>generate-code</goal>
                              <goal>generate-code-tests</goal>
                            </goals>
                          </execution>
                        </executions>
                      </plugin>
                      <plugin>
                        <artifactId>maven-surefire-plugin</artifactId>
                        <version>${surefire-plugin.version}</version>
                        <configuration>
                          <systemPropertyVariables>
                            <java.util.logging.manager>org.jboss.logmanager.LogManager</java.util.logging.manager>
                            <maven.home>${maven.home}</maven.home>
                          </systemPropertyVariables>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(
                        required("it.quarkus.version"),
                        required("it.surefire.version"),
                        String.join("\n", dependencies).indent(4).stripTrailing());
        Files.writeString(folder.resolve("pom.xml"), pom, StandardCharsets.UTF_8);
        return new FreshApplication(folder);
    }

    /** Writes a class of the application ({@code main}) or of its tests ({@code test}). */
    void addClass(String sourceSet, String className, String source) throws IOException {
        Path file = folder.resolve(Path.of("src", sourceSet, "java", className + ".java"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, source, StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code mvnw -B <goal>} in the folder.
     *
     * @return the exit code and the whole output
     */
    Result run(String goal) throws IOException, InterruptedException {
        Path log = folder.resolve("build.log");
        Process maven = new ProcessBuilder(
                        Path.of(required("it.root")).resolve("mvnw").toString(),
                        "-B",
                        goal,
                        "-Dmaven.repo.local=" + required("it.repo"),
                        "-Dmaven.repo.local.tail=" + required("it.maven.repo.local"),
                        // other builds share this machine: the test's HTTP server on a free port
                        "-Dquarkus.http.test-port=0")
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        maven.getOutputStream().close();
        if (!maven.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly();
            throw new AssertionError("Building " + folder + " took more than " + TIMEOUT_MINUTES + " minutes; see "
                    + log + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(maven.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertThat(value)
                .as("system property %s, set by failsafe in it-quarkus-devservices/pom.xml", property)
                .isNotBlank();
        return value;
    }
}
