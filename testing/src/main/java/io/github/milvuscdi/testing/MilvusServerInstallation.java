package io.github.milvuscdi.testing;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python virtual environment holding the pinned PyPI package {@code milvus} (Milvus's own
 * standalone server), with its binaries unpacked once, created once and reused.
 *
 * <p>Layout, under the same cache root as {@link MilvusLiteInstallation}:
 * <pre>
 * milvus-server-2.3.5/
 *   install.lock            held while a JVM checks or builds the environment
 *   install.log             output of the last python -m venv, pip install and unpacking
 *   installed.properties    written last, only when all succeeded
 *   venv/                   the virtual environment with the package
 *   server/bin/             the milvus binary and its libraries, unpacked from the package (250 MB)
 * </pre>
 *
 * <p>The package's own {@code milvus-server} command unpacks the binaries into every data folder
 * (about 15 s on a busy machine); unpacking them once here makes a start take a second. The same
 * lock and marker rules as milvus-lite's apply: several JVMs take turns, a folder without the marker
 * is rebuilt, a failure is remembered for the rest of the JVM. Thread-safe.
 */
final class MilvusServerInstallation {

    private static final Logger LOG = LoggerFactory.getLogger(MilvusServerInstallation.class);

    private static final Duration VENV_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PIP_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);

    private static final Map<Path, Boolean> VERIFIED = new ConcurrentHashMap<>();
    private static final Map<Path, RuntimeException> FAILED = new ConcurrentHashMap<>();
    private static final Object JVM_LOCK = new Object();

    private final MilvusLiteInstallation pythonCheck;
    private final String version;
    private final Path home;

    /**
     * Reads the version, the cache root and the interpreter from the given sources.
     *
     * @param environment environment variables, as {@link System#getenv()}; not {@code null}
     * @param systemProperties system properties, as {@link System#getProperties()}; not {@code null}
     */
    MilvusServerInstallation(Map<String, String> environment, Properties systemProperties) {
        this.pythonCheck = new MilvusLiteInstallation(environment, systemProperties);
        this.version = PinnedVersions.milvusServer(systemProperties);
        this.home = MilvusLiteInstallation.cacheRoot(environment, systemProperties).resolve("milvus-server-" + version);
    }

    /** The installation described by this JVM's environment variables and system properties. */
    static MilvusServerInstallation fromEnvironment() {
        return new MilvusServerInstallation(System.getenv(), System.getProperties());
    }

    /** The pinned version of the {@code milvus} package, such as {@code 2.3.5}. */
    String version() {
        return version;
    }

    /** The pip requirement, such as {@code milvus==2.3.5}. */
    String requirement() {
        return "milvus==" + version;
    }

    /** The folder of this version under the cache root. */
    Path home() {
        return home;
    }

    /** The virtual environment's {@code python}, which runs the launcher. */
    Path venvPython() {
        return home.resolve("venv").resolve("bin").resolve("python");
    }

    /** The folder holding the {@code milvus} binary and its shared libraries. */
    Path binaries() {
        return home.resolve("server").resolve("bin");
    }

    /** Output of the last installation. */
    Path installLog() {
        return home.resolve("install.log");
    }

    private Path marker() {
        return home.resolve("installed.properties");
    }

    /**
     * Makes sure the environment exists and is complete, building it if needed (a minute or more
     * the first time on a machine: pip downloads about 58 MB).
     *
     * @throws IllegalStateException when Python is missing or unfit, or pip fails; the message says what to do
     */
    void ensureInstalled() {
        if (VERIFIED.containsKey(home)) {
            return;
        }
        synchronized (JVM_LOCK) {
            if (VERIFIED.containsKey(home)) {
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
            VERIFIED.put(home, Boolean.TRUE);
        }
    }

    private void lockAndInstall() {
        try {
            Files.createDirectories(home);
            try (FileChannel channel = FileChannel.open(home.resolve("install.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    LOG.info("Waiting for another process that is installing {} into {}", requirement(), home);
                    lock = channel.lock();
                }
                try {
                    if (!isComplete()) {
                        install();
                    }
                } finally {
                    lock.release();
                }
            }
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while preparing " + requirement() + " in " + home, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + requirement() + " in " + home + ": " + e.getMessage()
                    + ". Make the folder writable, or choose another with -D" + MilvusLiteInstallation.CACHE_PROPERTY
                    + "=<folder> or the environment variable " + MilvusLiteInstallation.CACHE_ENV, e);
        }
    }

    private boolean isComplete() {
        return Files.isRegularFile(marker())
                && Files.isExecutable(venvPython())
                && Files.isExecutable(binaries().resolve("milvus"));
    }

    private void install() throws IOException {
        String pythonVersion = pythonCheck.checkPython();
        String python = pythonCheck.python();
        Files.deleteIfExists(marker());
        MilvusLiteInstallation.deleteRecursively(home.resolve("venv"));
        MilvusLiteInstallation.deleteRecursively(home.resolve("server"));
        Files.writeString(installLog(), "", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        LOG.info("Installing {} into {} with Python {} ({}); this happens once, output in {}", requirement(), home,
                pythonVersion, pythonCheck.pythonOrigin(), installLog());
        long started = System.nanoTime();

        int venvExit = run(List.of(python, "-m", "venv", home.resolve("venv").toString()), VENV_TIMEOUT);
        if (venvExit != 0 || !Files.isExecutable(venvPython())) {
            throw failure("Python " + pythonVersion + " (" + pythonCheck.pythonOrigin()
                    + ") could not create a virtual environment at " + home.resolve("venv") + " (exit code "
                    + venvExit + "). " + MilvusLiteInstallation.INSTALL_PYTHON);
        }
        int pipExit = run(List.of(venvPython().toString(), "-m", "pip", "install", "--disable-pip-version-check",
                "--no-input", requirement()), PIP_TIMEOUT);
        if (pipExit != 0) {
            throw failure("pip could not install " + requirement() + " into " + home.resolve("venv") + " (exit code "
                    + pipExit + "). The first run needs network access to PyPI (or a mirror set with PIP_INDEX_URL);"
                    + " the package has wheels for Linux x86_64 and macOS only");
        }
        // The package's own code unpacks its .lzma files, so that what runs is what the package ships.
        int unpackExit = run(List.of(venvPython().toString(), "-c",
                "import sys, milvus; milvus._initialize_data_files(sys.argv[1])",
                home.resolve("server").toString()), UNPACK_TIMEOUT);
        if (unpackExit != 0 || !Files.isExecutable(binaries().resolve("milvus"))) {
            throw failure("The package " + requirement() + " could not unpack its binaries into " + binaries()
                    + " (exit code " + unpackExit + "); is the disk full? About 300 MB are needed");
        }

        Properties marker = new Properties();
        marker.setProperty(PinnedVersions.MILVUS_SERVER_KEY, version);
        marker.setProperty("python", python);
        marker.setProperty("python.version", pythonVersion);
        marker.setProperty("installed", Instant.now().toString());
        Path temporary = home.resolve("installed.properties.tmp");
        try (var out = Files.newOutputStream(temporary)) {
            marker.store(out, "Written by milvus-cdi-testing once the environment was complete");
        }
        Files.move(temporary, marker(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Installed {} in {} s", requirement(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    /** Removes the half-made environment and says what happened, with the end of the log. */
    private IllegalStateException failure(String what) throws IOException {
        MilvusLiteInstallation.deleteRecursively(home.resolve("venv"));
        MilvusLiteInstallation.deleteRecursively(home.resolve("server"));
        return new IllegalStateException(what + "; the output is in " + installLog() + ". Last lines:"
                + System.lineSeparator() + LogTail.of(installLog(), LogTail.LINES));
    }

    private int run(List<String> command, Duration timeout) throws IOException {
        Files.writeString(installLog(), "$ " + String.join(" ", command) + System.lineSeparator(),
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(new ArrayList<>(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(installLog().toFile()))
                .start();
        process.getOutputStream().close();
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            Files.writeString(installLog(), "(stopped by milvus-cdi after " + timeout.toMinutes() + " min)"
                    + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            ProcessTermination.terminate(process, Duration.ofSeconds(5));
            return -1;
        } catch (InterruptedException e) {
            ProcessTermination.terminate(process, Duration.ofSeconds(5));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }

    @Override
    public String toString() {
        return "milvus " + version + " in " + home;
    }
}
