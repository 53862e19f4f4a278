package io.github.milvuscdi.backends;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.milvuscdi.MilvusConnection;
import io.github.milvuscdi.MilvusCredentialsProvider;
import io.github.milvuscdi.harness.LogCapture;
import io.github.milvuscdi.launcher.MilvusServerOptions;
import io.github.milvuscdi.testing.Await;
import io.github.milvuscdi.testing.MilvusServerExtension;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.rbac.request.CreateUserReq;
import io.milvus.v2.service.rbac.request.DropUserReq;
import io.milvus.v2.service.rbac.request.GrantRoleReq;
import io.milvus.v2.service.rbac.request.UpdatePasswordReq;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials that change while 8 threads call without pause, on one Milvus server with authentication: a second
 * user is created, its credentials reach the alias's source, and once the log says new calls send them, the first
 * user is dropped. Not one call fails, and calls keep succeeding as the second user: from a file rewritten in place,
 * from Kubernetes' {@code ..data} symlink swap (a token, or a {@code basic-auth} secret's user and password files
 * swapped together), from a provider bean. {@code password-file} with a fixed {@code user} cannot do that (Milvus
 * keeps one password per user): its test shows calls succeed again once the file follows the server.
 */
class RotatingCredentialsTest {

    @RegisterExtension
    static final MilvusServerExtension MILVUS = new MilvusServerExtension(
            "rotating", MilvusServerOptions.plaintext().authentication());

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String CHANGED = "changed; new calls send them";

    @TempDir
    Path folder;

    /** The provider bean of the test that names one: answers what the test last set. */
    @ApplicationScoped
    @Named("rotating-test")
    static class SwitchableCredentials implements MilvusCredentialsProvider {
        static volatile String token;

        @Override
        public String token(String alias) {
            return token;
        }
    }

    @AfterAll
    static void noOtherTestSeesTheProvider() {
        SwitchableCredentials.token = null;
    }

    @Test
    void aTokenFileRewrittenInPlaceSwitchesUsersWithoutAFailedCall() throws Exception {
        Path file = folder.resolve("token");
        Files.writeString(file, " filefirst:" + password("filefirst") + "\n");
        rotates(Map.of("token-file", file.toString()), "filefirst", "filesecond", user -> {
            try {
                Files.writeString(file, user + ":" + password(user) + "\n"); // truncates, then writes: in place
            } catch (Exception failed) {
                throw new IllegalStateException(failed);
            }
        });
    }

    @Test
    void aKubernetesSymlinkSwapSwitchesUsersWithoutAFailedCall() throws Exception {
        Path mount = folder.resolve("secret");
        kubeletMounts(mount, "..2026_12_07_first", Map.of("token", "linkfirst:" + password("linkfirst")));
        rotates(
                Map.of("token-file", mount.resolve("token").toString()),
                "linkfirst",
                "linksecond",
                user -> kubeletSwaps(
                        mount,
                        "..2026_12_07_first",
                        "..2026_12_07_second",
                        Map.of("token", user + ":" + password(user))));
    }

    @Test
    void aBasicAuthSecretsUserFileAndPasswordFileSwitchUsersWithoutAFailedCall() throws Exception {
        Path mount = folder.resolve("basic-auth");
        kubeletMounts(mount, "..2026_12_07_first", Map.of("username", "pairfirst", "password", password("pairfirst")));
        String log = rotates(
                Map.of(
                        "user-file", mount.resolve("username").toString(),
                        "password-file", mount.resolve("password").toString()),
                "pairfirst",
                "pairsecond",
                user -> kubeletSwaps(
                        mount,
                        "..2026_12_07_first",
                        "..2026_12_07_second",
                        Map.of("username", user, "password", password(user))));

        assertThat(log)
                .as("the log names both files, never what they hold")
                .contains("milvus.connections.rotating.user-file=" + mount.resolve("username")
                        + " and milvus.connections.rotating.password-file=" + mount.resolve("password") + " changed")
                .doesNotContain(password("pairfirst"))
                .doesNotContain(password("pairsecond"));
    }

    @Test
    void aProviderBeanChangingItsAnswerSwitchesUsersWithoutAFailedCall() throws Exception {
        SwitchableCredentials.token = "beanfirst:" + password("beanfirst");
        rotates(
                Map.of("credentials-provider", "rotating-test"),
                "beanfirst",
                "beansecond",
                user -> SwitchableCredentials.token = user + ":" + password(user));
    }

