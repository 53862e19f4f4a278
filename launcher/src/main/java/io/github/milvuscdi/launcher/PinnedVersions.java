package io.github.milvuscdi.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The PyPI versions of milvus-lite and pymilvus that the launcher installs, and (see
 * {@link #milvusServer(Properties)}) that of Milvus's standalone server.
 *
 * <p>The parent pom pins them; Maven writes them into {@code versions.properties} next to this
 * class, and surefire also passes them as the system properties {@value #MILVUS_LITE_KEY} and
 * {@value #PYMILVUS_KEY}, which win over the resource.
 */
record PinnedVersions(String milvusLite, String pymilvus) {

    static final String MILVUS_LITE_KEY = "milvus.lite.version";
    static final String PYMILVUS_KEY = "milvus.lite.pymilvus.version";
    static final String MILVUS_SERVER_KEY = "milvus.server.version";

    private static final String RESOURCE = "versions.properties";

    /**
     * Reads the versions from {@code systemProperties}, falling back on the bundled resource.
     *
     * @param systemProperties where overrides are looked up; not {@code null}
     * @throws IllegalStateException when a version is missing or was never filled in by Maven
     */
    static PinnedVersions load(Properties systemProperties) {
        Properties bundled = bundled();
        return new PinnedVersions(
                pick(MILVUS_LITE_KEY, systemProperties, bundled), pick(PYMILVUS_KEY, systemProperties, bundled));
    }

    /**
     * The pinned version of Milvus's standalone server (PyPI {@code milvus}), e.g. {@code 2.3.5}:
     * the system property {@value #MILVUS_SERVER_KEY}, else the bundled resource.
     *
     * @param systemProperties where an override is looked up; not {@code null}
     * @throws IllegalStateException when the version is missing or was never filled in by Maven
     */
    static String milvusServer(Properties systemProperties) {
        return pick(MILVUS_SERVER_KEY, systemProperties, bundled());
    }

    /** The folder name that keys a virtual environment, e.g. {@code milvus-lite-3.2.2_pymilvus-2.6.17}. */
    String cacheKey() {
        return "milvus-lite-" + milvusLite + "_pymilvus-" + pymilvus;
    }

    /** The pip requirements, e.g. {@code milvus-lite==3.2.2}. */
    String milvusLiteRequirement() {
        return "milvus-lite==" + milvusLite;
    }

    /** The pip requirement for pymilvus, e.g. {@code pymilvus==2.6.17}. */
    String pymilvusRequirement() {
        return "pymilvus==" + pymilvus;
    }

    private static Properties bundled() {
        Properties bundled = new Properties();
        try (InputStream in = PinnedVersions.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                bundled.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE + " from the milvus-cdi-launcher jar", e);
        }
        return bundled;
    }

    private static String pick(String key, Properties systemProperties, Properties bundled) {
        String value = systemProperties.getProperty(key);
        if (value == null || value.isBlank()) {
            value = bundled.getProperty(key);
        }
        value = value == null ? null : value.trim();
        if (value == null || value.isEmpty() || value.contains("${")) {
            throw new IllegalStateException("No version for '" + key + "': the resource "
                    + PinnedVersions.class.getPackageName().replace('.', '/') + "/" + RESOURCE
                    + " was not filtered by Maven. Build the module with Maven, or set the system property -D"
                    + key + "=<version>");
        }
        if (!value.matches("[0-9A-Za-z.+!_-]+")) {
            throw new IllegalStateException("The version '" + value + "' of '" + key
                    + "' is not a PyPI version; set the system property -D" + key + " to one such as 3.2.2");
        }
        return value;
    }
}
