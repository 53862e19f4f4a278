package io.github.milvuscdi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A test JVM that dies without closing its servers leaves no milvus-lite behind. */
class JvmExitTest {

    @Test
    void aTerminatedJvmTakesItsServerWithIt() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        for (String key : List.of(
                PinnedVersions.MILVUS_LITE_KEY, PinnedVersions.PYMILVUS_KEY, MilvusLiteInstallation.CACHE_PROPERTY)) {
            if (System.getProperty(key) != null) {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.add(Child.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            long serverPid = readServerPid(child);
            ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
            assertThat(server.isAlive()).isTrue();

            child.destroy(); // SIGTERM: what a build tool does to a test JVM it gives up on
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(server.onExit()
                            .completeOnTimeout(server, 10, TimeUnit.SECONDS)
                            .get()
                            .isAlive())
                    .as("milvus-lite %d after its JVM ended", serverPid)
                    .isFalse();
        } finally {
            child.destroyForcibly();
        }
    }

    private static long readServerPid(Process child) throws Exception {
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("SERVER-PID ")) {
                return Long.parseLong(line.substring("SERVER-PID ".length()).trim());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("The child JVM ended without starting a server:\n" + seen);
    }

    /** Starts a server, reports its pid, then waits to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            MilvusLiteServer server = MilvusLiteServer.start("orphan");
            System.out.println("SERVER-PID " + Optional.of(server.pid()).orElseThrow());
            System.out.flush();
            new CountDownLatch(1).await(2, TimeUnit.MINUTES); // until killed; bounded all the same
        }
    }
}
