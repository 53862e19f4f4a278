package io.github.milvuscdi.wildfly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds small WARs in the test: some classes of the test's own class path in
 * {@code WEB-INF/classes}, and the library with what it needs in {@code WEB-INF/lib} (the jars the
 * build copied to {@code wildfly.war-lib}: milvus-cdi-extension and its runtime dependencies).
 */
final class Wars {

    private Wars() {}

    /**
     * Writes a WAR holding {@code classes} and the library.
     *
     * @return the WAR, {@code target/wars/<name>}
     */
    static Path build(String name, List<Class<?>> classes) throws IOException {
        Path lib = Path.of(System.getProperty("wildfly.war-lib", "target/war-lib"));
        List<Path> jars;
        try (Stream<Path> files = Files.list(lib)) {
            jars = files.filter(file -> file.toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        }
        if (jars.stream().noneMatch(jar -> jar.getFileName().toString().startsWith("milvus-cdi-extension"))) {
            throw new IllegalStateException(
                    "No milvus-cdi-extension jar in " + lib + ": the build's copy-war-lib step did not run");
        }
        Path war = Path.of("target/wars", name);
        Files.createDirectories(war.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(war))) {
            for (Class<?> type : classes) {
                String resource = type.getName().replace('.', '/') + ".class";
                try (var in = type.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException("No class file for " + type.getName());
                    }
                    write(out, "WEB-INF/classes/" + resource, in.readAllBytes());
                }
            }
            for (Path jar : jars) {
                write(out, "WEB-INF/lib/" + jar.getFileName(), Files.readAllBytes(jar));
            }
        }
        return war;
    }

    private static void write(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
