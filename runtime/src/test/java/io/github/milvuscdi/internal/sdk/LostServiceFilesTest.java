package io.github.milvuscdi.internal.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An application packaged as one jar by a shade or assembly plugin that does not merge service files loses
 * the SDK's {@code META-INF/services/io.milvus.shaded.io.grpc.*}: gRPC then finds no name resolver. The
 * library and the SDK are loaded here by a class loader that hides those files, as such a jar would, and
 * {@link MilvusSdk#missing()} (which fails the deployment) must name the fix.
 */
class LostServiceFilesTest {

    @Test
    void withoutTheSdksServiceFilesTheDeploymentProblemNamesTheServicesTransformer() throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader oneJar = new HidingServiceFiles(classPath())) {
            Thread.currentThread().setContextClassLoader(oneJar); // as in the application: gRPC asks it too
            Class<?> sdk = Class.forName(MilvusSdk.class.getName(), true, oneJar);
            @SuppressWarnings("unchecked")
            List<String> missing = (List<String>) sdk.getMethod("missing").invoke(null);
            String message = (String) sdk.getMethod("unsupported", List.class).invoke(null, missing);

            assertThat(message)
                    .isEqualTo("Milvus CDI cannot connect: the class path lacks " + SdkHandles.SERVICE_FILES)
                    .contains("ServicesResourceTransformer");
            assertThat(java.nio.file.Files.readString(
                            java.nio.file.Path.of("..", "docs", "troubleshooting-connections.md")))
                    .as("docs/troubleshooting-connections.md quotes it")
                    .contains(message);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        assertThat(MilvusSdk.missing())
                .as("with the service files, nothing is missing")
                .isEmpty();
    }

    private static URL[] classPath() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    /** Loads everything itself (not from the test's loader) and shows no gRPC service file. */
    private static final class HidingServiceFiles extends URLClassLoader {
        private static final String HIDDEN = "META-INF/services/io.milvus.shaded.io.grpc.";

        HidingServiceFiles(URL[] urls) {
            super("one-jar", urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith(HIDDEN) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith(HIDDEN) ? Collections.emptyEnumeration() : super.getResources(name);
        }

        @Override
        public URL findResource(String name) {
            return name.startsWith(HIDDEN) ? null : super.findResource(name);
        }

        @Override
        public Enumeration<URL> findResources(String name) throws IOException {
            return name.startsWith(HIDDEN) ? Collections.emptyEnumeration() : super.findResources(name);
        }
    }
}
