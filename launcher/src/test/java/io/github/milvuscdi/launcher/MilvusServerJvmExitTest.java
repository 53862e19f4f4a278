package io.github.milvuscdi.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A test JVM killed with SIGKILL (no shutdown hook runs) leaves no Milvus behind: the launcher sees
 * its standard input close and stops milvus.
 */
class MilvusServerJvmExitTest {

    @Test
    void aKilledJvmTakesTheLauncherAndMilvusWithIt() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        for (String key : List.of(PinnedVersions.MILVUS_SERVER_KEY, MilvusLiteInstallation.CACHE_PROPERTY)) {
            if (System.getProperty(key) != null) {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.add(Child.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            List<ProcessHandle> server = readServerProcesses(child);
            assertThat(server)
                    .as("launcher and milvus")
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allMatch(ProcessHandle::isAlive);

            child.destroyForcibly(); // SIGKILL: no shutdown hook
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            for (ProcessHandle process : server) {
                assertThat(process.onExit()
                                .completeOnTimeout(process, 30, TimeUnit.SECONDS)
                                .get()
                                .isAlive())
                        .as("process %d after its JVM was killed", process.pid())
                        .isFalse();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    private static List<ProcessHandle> readServerProcesses(Process child) throws Exception {
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("SERVER-PIDS ")) {
                return Arrays.stream(
                                line.substring("SERVER-PIDS ".length()).trim().split(" "))
                        .map(pid -> ProcessHandle.of(Long.parseLong(pid)).orElseThrow())
                        .toList();
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("The child JVM ended without starting a server:\n" + seen);
    }

    /** Starts a server, reports the pids of its processes, then waits to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            MilvusServer server = MilvusServer.start("orphan");
            StringBuilder pids = new StringBuilder("SERVER-PIDS");
            server.pids().forEach(pid -> pids.append(' ').append(pid));
            System.out.println(pids);
            System.out.flush();
            System.in.read(); // until this JVM is killed, or the test's end closes the pipe
        }
    }
}
