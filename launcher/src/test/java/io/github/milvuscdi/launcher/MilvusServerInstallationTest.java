package io.github.milvuscdi.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server's installation fails loudly, naming what to install, and never half-made. */
class MilvusServerInstallationTest {

    @TempDir
    Path temp;

    @Test
    void aMissingPythonSaysWhatToInstall() {
        Path missing = temp.resolve("no-such-python3");
        MilvusServerInstallation installation =
                installation(missing, PinnedVersions.milvusServer(System.getProperties()));

        assertThatThrownBy(() -> MilvusServer.start("nopython", installation, MilvusServerOptions.plaintext()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot run Python '" + missing + "' (MILVUS_LITE_PYTHON=" + missing + "): ")
                .hasMessageEndingWith(". " + MilvusLiteInstallation.INSTALL_PYTHON + ".");
        assertThat(installation.home().resolve("venv")).doesNotExist();
    }

    @Test
    void aVersionPipCannotFindSaysSoAndLeavesNoEnvironment() {
        MilvusServerInstallation installation = installation(Path.of("python3"), "0.0.1.dev404");

        assertThatThrownBy(installation::ensureInstalled)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("pip could not install milvus==0.0.1.dev404 into "
                        + installation.home().resolve("venv")
                        + " (exit code 1). The first run needs network access to PyPI")
                .hasMessageContaining("the output is in " + installation.installLog());
        assertThat(installation.home().resolve("venv")).doesNotExist();
        assertThat(installation.home().resolve("installed.properties")).doesNotExist();
    }

    private MilvusServerInstallation installation(Path python, String version) {
        Properties properties = new Properties();
        properties.setProperty("user.home", temp.toString());
        properties.setProperty(
                MilvusLiteInstallation.CACHE_PROPERTY, temp.resolve("cache").toString());
        properties.setProperty(PinnedVersions.MILVUS_SERVER_KEY, version);
        return new MilvusServerInstallation(Map.of(MilvusLiteInstallation.PYTHON_ENV, python.toString()), properties);
    }
}