    @Test
    void aPasswordFileFollowsThePasswordOfItsUserOnceTheServerRefusesTheFormerOne() throws Exception {
        createUser("pwuser");
        Path file = folder.resolve("password");
        Files.writeString(file, password("pwuser") + "\n");
        Map<String, String> config = config(Map.of("user", "pwuser", "password-file", file.toString()));
        try (LogCapture log = LogCapture.of("io.github.milvuscdi.internal.credentials");
                AutoCloseable c = Backends.useConfig(config);
                WeldContainer container = Backends.boot()) {
            MilvusClientV2 client = client(container);
            client.listCollections();
            withRoot(root -> root.updatePassword(UpdatePasswordReq.builder()
                    .userName("pwuser")
                    .password(password("pwuser"))
                    .newPassword("Changed-pw-42")
                    .build()));
            Files.writeString(file, "Changed-pw-42");
            Await.until(() -> succeeds(client), BOUND, "a call with the new password");
            assertThat(log.text()).contains("milvus.connections.rotating.password-file=" + file + " changed");
        } finally {
            dropUser("pwuser");
        }
    }

    @Test
    void aVanishedFileKeepsTheLastCredentialsWarnsOnceAndReadinessSaysSo() throws Exception {
        createUser("vanuser");
        Path file = folder.resolve("vanishing");
        Files.writeString(file, "vanuser:" + password("vanuser"));
        String source = "milvus.connections.rotating.token-file=" + file;
        try (LogCapture log = LogCapture.of("io.github.milvuscdi.internal.credentials");
                AutoCloseable c = Backends.useConfig(config(Map.of("token-file", file.toString())));
                WeldContainer container = Backends.boot()) {
            MilvusClientV2 client = client(container);
            client.listCollections();
            Files.delete(file);
            Await.until(() -> log.text().contains("cannot read its credentials from " + source), BOUND, "a warning");
            assertThat(readiness(container)).contains("UP").contains("unreadable-credentials=" + source);
            client.listCollections(); // with the credentials read last
            Files.writeString(file, "vanuser:" + password("vanuser"));
            Await.until(() -> log.text().contains(source + " can be read again"), BOUND, "the file read again");
            assertThat(readiness(container)).doesNotContain("unreadable-credentials");
            assertThat(log.messages().stream().filter(line -> line.contains("cannot read")))
                    .as("warnings while the file was missing")
                    .hasSize(1)
                    .allSatisfy(line -> assertThat(line).doesNotContain(password("vanuser")));
        } finally {
            dropUser("vanuser");
        }
    }

