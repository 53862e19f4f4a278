package io.github.milvuscdi.internal.hostile;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Runs {@link ChildApplication} in a JVM of its own, with this test's class path, and bounded. */
final class ChildJvm {

    private static final long BOUND_SECONDS = 120;

    private ChildJvm() {}

    /**
     * Runs the child application.
     *
     * @param properties system properties of the child
     * @param classPath changes this JVM's class path for the child (entry by entry)
     * @return what the child printed, standard output and error together
     */
    static String run(Map<String, String> properties, UnaryOperator<String> classPath)
            throws IOException, InterruptedException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String changed = classPath.apply(entry);
            if (changed != null) {
                entries.add(changed);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, entries));
        command.add(ChildApplication.class.getName());
        Path output = Files.createTempFile("child-jvm", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the child JVM did not end within " + BOUND_SECONDS + " s: "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    /** @return the child's RESULT line */
    static String result(String output) {
        return output.lines()
                .filter(line -> line.startsWith("RESULT "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the child printed no RESULT line:\n" + output));
    }
}
