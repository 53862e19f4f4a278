package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.KeyStoreFile;
import io.milvus.v2.client.MilvusClientV2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the certificate files of the open clients (the PEM keys, {@code trust-store}, {@code key-store}) about
 * once a second and, when one's content changed, has the client reconnected with them ({@code renew}): Kubernetes
 * and cert-manager replace them in place or through a {@code ..data} symlink swap, and a content digest sees both.
 *
 * <p>A file that cannot be read leaves the connection as it is, with one WARNING naming the key and the path; a
 * renewal that fails (a key and its certificate written one after the other, seen half done) leaves it too, with
 * one WARNING per content, and is tried again at the next check.
 *
 * <p>Certificates that change elsewhere (Quarkus's TLS registry reloaded them) are renewed when told, through
 * {@link #renewNow}.
 *
 * <p>Thread-safe. Its one daemon thread has no context class loader, ends when nothing is watched and with
 * {@link #stop()}.
 */
public final class CertificateRenewal {

    private static final Logger LOG = Logger.getLogger(CertificateRenewal.class.getName());
    /** How often the files are read. */
    static final Duration PERIOD = Duration.ofSeconds(1);

    private final BiConsumer<ConnectionSettings, MilvusClientV2> renew;
    // Guarded by this.
    private final Map<MilvusClientV2, Watched> watched = new IdentityHashMap<>();
    private ScheduledThreadPoolExecutor checker;

    /** The files of one client and their digests when it last connected. */
    private static final class Watched {
        final ConnectionSettings settings;
        final Map<String, String> files; // path -> full key naming it
        Map<String, byte[]> digests;
        Map<String, byte[]> failedDigests;
        String unreadable;

        Watched(ConnectionSettings settings, Map<String, String> files, Map<String, byte[]> digests) {
            this.settings = settings;
            this.files = files;
            this.digests = digests;
        }
    }

    /**
     * @param renew reconnects a client with the files as they are now; throws when it cannot, leaving it as it was
     */
    CertificateRenewal(BiConsumer<ConnectionSettings, MilvusClientV2> renew) {
        this.renew = renew;
    }

    /**
     * Reconnects an open alias with its certificates as they are now, without failing its calls (Quarkus's TLS
     * registry reloaded them); does nothing when the alias is not open.
     *
     * @param registry the registry that holds the alias
     * @param alias the alias
     */
    public static void renewNow(ConnectionRegistry registry, String alias) {
        registry.settings(alias)
                .ifPresent(settings -> registry.connected(alias)
                        .ifPresent(client -> registry.factory().renew(settings, client)));
    }

    /** The certificate files of an alias, each with the full key that names it; empty when TLS is off. */
    static Map<String, String> files(ConnectionSettings settings) {
        Map<String, String> files = new LinkedHashMap<>();
        if (!settings.secure()) {
            return files;
        }
        String alias = settings.alias();
        put(files, settings.serverPemPath(), "server-pem-path", alias);
        put(files, settings.caPemPath(), "ca-pem-path", alias);
        put(files, settings.clientPemPath(), "client-pem-path", alias);
        put(files, settings.clientKeyPath(), "client-key-path", alias);
        for (KeyStoreFile store :
                Arrays.asList(settings.stores().trustStore(), settings.stores().keyStore())) {
            if (store != null) {
                files.put(store.path(), store.pathKey().fullKey(alias));
            }
        }
        return files;
    }

    private static void put(Map<String, String> files, String path, String key, String alias) {
        if (path != null) {
            files.put(path, "milvus.connections." + alias + "." + key);
        }
    }

    /**
     * Watches a client that just connected, when its alias has certificate files.
     *
     * @param settings the alias's settings
     * @param client the connected client
     */
    void watch(ConnectionSettings settings, MilvusClientV2 client) {
        Map<String, String> files = files(settings);
        if (files.isEmpty()) {
            return;
        }
        Map<String, byte[]> digests = digests(files.keySet());
        synchronized (this) {
            watched.put(client, new Watched(settings, files, digests == null ? Map.of() : digests));
            if (checker == null) {
                checker = new ScheduledThreadPoolExecutor(1, task -> {
                    Thread thread = new Thread(task, "milvus-cdi-certificates");
                    thread.setDaemon(true);
                    thread.setContextClassLoader(null);
                    return thread;
                });
                checker.scheduleWithFixedDelay(
                        this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Stops watching a client, which is being closed. */
    void forget(MilvusClientV2 client) {
        ScheduledThreadPoolExecutor ending = null;
        synchronized (this) {
            watched.remove(client);
            if (watched.isEmpty() && checker != null) {
                ending = checker;
                checker = null;
            }
        }
        if (ending != null) {
            ending.shutdown();
        }
    }

    /** Stops watching anything. */
    void stop() {
        ScheduledThreadPoolExecutor ending;
        synchronized (this) {
            watched.clear();
            ending = checker;
            checker = null;
        }
        if (ending != null) {
            ending.shutdownNow();
        }
    }

    private void check() {
        List<Map.Entry<MilvusClientV2, Watched>> now;
        synchronized (this) {
            now = new ArrayList<>(watched.entrySet());
        }
        for (Map.Entry<MilvusClientV2, Watched> entry : now) {
            try {
                check(entry.getKey(), entry.getValue());
            } catch (RuntimeException | Error unexpected) {
                LOG.log(
                        Level.WARNING,
                        unexpected,
                        () -> "Milvus alias '" + entry.getValue().settings.alias()
                                + "': checking its certificate files failed");
            }
        }
    }

    private void check(MilvusClientV2 client, Watched watch) {
        String alias = watch.settings.alias();
        Map<String, byte[]> digests = new LinkedHashMap<>();
        for (Map.Entry<String, String> file : watch.files.entrySet()) {
            byte[] digest = digest(file.getKey());
            if (digest == null) {
                if (!file.getKey().equals(watch.unreadable)) {
                    watch.unreadable = file.getKey();
                    LOG.warning(() -> "Milvus alias '" + alias + "': " + file.getValue() + "='" + file.getKey()
                            + "' cannot be read; the connection keeps the certificates it has until it can");
                }
                return;
            }
            digests.put(file.getKey(), digest);
        }
        watch.unreadable = null;
        if (same(digests, watch.digests) || same(digests, watch.failedDigests)) {
            return;
        }
        synchronized (this) {
            if (!watched.containsKey(client)) {
                return; // closed meanwhile
            }
        }
        try {
            renew.accept(watch.settings, client);
            watch.digests = digests;
            watch.failedDigests = null;
        } catch (RuntimeException failed) {
            watch.failedDigests = digests;
            LOG.warning(() -> "Milvus alias '" + alias + "': its certificate files changed ("
                    + String.join(", ", watch.files.values()) + ") but connecting with them failed; the connection "
                    + "keeps the former certificates, and tries again when the files change: " + failed.getMessage());
        }
    }

    private static boolean same(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (b == null || !a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> entry : a.entrySet()) {
            if (!Arrays.equals(entry.getValue(), b.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, byte[]> digests(Iterable<String> paths) {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        for (String path : paths) {
            byte[] digest = digest(path);
            if (digest == null) {
                return null;
            }
            digests.put(path, digest);
        }
        return digests;
    }

    /** The SHA-256 of a file's content, following symbolic links; {@code null} when it cannot be read. */
    private static byte[] digest(String path) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of(path)));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
