package io.github.milvuscdi.it.payara;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Builds WARs for tests from the notes WAR, with plain zip streams. */
final class Wars {

    private Wars() {
    }

    /**
     * Copies {@code war} to {@code target} with one more class under {@code WEB-INF/classes}, read
     * from this test's class path.
     *
     * @return {@code target}
     */
    static Path withClass(Path war, Class<?> extra, Path target) {
        String entryName = "WEB-INF/classes/" + extra.getName().replace('.', '/') + ".class";
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(entryName));
            try (InputStream bytes = extra.getResourceAsStream(extra.getSimpleName() + ".class")) {
                if (bytes == null) {
                    throw new IllegalStateException("No class file for " + extra.getName() + " on the class path");
                }
                bytes.transferTo(out);
            }
            out.closeEntry();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build " + target + " from " + war + ": " + e.getMessage(), e);
        }
    }
}
