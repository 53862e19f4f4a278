package io.github.milvuscdi.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Something the kit installs once per machine into a folder of the cache ({@code ~/.cache/milvus-cdi}):
 * built under a lock that other JVMs respect ({@code install.lock}), marked complete only at the end
 * ({@code installed.properties}), its commands' output in {@code install.log}, each command bounded.
 * A failure is remembered: later calls in this JVM throw it again at once.
 *
 * <p>Thread-safe.
 */
abstract class CachedInstallation {

    private static final Set<Path> VERIFIED = ConcurrentHashMap.newKeySet();
    private static final Map<Path, RuntimeException> FAILED = new ConcurrentHashMap<>();
    private static final Object JVM_LOCK = new Object();

    final Logger log = LoggerFactory.getLogger(getClass());
    final Path home;

    /** @param home the folder of this installation under the cache root */
    CachedInstallation(Path home) {
        this.home = home;
    }

    /** @return what is installed, in messages ({@code milvus==2.3.5}) */
    abstract String what();

    /** @return whether the folder holds a complete installation (the marker and what it marks) */
    abstract boolean isComplete();

    /** Builds the installation; called under the lock when it is not complete. */
    abstract void install() throws IOException;

    /** The folder of this installation under the cache root. */
    Path home() {
        return home;
    }

    /** Output of the last installation's commands. */
    Path installLog() {
        return home.resolve("install.log");
    }

    /** The file written last, when the installation is complete. */
    Path marker() {
        return home.resolve("installed.properties");
    }

    /**
     * Makes sure the installation exists and is complete, building it if needed.
     *
     * @throws IllegalStateException when it cannot be built; the message says what to do
     */
    final void prepare() {
        if (VERIFIED.contains(home)) {
            return;
        }
        synchronized (JVM_LOCK) {
            if (VERIFIED.contains(home)) {
                return;
            }
            RuntimeException earlier = FAILED.get(home);
            if (earlier != null) {
                throw new IllegalStateException(earlier.getMessage(), earlier);
            }
            try {
                lockAndInstall();
            } catch (RuntimeException e) {
                FAILED.put(home, e);
                throw e;
            }
            VERIFIED.add(home);
        }
    }

    private void lockAndInstall() {
        try {
            Files.createDirectories(home);
            try (FileChannel channel = FileChannel.open(
                    home.resolve("install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    log.info("Waiting for another process that is installing {} into {}", what(), home);
                    lock = channel.lock();
                }
                try {
                    if (!isComplete()) {
                        Files.deleteIfExists(marker());
                        Files.writeString(
                                installLog(),
                                "",
                                StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING);
                        install();
                    }
                } finally {
                    lock.release();
                }
            }
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while preparing " + what() + " in " + home, e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot prepare " + what() + " in " + home + ": " + e.getMessage()
                            + ". Make the folder writable, or choose another with -D"
                            + MilvusLiteInstallation.CACHE_PROPERTY
                            + "=<folder> or the environment variable " + MilvusLiteInstallation.CACHE_ENV,
                    e);
        }
    }

    /** Runs a command with its output appended to the install log; returns the exit code, -1 on timeout. */
    int run(List<String> command, Duration timeout) throws IOException {
        Files.writeString(
                installLog(),
                "$ " + String.join(" ", command) + System.lineSeparator(),
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(installLog().toFile()))
                .start();
        process.getOutputStream().close();
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            Files.writeString(
                    installLog(),
                    "(stopped by milvus-cdi after " + timeout.toMinutes() + " min)" + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            ProcessTermination.terminate(process, Duration.ofSeconds(5));
            return -1;
        } catch (InterruptedException e) {
            ProcessTermination.terminate(process, Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }

    /** The end of the install log, for a failure message. */
    String lastLines() {
        return "Last lines:" + System.lineSeparator() + LogTail.of(installLog(), LogTail.LINES);
    }

    /**
     * Marks the installation complete, last: moved into place at once.
     *
     * @param entries what was installed with what, for whoever reads the folder
     * @param started when the installation began, for the log line
     */
    void markComplete(Map<String, String> entries, long started) throws IOException {
        Properties marker = new Properties();
        entries.forEach(marker::setProperty);
        marker.setProperty("installed", Instant.now().toString());
        Path temporary = home.resolve("installed.properties.tmp");
        try (var out = Files.newOutputStream(temporary)) {
            marker.store(out, "Written by milvus-cdi-launcher once the environment was complete");
        }
        Files.move(temporary, marker(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.info("Installed {} in {} s", what(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }
}
