package io.github.milvuscdi.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarFilesTest {

    @TempDir
    Path directory;

    @Test
    void theCopyHoldsTheEditedConfigurationFileAndEverythingElseUnchanged() throws IOException {
        Path war = war(Map.of(
                WarFiles.MICROPROFILE_CONFIG,
                "# the shipped file\n"
                        + "milvus.connections.default.uri=http://localhost:19530\n"
                        + "milvus.connections.default.connect-timeout=5s\n"
                        + "milvus.connections.archive.uri=http://localhost:19531\n",
                "WEB-INF/classes/App.class",
                "bytes of a class"));

        Path copy = WarFiles.withConfiguration(
                war,
                file -> {
                    file.put("milvus.connections.default.uri", "http://127.0.0.1:40001");
                    file.remove("milvus.connections.archive.uri");
                    file.put("milvus.connections.archive.user", "archivist");
                },
                directory.resolve("out/configured.war"));

        try (ZipFile zip = new ZipFile(copy.toFile())) {
            Properties read = new Properties();
            read.load(zip.getInputStream(zip.getEntry(WarFiles.MICROPROFILE_CONFIG)));
            assertThat(read)
                    .containsOnly(
                            Map.entry("milvus.connections.default.uri", "http://127.0.0.1:40001"),
                            Map.entry("milvus.connections.default.connect-timeout", "5s"),
                            Map.entry("milvus.connections.archive.user", "archivist"));
            assertThat(new String(
                            zip.getInputStream(zip.getEntry("WEB-INF/classes/App.class"))
                                    .readAllBytes(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("bytes of a class");
            assertThat(zip.size()).isEqualTo(2);
        }
    }

    @Test
    void theCopyGainsTheClassesItLacked() throws IOException {
        Path war = war(Map.of("WEB-INF/web.xml", "<web-app/>"));

        Path copy = WarFiles.withClasses(war, List.of(WarFilesTest.class), directory.resolve("with-class.war"));

        try (ZipFile zip = new ZipFile(copy.toFile())) {
            assertThat(zip.getEntry("WEB-INF/web.xml")).isNotNull();
            assertThat(zip.getEntry("WEB-INF/classes/io/github/milvuscdi/harness/WarFilesTest.class"))
                    .isNotNull();
        }
    }

    private Path war(Map<String, String> entries) throws IOException {
        Path war = directory.resolve("in.war");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war))) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return war;
    }
}
