package io.github.milvuscdi.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning decisions, each against a private cache folder: what a missing or unfit Python
 * says, where the environment lives, and that only a complete environment is trusted. Interpreters
 * other than "missing" are small shell scripts that answer the installer's commands as Python would.
 */
class MilvusLiteInstallationTest {

    private static final String INSTALL_PYTHON = "Install Python 3.10 or newer with venv and pip"
            + " (Debian/Ubuntu: apt-get install python3 python3-venv python3-pip)"
            + " or set MILVUS_LITE_PYTHON to such an interpreter.";

    private static final PinnedVersions PINNED = PinnedVersions.load(System.getProperties());

    @TempDir
    Path temp;

    @Test
    void aMissingPythonSaysWhatToInstall() {
        Path missing = temp.resolve("no-such-python3");
        MilvusLiteInstallation installation = installation(missing);

        assertThatThrownBy(() -> MilvusLiteServer.start("nopython", installation))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot run Python '" + missing + "' (MILVUS_LITE_PYTHON=" + missing + "): ")
                .hasMessageEndingWith(". " + INSTALL_PYTHON);
        assertThat(installation.venv()).doesNotExist();
    }

    @Test
    void anOldPythonSaysWhichVersionIsNeeded() throws IOException {
        Path old = script("old-python", "printf '3.9.18\\n\\n'");

        assertThatThrownBy(() -> installation(old).ensureInstalled())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Python '" + old + "' (MILVUS_LITE_PYTHON=" + old + ") is 3.9.18; milvus-lite "
                        + PINNED.milvusLite() + " needs 3.10 or newer. " + INSTALL_PYTHON);
    }

    @Test
    void aPythonWithoutVenvSaysWhatToInstall() throws IOException {
        Path bare = script("bare-python", "printf '3.12.1\\nvenv ensurepip\\n'");

        assertThatThrownBy(() -> installation(bare).ensureInstalled())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Python '" + bare + "' (MILVUS_LITE_PYTHON=" + bare
                        + ", 3.12.1) lacks the module(s) venv, ensurepip. " + INSTALL_PYTHON);
    }

    @Test
    void somethingThatIsNotPythonIsReportedAsSuch() throws IOException {
        Path impostor = script("impostor", "echo hello");

        assertThatThrownBy(() -> installation(impostor).ensureInstalled())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("'" + impostor + "' (MILVUS_LITE_PYTHON=" + impostor
                        + ") does not behave like Python (exit code 0, output: hello). " + INSTALL_PYTHON);
    }

    @Test
    void aHalfMadeEnvironmentIsRemovedAndBuiltAgain() throws IOException {
        MilvusLiteInstallation installation = installation(fakePython("fake-python", true));
        // What a crash during pip leaves: both commands there, but no marker.
        script(installation.venv().resolve("bin/python"), "exit 0");
        script(installation.venv().resolve("bin/milvus-lite"), "exit 0");
        Path leftover = Files.writeString(installation.venv().resolve("leftover-from-a-crash"), "");

        Path command = installation.ensureInstalled();

        assertThat(command)
                .isEqualTo(installation.venv().resolve("bin/milvus-lite"))
                .isExecutable();
        assertThat(leftover).doesNotExist();
        assertThat(installation.home().resolve("installed.properties"))
                .content()
                .contains("milvus.lite.version=" + PINNED.milvusLite())
                .contains("milvus.lite.pymilvus.version=" + PINNED.pymilvus());
        assertThat(installation.installLog())
                .content()
                .contains("-m venv " + installation.venv())
                .contains("install --disable-pip-version-check --no-input " + PINNED.milvusLiteRequirement() + " "
                        + PINNED.pymilvusRequirement());
    }

    @Test
    void aCompleteEnvironmentIsReusedWithoutRunningPython() throws IOException {
        // This interpreter cannot even be started: only the marker and the commands are looked at.
        MilvusLiteInstallation installation = installation(temp.resolve("gone"));
        script(installation.venv().resolve("bin/python"), "exit 0");
        script(installation.venv().resolve("bin/milvus-lite"), "exit 0");
        Files.writeString(installation.home().resolve("installed.properties"), "");

        assertThat(installation.ensureInstalled()).isEqualTo(installation.venv().resolve("bin/milvus-lite"));
    }

    @Test
    void aPipFailureNamesTheLogAndLeavesNothingHalfMade() throws IOException {
        MilvusLiteInstallation installation = installation(fakePython("offline-python", false));

        assertThatThrownBy(installation::ensureInstalled)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("pip could not install " + PINNED.milvusLiteRequirement() + " "
                        + PINNED.pymilvusRequirement() + " into " + installation.venv()
                        + " (exit code 1); its output is in "
                        + installation.installLog() + ". The first run needs network access to PyPI")
                .hasMessageContaining("ERROR: No matching distribution found");
        assertThat(installation.venv()).doesNotExist();
        assertThat(installation.home().resolve("installed.properties")).doesNotExist();
    }

    @Test
    void aFailedInstallationIsNotTriedAgainInTheSameJvm() throws IOException {
        MilvusLiteInstallation installation = installation(fakePython("offline-once", false));
        assertThatThrownBy(installation::ensureInstalled).isInstanceOf(IllegalStateException.class);
        Files.writeString(installation.installLog(), "untouched");

        // Another installation object for the same folder, as the next test class would create.
        assertThatThrownBy(() -> installation(fakePython("offline-once", true)).ensureInstalled())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("pip could not install ");
        assertThat(installation.installLog()).hasContent("untouched");
    }

    @Test
    void theCacheFolderComesFromThePropertyThenTheEnvironmentThenTheHomeFolder() {
        Properties properties = new Properties();
        properties.setProperty("user.home", temp.resolve("home").toString());
        Map<String, String> environment =
                Map.of("MILVUS_LITE_CACHE", temp.resolve("from-env").toString());
        String key = "milvus-lite-" + PINNED.milvusLite() + "_pymilvus-" + PINNED.pymilvus();

        assertThat(new MilvusLiteInstallation(Map.of(), properties).home())
                .isEqualTo(temp.resolve("home/.cache/milvus-cdi").resolve(key));
        assertThat(new MilvusLiteInstallation(environment, properties).home())
                .isEqualTo(temp.resolve("from-env").resolve(key));

        properties.setProperty(
                "milvus.lite.cache", temp.resolve("from-property").toString());
        assertThat(new MilvusLiteInstallation(environment, properties).home())
                .isEqualTo(temp.resolve("from-property").resolve(key));
    }

    @Test
    void systemPropertiesOverrideThePinnedVersions() {
        Properties properties = new Properties();
        properties.setProperty("milvus.lite.version", "3.2.1");
        properties.setProperty("milvus.lite.pymilvus.version", "2.6.16");

        assertThat(PinnedVersions.load(properties).cacheKey()).isEqualTo("milvus-lite-3.2.1_pymilvus-2.6.16");
        assertThat(PinnedVersions.load(new Properties())).isEqualTo(PINNED);
    }

    private MilvusLiteInstallation installation(Path python) {
        Properties properties = new Properties();
        properties.setProperty("milvus.lite.cache", temp.resolve("cache").toString());
        properties.setProperty("user.home", temp.resolve("home").toString());
        return new MilvusLiteInstallation(Map.of("MILVUS_LITE_PYTHON", python.toString()), properties);
    }

    /**
     * A shell script that answers the installer's three commands as Python would: the probe, "-m venv
     * DIR" (copying itself in as DIR/bin/python) and "-m pip install" (creating bin/milvus-lite, or
     * failing as pip does when it cannot reach PyPI).
     */
    private Path fakePython(String name, boolean pipSucceeds) throws IOException {
        return script(
                name,
                String.join(
                        "\n",
                        "case \"$1\" in",
                        "  -c) printf '3.12.1\\n\\n'; exit 0 ;;",
                        "  -m)",
                        "    if [ \"$2\" = venv ]; then mkdir -p \"$3/bin\" && cp \"$0\" \"$3/bin/python\"; exit $?; fi",
                        "    if [ \"$2\" = pip ]; then",
                        pipSucceeds
                                ? "      bin=$(dirname \"$0\"); printf '#!/bin/sh\\n' > \"$bin/milvus-lite\";"
                                        + " chmod +x \"$bin/milvus-lite\"; echo Installed; exit 0"
                                : "      echo 'ERROR: No matching distribution found'; exit 1",
                        "    fi ;;",
                        "esac",
                        "exit 2"));
    }

    private Path script(String name, String body) throws IOException {
        return script(temp.resolve(name), body);
    }

    private static Path script(Path script, String body) throws IOException {
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
