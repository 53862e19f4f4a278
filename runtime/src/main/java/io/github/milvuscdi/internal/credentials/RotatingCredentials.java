package io.github.milvuscdi.internal.credentials;

import io.github.milvuscdi.MilvusCredentialsProvider;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.CredentialsSource;
import io.milvus.shaded.io.grpc.ClientInterceptor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The current credentials of one client whose alias takes them from a source that may change: read when the
 * client connects, then again every {@link #CHECK_MILLIS} ms on the checks' thread and at once when the server
 * refused them. Calls take the value read last ({@link #header()}), never waiting for a read.
 *
 * <p>A source that cannot be read keeps the last good value: one WARNING names the alias, the key and the path
 * (or bean), never the value; readiness shows it ({@link #unreadable}) until the source can be read again.
 *
 * <p>Thread-safe.
 */
public final class RotatingCredentials {

    /** How often a source is read again. */
    static final long CHECK_MILLIS = 1000;

    private static final Logger LOG = Logger.getLogger(RotatingCredentials.class.getName());
    /** The sources that cannot be read now, per settings of a connected alias: what readiness shows. */
    private static final Map<ConnectionSettings, RotatingCredentials> OPEN =
            Collections.synchronizedMap(new IdentityHashMap<>());

    private final ConnectionSettings settings;
    private final CredentialsSource source;
    private final CredentialsRead read;
    private final ScheduledExecutorService checks;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile String header;
    private volatile boolean unreadable;
    private volatile ScheduledFuture<?> schedule;

    private RotatingCredentials(ConnectionSettings settings, CredentialsRead read, ScheduledExecutorService checks) {
        this.settings = settings;
        this.source = settings.credentialsSource();
        this.read = read;
        this.checks = checks;
    }

    /**
     * Reads an alias's credentials for a client about to connect, and keeps reading them until {@link #stop()}.
     *
     * @param settings the alias's settings, with a {@link ConnectionSettings#credentialsSource()}
     * @param providers finds the bean a {@code credentials-provider} names
     * @param checks runs the reads; its tasks are short
     * @return the credentials
     * @throws IllegalStateException naming the alias, the key and the path or bean, when the source cannot be read
     *     now
     */
    public static RotatingCredentials start(
            ConnectionSettings settings,
            Function<String, MilvusCredentialsProvider> providers,
            ScheduledExecutorService checks) {
        CredentialsSource source = settings.credentialsSource();
        RotatingCredentials credentials =
                new RotatingCredentials(settings, CredentialsRead.of(settings.alias(), source, providers), checks);
        try {
            credentials.header = encode(source.authorization(credentials.read.read()));
        } catch (Exception unreadable) {
            throw new IllegalStateException(
                    "Milvus alias '" + settings.alias() + "': cannot read its credentials from "
                            + source.describe(settings.alias()) + " ("
                            + unreadable.getClass().getSimpleName() + ")",
                    null);
        }
        credentials.schedule =
                checks.scheduleWithFixedDelay(credentials::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        OPEN.put(settings, credentials);
        return credentials;
    }

    /**
     * Whether an alias's source of credentials cannot be read now, while its client sends the last good value.
     *
     * @param settings the alias's settings
     * @return the source, e.g. {@code milvus.connections.search.token-file=/run/secrets/token}; empty when it can be
     *     read, or the alias has none
     */
    public static Optional<String> unreadable(ConnectionSettings settings) {
        RotatingCredentials open = settings == null ? null : OPEN.get(settings);
        return open != null && open.unreadable
                ? Optional.of(open.source.describe(open.settings.alias()))
                : Optional.empty();
    }

    /** @return the interceptor that sends these credentials with every call */
    public ClientInterceptor interceptor() {
        return new CredentialsInterceptor(this);
    }

    /** @return the value of the {@code authorization} header now */
    String header() {
        return header;
    }

    /** Reads the source again now, on the checks' thread, unless a read is under way. */
    void checkNow() {
        if (!checking.get()) {
            try {
                checks.execute(this::check);
            } catch (RuntimeException stopped) {
                // the client is closing
            }
        }
    }

    /** Stops reading the source: the client is closed. */
    public void stop() {
        ScheduledFuture<?> scheduled = schedule;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        OPEN.remove(settings, this);
    }

    private void check() {
        if (!checking.compareAndSet(false, true)) {
            return;
        }
        String alias = settings.alias();
        try {
            String now = encode(source.authorization(read.read()));
            if (unreadable) {
                unreadable = false;
                LOG.info(() -> "Milvus alias '" + alias + "': " + source.describe(alias) + " can be read again");
            }
            if (!now.equals(header)) {
                header = now;
                LOG.info(() -> "Milvus alias '" + alias + "': the credentials from " + source.describe(alias)
                        + " changed; new calls send them");
            }
        } catch (Exception | LinkageError failed) {
            if (!unreadable) {
                unreadable = true;
                LOG.log(
                        Level.WARNING,
                        () -> "Milvus alias '" + alias + "': cannot read its credentials from "
                                + source.describe(alias) + " ("
                                + failed.getClass().getSimpleName()
                                + "); calls keep sending the credentials read last until it can be read again");
            }
        } finally {
            checking.set(false);
        }
    }

    private static String encode(String authorization) {
        return Base64.getEncoder().encodeToString(authorization.getBytes(StandardCharsets.UTF_8));
    }
}
