package io.github.milvuscdi.openliberty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Builds variants of the notes WAR for tests, with plain zip streams. */
final class Wars {

    /** Where the WAR keeps the application's own MicroProfile Config file. */
    static final String CONFIG_FILE = "WEB-INF/classes/META-INF/microprofile-config.properties";

    private Wars() {
    }

    /**
     * Copies {@code war} to {@code target}, replacing or adding entries.
     *
     * @param entries entry name to its new content
     * @return {@code target}
     */
    static Path withEntries(Path war, Map<String, byte[]> entries, Path target) {
        Map<String, byte[]> pending = new LinkedHashMap<>(entries);
        try {
            Files.createDirectories(target.getParent());
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war));
                    ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    byte[] replacement = pending.remove(entry.getName());
                    if (replacement != null) {
                        out.write(replacement);
                    } else {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
                for (Map.Entry<String, byte[]> added : pending.entrySet()) {
                    out.putNextEntry(new ZipEntry(added.getKey()));
                    out.write(added.getValue());
                    out.closeEntry();
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build " + target + " from " + war + ": " + e.getMessage(), e);
        }
    }

    /** The notes WAR whose own {@code microprofile-config.properties} is {@code properties}. */
    static Path withConfiguration(Path war, List<String> properties, Path target) {
        return withEntries(war, Map.of(CONFIG_FILE,
                (String.join("\n", properties) + "\n").getBytes(StandardCharsets.ISO_8859_1)), target);
    }

    /** The notes WAR with one more class under {@code WEB-INF/classes}, read from this test's class path. */
    static Path withClass(Path war, Class<?> extra, Path target) {
        try (InputStream bytes = extra.getResourceAsStream(extra.getSimpleName() + ".class")) {
            if (bytes == null) {
                throw new IllegalStateException("No class file for " + extra.getName() + " on the class path");
            }
            return withEntries(war, Map.of("WEB-INF/classes/" + extra.getName().replace('.', '/') + ".class",
                    bytes.readAllBytes()), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
