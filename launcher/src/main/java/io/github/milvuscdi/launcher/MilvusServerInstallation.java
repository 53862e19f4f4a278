package io.github.milvuscdi.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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
final class MilvusServerInstallation extends CachedInstallation {

    private static final Duration VENV_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PIP_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);

    private final MilvusLiteInstallation pythonCheck;
    private final String version;

    /**
     * Reads the version, the cache root and the interpreter from the given sources.
     *
     * @param environment environment variables, as {@link System#getenv()}; not {@code null}
     * @param systemProperties system properties, as {@link System#getProperties()}; not {@code null}
     */
    MilvusServerInstallation(Map<String, String> environment, Properties systemProperties) {
        super(MilvusLiteInstallation.cacheRoot(environment, systemProperties)
                .resolve("milvus-server-" + PinnedVersions.milvusServer(systemProperties)));
        this.pythonCheck = new MilvusLiteInstallation(environment, systemProperties);
        this.version = PinnedVersions.milvusServer(systemProperties);
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
    @Override
    String what() {
        return requirement();
    }

    /** Builds the environment if needed; see {@link CachedInstallation#prepare()}. */
    void ensureInstalled() {
        prepare();
    }

    /** The pip requirement, such as {@code milvus==2.3.5}. */
    String requirement() {
        return "milvus==" + version;
    }

    /** The virtual environment's {@code python}, which runs the launcher. */
    Path venvPython() {
        return home.resolve("venv").resolve("bin").resolve("python");
    }

    /** The folder holding the {@code milvus} binary and its shared libraries. */
    Path binaries() {
        return home.resolve("server").resolve("bin");
    }

    @Override
    boolean isComplete() {
        return Files.isRegularFile(marker())
                && Files.isExecutable(venvPython())
                && Files.isExecutable(binaries().resolve("milvus"));
    }

    @Override
    void install() throws IOException {
        String pythonVersion = pythonCheck.checkPython();
        String python = pythonCheck.python();
        Folders.deleteRecursively(home.resolve("venv"));
        Folders.deleteRecursively(home.resolve("server"));
        log.info(
                "Installing {} into {} with Python {} ({}); this happens once, output in {}",
                requirement(),
                home,
                pythonVersion,
                pythonCheck.pythonOrigin(),
                installLog());
        long started = System.nanoTime();

        int venvExit = run(List.of(python, "-m", "venv", home.resolve("venv").toString()), VENV_TIMEOUT);
        if (venvExit != 0 || !Files.isExecutable(venvPython())) {
            throw failure("Python " + pythonVersion + " (" + pythonCheck.pythonOrigin()
                    + ") could not create a virtual environment at " + home.resolve("venv") + " (exit code "
                    + venvExit + "). " + MilvusLiteInstallation.INSTALL_PYTHON);
        }
        int pipExit = run(
                List.of(
                        venvPython().toString(),
                        "-m",
                        "pip",
                        "install",
                        "--disable-pip-version-check",
                        "--no-input",
                        requirement()),
                PIP_TIMEOUT);
        if (pipExit != 0) {
            throw failure("pip could not install " + requirement() + " into " + home.resolve("venv") + " (exit code "
                    + pipExit + "). The first run needs network access to PyPI (or a mirror set with PIP_INDEX_URL);"
                    + " the package has wheels for Linux x86_64 and macOS only");
        }
        // The package's own code unpacks its .lzma files, so that what runs is what the package ships.
        int unpackExit = run(
                List.of(
                        venvPython().toString(),
                        "-c",
                        "import sys, milvus; milvus._initialize_data_files(sys.argv[1])",
                        home.resolve("server").toString()),
                UNPACK_TIMEOUT);
        if (unpackExit != 0 || !Files.isExecutable(binaries().resolve("milvus"))) {
            throw failure("The package " + requirement() + " could not unpack its binaries into " + binaries()
                    + " (exit code " + unpackExit + "); is the disk full? About 300 MB are needed");
        }

        markComplete(
                Map.of(PinnedVersions.MILVUS_SERVER_KEY, version, "python", python, "python.version", pythonVersion),
                started);
    }

    /** Removes the half-made environment and says what happened, with the end of the log. */
    private IllegalStateException failure(String what) throws IOException {
        Folders.deleteRecursively(home.resolve("venv"));
        Folders.deleteRecursively(home.resolve("server"));
        return new IllegalStateException(what + "; the output is in " + installLog() + ". " + lastLines());
    }

    @Override
    public String toString() {
        return "milvus " + version + " in " + home;
    }
}
