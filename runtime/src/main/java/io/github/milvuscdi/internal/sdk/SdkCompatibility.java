package io.github.milvuscdi.internal.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Checks, without linking anything of the SDK beyond its client class, that the Milvus SDK on the
 * class path is one this library can use: gRPC shaded under {@code io.milvus.shaded} (SDK 2.6.18 and
 * later). An application whose dependencies resolve an older SDK (langchain4j's Milvus modules pin
 * 2.5.x and 2.6.14) would otherwise fail later with a {@code NoClassDefFoundError}.
 */
public final class SdkCompatibility {

    /** The SDK version this library is built and tested with. */
    public static final String TESTED = "2.6.22";

    /** The oldest SDK version whose gRPC is shaded where this library expects it. */
    public static final String OLDEST = "2.6.18";

    private static final String CLIENT = "io.milvus.v2.client.MilvusClientV2";
    private static final List<String> REQUIRED = List.of(
            CLIENT,
            "io.milvus.shaded.io.grpc.ManagedChannel",
            "io.milvus.shaded.io.grpc.StatusRuntimeException",
            "io.milvus.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder");
    private static final String POM_PROPERTIES = "META-INF/maven/io.milvus/milvus-sdk-java/pom.properties";

    private SdkCompatibility() {}

    /**
     * Says what is wrong with the SDK on the class path, if anything.
     *
     * @param loader the class loader the application's classes come from
     * @return one sentence naming the version found, the version needed and how to pin it; {@code null} when
     *         the SDK is usable
     */
    public static String problem(ClassLoader loader) {
        List<String> missing = new ArrayList<>();
        for (String name : REQUIRED) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError absent) {
                missing.add(name);
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        if (missing.contains(CLIENT)) {
            return "The Milvus SDK is not on the class path: add io.milvus:milvus-sdk-java " + TESTED
                    + " (milvus-cdi-extension depends on it; check that nothing excludes it)";
        }
        return "The Milvus SDK on the class path is io.milvus:milvus-sdk-java " + version(loader)
                + "; Milvus CDI needs " + OLDEST + " or later (it is built and tested with " + TESTED
                + "), whose gRPC is shaded under io.milvus.shaded. Another dependency brings the older SDK: pin the "
                + "version in <dependencyManagement> (Maven) or with a constraint (Gradle): "
                + "io.milvus:milvus-sdk-java:" + TESTED;
    }

    /** @return the version of the SDK jar that holds the client class, or {@code "(version unknown)"} */
    static String version(ClassLoader loader) {
        try {
            Class<?> client = Class.forName(CLIENT, false, loader);
            CodeSource source = client.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location != null
                    && "file".equals(location.getProtocol())
                    && location.getPath().endsWith(".jar")) {
                try (JarFile jar = new JarFile(new java.io.File(location.toURI()))) {
                    ZipEntry entry = jar.getEntry(POM_PROPERTIES);
                    if (entry != null) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            Properties properties = new Properties();
                            properties.load(in);
                            return properties.getProperty("version", "(version unknown)");
                        }
                    }
                }
            }
            Package sdk = client.getPackage();
            if (sdk != null && sdk.getImplementationVersion() != null) {
                return sdk.getImplementationVersion();
            }
        } catch (ClassNotFoundException
                | LinkageError
                | IOException
                | java.net.URISyntaxException
                | RuntimeException unknown) {
            // reported as unknown
        }
        return "(version unknown)";
    }
}
