package io.github.milvuscdi.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script with the pinned pymilvus (milvus-lite's environment), for tests that check
 * what another client sees on the same server:
 *
 * <pre>{@code
 * String ids = Pymilvus.run(Duration.ofSeconds(60), String.join("\n",
 *         "import sys",
 *         "from pymilvus import MilvusClient",
 *         "client = MilvusClient(uri=sys.argv[1])",
 *         "print(client.list_collections())"), milvus.uri());
 * }</pre>
 *
 * <p>Secrets passed as arguments would show in {@code ps}: pass them in the script's environment
 * instead, or not at all. Thread-safe.
 */
public final class Pymilvus {

    private Pymilvus() {}

    /**
     * Runs {@code script} with {@code python -c}, {@code arguments} as {@code sys.argv[1:]}, and
     * returns the last line it printed.
     *
     * @param timeout how long the script may run; it is ended after that
     * @param script Python source; not {@code null}
     * @param arguments its arguments; none {@code null}
     * @return the last line of standard output, stripped
     * @throws IllegalStateException when the script fails or runs out of time; the message quotes its output
     */
    public static String run(Duration timeout, String script, String... arguments) {
        Objects.requireNonNull(script, "script");
        MilvusLiteInstallation installation = MilvusLiteInstallation.fromEnvironment();
        installation.ensureInstalled();
        List<String> command = new ArrayList<>(List.of(installation.venvPython().toString(), "-c", script));
        command.addAll(List.of(arguments));
        Path output = null;
        try {
            output = Files.createTempFile("milvus-cdi-pymilvus", ".txt");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                ProcessTermination.terminate(process, Duration.ofSeconds(5));
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while pymilvus ran", e);
            }
            if (!finished) {
                ProcessTermination.terminate(process, Duration.ofSeconds(5));
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (!finished || process.exitValue() != 0) {
                throw new IllegalStateException("The pymilvus script "
                        + (finished
                                ? "failed with exit code " + process.exitValue()
                                : "did not finish within " + timeout.toSeconds() + " s")
                        + "; its output:" + System.lineSeparator() + printed);
            }
            String[] lines = printed.split("\\R");
            return lines[lines.length - 1].strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run pymilvus: " + e.getMessage(), e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // A stray temporary file is harmless.
                }
            }
        }
    }
}