    /**
     * Mounts a secret as the kubelet does: its files in a timestamped folder, {@code ..data} linking to that folder,
     * and each file a link through {@code ..data}.
     */
    private static void kubeletMounts(Path mount, String version, Map<String, String> files) throws Exception {
        Files.createDirectories(mount.resolve(version));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(mount.resolve(version).resolve(file.getKey()), file.getValue());
            Files.createSymbolicLink(mount.resolve(file.getKey()), Path.of("..data", file.getKey()));
        }
        Files.createSymbolicLink(mount.resolve("..data"), Path.of(version));
    }

    /**
     * Updates a mounted secret as the kubelet does: every file at once, in a new folder, with a new link renamed
     * over {@code ..data}; then the former folder is removed.
     */
    private static void kubeletSwaps(Path mount, String former, String version, Map<String, String> files) {
        try {
            Files.createDirectories(mount.resolve(version));
            for (Map.Entry<String, String> file : files.entrySet()) {
                Files.writeString(mount.resolve(version).resolve(file.getKey()), file.getValue());
            }
            Files.createSymbolicLink(mount.resolve("..data_tmp"), Path.of(version));
            Files.move(mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            for (String file : files.keySet()) {
                Files.delete(mount.resolve(former).resolve(file));
            }
            Files.delete(mount.resolve(former));
        } catch (Exception failed) {
            throw new IllegalStateException(failed);
        }
    }

    private static String readiness(WeldContainer container) {
        return String.valueOf(container
                .select(HealthCheck.class, Readiness.Literal.INSTANCE)
                .get()
                .call()
                .getData());
    }

    private static boolean succeeds(MilvusClientV2 client) {
        try {
            client.listCollections();
            return true;
        } catch (RuntimeException refused) {
            return false;
        }
    }

    private static MilvusClientV2 client(WeldContainer container) {
        return container
                .select(MilvusClientV2.class, MilvusConnection.Literal.of("rotating"))
                .get();
    }

    private static Map<String, String> config(Map<String, String> keys) {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put("milvus.connections.rotating.uri", MILVUS.server().uri());
        config.put("milvus.connections.rotating.retry.max-attempts", "1"); // a refusal is seen at once
        keys.forEach((key, value) -> config.put("milvus.connections.rotating." + key, value));
        return config;
    }

    /**
     * Calls on 8 threads while {@code first}'s credentials are replaced by {@code second}'s through {@code change},
     * and {@code first} is dropped once the alias says it sends the new ones.
     *
     * @return what the library logged meanwhile
     */
    private String rotates(Map<String, String> source, String first, String second, Consumer<String> change)
            throws Exception {
        createUser(first);
        String alias = "rotating";
        Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put("milvus.connections." + alias + ".uri", MILVUS.server().uri());
        source.forEach((key, value) -> config.put("milvus.connections." + alias + "." + key, value));
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicLong calls = new AtomicLong();
        AtomicBoolean calling = new AtomicBoolean(true);
        List<Thread> callers = new ArrayList<>();
        String logged;
        try (LogCapture log = LogCapture.of("io.github.milvuscdi.internal.credentials");
                AutoCloseable c = Backends.useConfig(config);
                WeldContainer container = Backends.boot(SwitchableCredentials.class)) {
            MilvusClientV2 client = container
                    .select(MilvusClientV2.class, MilvusConnection.Literal.of(alias))
                    .get();
            for (int i = 0; i < 8; i++) {
                Thread caller = new Thread(
                        () -> {
                            while (calling.get()) {
                                try {
                                    client.listCollections();
                                    calls.incrementAndGet();
                                } catch (RuntimeException failed) {
                                    failures.add(failed);
                                }
                            }
                        },
                        "caller-" + i);
                caller.start();
                callers.add(caller);
            }
            awaitMoreCalls(calls, failures);
            createUser(second);
            change.accept(second);
            Await.until(() -> log.text().contains(CHANGED), BOUND, "the alias says it sends the new credentials");
            dropUser(first);
            awaitMoreCalls(calls, failures);
            awaitMoreCalls(calls, failures); // past the server's cache of the first user, whatever it keeps
            stop(calling, callers); // before the container closes the client under them
            logged = log.text();
        } finally {
            stop(calling, callers);
            dropUser(second);
        }
        assertThat(failures)
                .as("calls that failed while the credentials changed")
                .isEmpty();
        return logged;
    }

    private static void stop(AtomicBoolean calling, List<Thread> callers) throws InterruptedException {
        calling.set(false);
        for (Thread caller : callers) {
            caller.join(BOUND.toMillis());
        }
    }

    private static void awaitMoreCalls(AtomicLong calls, List<Throwable> failures) {
        long before = calls.get();
        Await.until(
                () -> calls.get() >= before + 200 || !failures.isEmpty(),
                BOUND,
                "200 more calls (" + (calls.get() - before) + " so far)");
    }

    private static String password(String user) {
        return "Pw-" + user + "-42";
    }

    private static void createUser(String user) {
        withRoot(root -> {
            root.createUser(CreateUserReq.builder()
                    .userName(user)
                    .password(password(user))
                    .build());
            root.grantRole(
                    GrantRoleReq.builder().userName(user).roleName("admin").build());
        });
    }

    private static void dropUser(String user) {
        withRoot(root -> root.dropUser(DropUserReq.builder().userName(user).build()));
    }

    private static void withRoot(Consumer<MilvusClientV2> work) {
        MilvusClientV2 root = new MilvusClientV2(ConnectConfig.builder()
                .uri(MILVUS.server().uri())
                .token(MilvusServerOptions.ROOT_USER + ":" + MilvusServerOptions.ROOT_PASSWORD)
                .build());
        try {
            work.accept(root);
        } finally {
            try {
                root.close(5);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
