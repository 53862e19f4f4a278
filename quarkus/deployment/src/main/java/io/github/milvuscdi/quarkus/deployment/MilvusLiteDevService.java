package io.github.milvuscdi.quarkus.deployment;

import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.github.milvuscdi.quarkus.runtime.DevServicesReadinessCheck;
import io.quarkus.deployment.builditem.Startable;
import org.jboss.logging.Logger;

/**
 * One alias's Dev Service: a milvus-lite server started with the {@code testing} module, or, when it
 * cannot start (no Python, no PyPI), the reason, which the application then reports in its readiness
 * check instead of failing to start.
 *
 * <p>Quarkus creates it when the application starts and keeps it across live reloads while the
 * alias's {@link DevServiceIdentity} stays the same; {@link #close()} stops the server.
 */
final class MilvusLiteDevService implements Startable {

    private static final Logger LOG = Logger.getLogger(MilvusLiteDevService.class);

    /** The {@code uri} of an alias whose server could not start: see {@link #uri()}. */
    static final String NOT_STARTED_URI = "http://milvus-dev-service-not-started.invalid:19530";

    private final String alias;
    private volatile MilvusLiteServer server;
    private volatile String failure;

    MilvusLiteDevService(String alias) {
        this.alias = alias;
    }

    @Override
    public void start() {
        try {
            server = MilvusLiteServer.start(serverName(alias));
        } catch (RuntimeException e) {
            failure = "the Milvus Dev Service for alias '" + alias + "' could not start milvus-lite: " + e.getMessage();
            // formatted here: tests and log handlers read the message, not a pattern
            LOG.error(failure + ". The application starts without it; its readiness check is DOWN until you"
                    + " install what is named above, or set " + DevServiceAliases.locationKey(alias)
                    + ", or turn Dev Services off with milvus.devservices.enabled=false.");
            return;
        }
        LOG.info(String.format(
                "Milvus Dev Service: milvus-lite for alias '%s' at %s (set as %s; data in %s,"
                        + " log %s). Connect pymilvus to it with MilvusClient(uri=\"%s\")",
                alias,
                server.uri(),
                DevServiceAliases.locationKey(alias),
                server.dataDir(),
                server.logFile(),
                server.uri()));
    }

    /**
     * The alias's {@code uri} for the run: the server's, or, when it could not start,
     * {@value #NOT_STARTED_URI}: a valid URI (milvus-cdi checks every alias's keys when the
     * application starts) whose host can never resolve ({@code .invalid}, RFC 2606), so the alias is
     * {@code DOWN} with its name in the reason and connects nowhere. Never nothing: alias
     * {@code default} would then fall back to {@code localhost:19530}, whatever server that is.
     */
    String uri() {
        MilvusLiteServer running = server;
        return running == null ? NOT_STARTED_URI : running.uri();
    }

    /** @return the value of {@code milvus-devservices.<alias>}: the server, or why it is missing */
    String status() {
        MilvusLiteServer running = server;
        return running != null ? DevServicesReadinessCheck.RUNNING + running.uri() : "not started: " + failure;
    }

    @Override
    public String getConnectionInfo() {
        MilvusLiteServer running = server;
        return running != null ? running.uri() : "nothing: milvus-lite could not start (see the error above)";
    }

    @Override
    public String getContainerId() {
        return null;
    }

    @Override
    public void close() {
        MilvusLiteServer running = server;
        if (running != null) {
            server = null;
            running.close();
            LOG.info("Milvus Dev Service: stopped milvus-lite for alias '" + alias + "' at " + running.uri());
        }
    }

    /** A server name the testing module accepts (letters, digits, '.', '_', '-'), for its folder and log. */
    static String serverName(String alias) {
        String name = "devservices-" + alias.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }
}
