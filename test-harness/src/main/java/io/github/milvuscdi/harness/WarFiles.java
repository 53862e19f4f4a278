package io.github.milvuscdi.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Copies of a built WAR for tests: the same application with its own configuration file, or with
 * more classes, so that a test configures a WAR the way a user does (in the WAR's
 * {@code META-INF/microprofile-config.properties}) and still points it at the servers it started.
 *
 * <pre>{@code
 * Path war = WarFiles.withConfiguration(Path.of("target/notes.war"),
 *         file -> file.put("milvus.connections.default.uri", milvus.uri()), Path.of("target/configured.war"));
 * }</pre>
 */
public final class WarFiles {

    /** Where a WAR keeps its MicroProfile Config file. */
    public static final String MICROPROFILE_CONFIG = "WEB-INF/classes/META-INF/microprofile-config.properties";

    private WarFiles() {}

    /**
     * Copies {@code war} to {@code target} with its {@code microprofile-config.properties} edited:
     * {@code edit} gets the file's keys and values (sorted by key; empty when the WAR has no such
     * file) and changes them in place; the copy holds what it leaves.
     *
     * <pre>{@code
     * WarFiles.withConfiguration(war, file -> {
     *     file.put("milvus.connections.default.uri", milvus.uri());
     *     file.remove("milvus.connections.archive.uri");     // to come from the environment
     * }, target);
     * }</pre>
     *
     * @return {@code target}
     */
    public static Path withConfiguration(Path war, Consumer<Map<String, String>> edit, Path target) {
        Map<String, String> file = new TreeMap<>();
        Properties shipped = new Properties();
        try (ZipFile zip = new ZipFile(war.toFile())) {
            ZipEntry entry = zip.getEntry(MICROPROFILE_CONFIG);
            if (entry != null) {
                try (InputStream in = zip.getInputStream(entry)) {
                    shipped.load(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + MICROPROFILE_CONFIG + " in " + war, e);
        }
        shipped.stringPropertyNames().forEach(key -> file.put(key, shipped.getProperty(key)));
        edit.accept(file);
        Properties edited = new Properties();
        edited.putAll(file);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            edited.store(bytes, "edited by the test: " + war.getFileName() + "'s file, pointed at its servers");
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return withEntries(war, Map.of(MICROPROFILE_CONFIG, bytes.toByteArray()), target);
    }

    /**
     * Copies {@code war} to {@code target}, with each class in {@code classes} added under
     * {@code WEB-INF/classes}, read from the class path of the class itself.
     *
     * @return {@code target}
     */
    public static Path withClasses(Path war, Iterable<Class<?>> classes, Path target) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (Class<?> type : classes) {
            String name = type.getName().replace('.', '/') + ".class";
            try (var bytes = type.getClassLoader().getResourceAsStream(name)) {
                if (bytes == null) {
                    throw new IllegalStateException("No class file for " + type.getName() + " on the class path");
                }
                entries.put("WEB-INF/classes/" + name, bytes.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the class file of " + type.getName(), e);
            }
        }
        return withEntries(war, entries, target);
    }

    /**
     * Copies {@code war} to {@code target}, replacing the entries named in {@code entries} and adding
     * those it lacks.
     *
     * @param entries entry names ({@code WEB-INF/...}) and their content
     * @return {@code target}
     */
    public static Path withEntries(Path war, Map<String, byte[]> entries, Path target) {
        Map<String, byte[]> pending = new LinkedHashMap<>(entries);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
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
}
