package io.github.milvuscdi.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Python virtual environment holding the pinned milvus-lite and pymilvus, created once and reused.
 *
 * <p>Layout, under the cache root ({@value #CACHE_PROPERTY}, else {@value #CACHE_ENV}, else
 * {@code ~/.cache/milvus-cdi}):
 * <pre>
 * milvus-lite-3.2.2_pymilvus-2.6.17/
 *   install.lock            held while a JVM checks or builds the environment
 *   install.log             output of the last python -m venv and pip install
 *   installed.properties    written last, only when both succeeded
 *   venv/                   the virtual environment
 * </pre>
 *
 * <p>Several JVMs (Maven modules, surefire forks) may call {@link #ensureInstalled()} at once: a
 * {@link FileLock} makes one build while the others wait, then they all reuse it. A folder without
 * the marker is a half-made environment from a crashed run: it is removed and built again.
 *
 * <p>Thread-safe.
 */
final class MilvusLiteInstallation extends CachedInstallation {

    static final String CACHE_PROPERTY = "milvus.lite.cache";
    static final String CACHE_ENV = "MILVUS_LITE_CACHE";
    static final String PYTHON_ENV = "MILVUS_LITE_PYTHON";
    static final String DEFAULT_PYTHON = "python3";

    /** What to do when Python is missing or unfit; asserted word for word in tests. */
    static final String INSTALL_PYTHON = "Install Python 3.10 or newer with venv and pip"
            + " (Debian/Ubuntu: apt-get install python3 python3-venv python3-pip)"
            + " or set " + PYTHON_ENV + " to such an interpreter";

    private static final int MIN_MAJOR = 3;
    private static final int MIN_MINOR = 10;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration VENV_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PIP_TIMEOUT = Duration.ofMinutes(20);

    /** Prints the version on the first line and the missing modules on the second. */
    private static final String PROBE = String.join(
            "\n",
            "import sys",
            "print('%d.%d.%d' % tuple(sys.version_info[:3]))",
            "missing = []",
            "for name in ('venv', 'ensurepip'):",
            "    try:",
            "        __import__(name)",
            "    except Exception:",
            "        missing.append(name)",
            "print(' '.join(missing))");

    /** Environments already checked by this JVM, so that only the first server pays for the lock. */

    /**
     * Installations that failed in this JVM: not tried again, so that a build without network
     * fails every test class at once instead of waiting for pip's timeouts in each.
     */

    /** FileLock is per JVM, not per thread: threads of one JVM queue here before taking it. */
    private final PinnedVersions versions;

    private final String python;
    private final String pythonOrigin;

    /**
     * Reads the versions, the cache root and the interpreter from the given sources.
     *
     * @param environment environment variables, as {@link System#getenv()}; not {@code null}
     * @param systemProperties system properties, as {@link System#getProperties()}; not {@code null}
     */
    MilvusLiteInstallation(Map<String, String> environment, Properties systemProperties) {
        super(cacheRoot(environment, systemProperties)
                .resolve(PinnedVersions.load(systemProperties).cacheKey()));
        this.versions = PinnedVersions.load(systemProperties);
        String configuredPython = environment.get(PYTHON_ENV);
        if (configuredPython != null && !configuredPython.isBlank()) {
            this.python = configuredPython.trim();
            this.pythonOrigin = PYTHON_ENV + "=" + this.python;
        } else {
            this.python = DEFAULT_PYTHON;
            this.pythonOrigin = DEFAULT_PYTHON + " on the PATH";
        }
    }

    /** The installation described by this JVM's environment variables and system properties. */
    static MilvusLiteInstallation fromEnvironment() {
        return new MilvusLiteInstallation(System.getenv(), System.getProperties());
    }

    /** The Python interpreter that creates virtual environments, and where that choice came from. */
    String python() {
        return python;
    }

    /** Where {@link #python()} came from, such as {@code python3 on the PATH}, for messages. */
    String pythonOrigin() {
        return pythonOrigin;
    }

    /** The pinned versions this installation holds. */
    PinnedVersions versions() {
        return versions;
    }

    @Override
    String what() {
        return "milvus-lite " + versions.milvusLite();
    }

    /** The virtual environment. */
    Path venv() {
        return home.resolve("venv");
    }

    /** The {@code milvus-lite} command inside the virtual environment. */
    Path serverCommand() {
        return venv().resolve("bin").resolve("milvus-lite");
    }

    /** The virtual environment's {@code python}, which runs the launcher of secured servers. */
    Path venvPython() {
        return venv().resolve("bin").resolve("python");
    }

    /**
     * Makes sure the virtual environment exists and is complete, building it if needed.
     *
     * <p>The first call on a machine may take minutes (pip downloads about 110 MB); later calls
     * return at once. A failure is remembered: later calls in this JVM throw it again at once.
     *
     * @return the {@code milvus-lite} command to run
     * @throws IllegalStateException when Python is missing or unfit, or pip fails; the message says what to do
     */
    Path ensureInstalled() {
        prepare();
        return serverCommand();
    }

    @Override
    boolean isComplete() {
        // The venv's python is a symlink to the base interpreter: if that was removed, rebuild.
        return Files.isRegularFile(marker()) && Files.isExecutable(serverCommand()) && Files.isExecutable(venvPython());
    }

    @Override
    void install() throws IOException {
        String version = checkPython();
        Folders.deleteRecursively(venv());
        log.info(
                "Installing {} and {} into {} with Python {} ({}); this happens once, output in {}",
                versions.milvusLiteRequirement(),
                versions.pymilvusRequirement(),
                venv(),
                version,
                pythonOrigin,
                installLog());
        long started = System.nanoTime();

        int venvExit = run(List.of(python, "-m", "venv", venv().toString()), VENV_TIMEOUT);
        if (venvExit != 0 || !Files.isExecutable(venvPython())) {
            Folders.deleteRecursively(venv());
            throw new IllegalStateException("Python " + version + " (" + pythonOrigin
                    + ") could not create a virtual environment at " + venv() + " (exit code " + venvExit
                    + "); its output is in " + installLog() + ". " + INSTALL_PYTHON + ". " + lastLines());
        }

        int pipExit = run(
                List.of(
                        venvPython().toString(),
                        "-m",
                        "pip",
                        "install",
                        "--disable-pip-version-check",
                        "--no-input",
                        versions.milvusLiteRequirement(),
                        versions.pymilvusRequirement()),
                PIP_TIMEOUT);
        if (pipExit != 0 || !Files.isExecutable(serverCommand())) {
            Folders.deleteRecursively(venv());
            throw new IllegalStateException("pip could not install " + versions.milvusLiteRequirement() + " "
                    + versions.pymilvusRequirement() + " into " + venv() + " (exit code " + pipExit
                    + "); its output is in " + installLog() + ". The first run needs network access to PyPI"
                    + " (or a mirror set with PIP_INDEX_URL). " + lastLines());
        }

        markComplete(
                Map.of(
                        PinnedVersions.MILVUS_LITE_KEY,
                        versions.milvusLite(),
                        PinnedVersions.PYMILVUS_KEY,
                        versions.pymilvus(),
                        "python",
                        python,
                        "python.version",
                        version),
                started);
    }

    /**
     * Runs the interpreter once to learn its version and whether it has venv and ensurepip.
     *
     * @return the version, e.g. {@code 3.11.7}
     */
    String checkPython() {
        List<String> command = List.of(python, "-c", PROBE);
        Path output;
        try {
            output = Files.createTempFile("milvus-cdi-python-probe", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary file to check Python: " + e.getMessage(), e);
        }
        Process process;
        try {
            // Output to a file, not a pipe: an interpreter that hangs with its output open
            // would otherwise block the read past the timeout.
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            deleteQuietly(output);
            throw new IllegalStateException(
                    "Cannot run Python '" + python + "' (" + pythonOrigin + "): " + e.getMessage() + ". "
                            + INSTALL_PYTHON + ".",
                    e);
        }
        String printed;
        try {
            process.getOutputStream().close();
            if (!process.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Python '" + python + "' (" + pythonOrigin + ") did not answer within "
                        + PROBE_TIMEOUT.toSeconds() + " s. " + INSTALL_PYTHON + ".");
            }
            printed = Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("Cannot read the output of '" + python + "'", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking Python '" + python + "'", e);
        } finally {
            deleteQuietly(output);
        }
        String[] lines = printed.split("\\R", -1);
        String version = lines[0].trim();
        if (process.exitValue() != 0 || !version.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalStateException("'" + python + "' (" + pythonOrigin
                    + ") does not behave like Python (exit code " + process.exitValue() + ", output: "
                    + printed.strip() + "). " + INSTALL_PYTHON + ".");
        }
        String[] parts = version.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        if (major < MIN_MAJOR || (major == MIN_MAJOR && minor < MIN_MINOR)) {
            throw new IllegalStateException("Python '" + python + "' (" + pythonOrigin + ") is " + version
                    + "; milvus-lite " + versions.milvusLite() + " needs " + MIN_MAJOR + "." + MIN_MINOR
                    + " or newer. " + INSTALL_PYTHON + ".");
        }
        String missing = lines.length > 1 ? lines[1].trim() : "";
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Python '" + python + "' (" + pythonOrigin + ", " + version
                    + ") lacks the module(s) " + String.join(", ", missing.split(" ")) + ". " + INSTALL_PYTHON + ".");
        }
        return version;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A stray temporary file is harmless.
        }
    }

    /** The folder that holds the cached environments; shared with {@link MilvusServerInstallation}. */
    static Path cacheRoot(Map<String, String> environment, Properties systemProperties) {
        String configured = systemProperties.getProperty(CACHE_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = environment.get(CACHE_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.trim()).toAbsolutePath();
        }
        return Paths.get(systemProperties.getProperty("user.home"), ".cache", "milvus-cdi")
                .toAbsolutePath();
    }

    @Override
    public String toString() {
        return "milvus-lite " + versions.milvusLite() + " with pymilvus " + versions.pymilvus() + " in " + venv();
    }
}
