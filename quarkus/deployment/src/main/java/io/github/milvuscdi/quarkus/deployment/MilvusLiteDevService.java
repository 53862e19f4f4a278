package io.github.milvuscdi.quarkus.deployment;

import io.github.milvuscdi.quarkus.runtime.DevServicesReadinessCheck;
import io.github.milvuscdi.testing.MilvusLiteServer;
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
            LOG.errorf("%s. The application starts without it; its readiness check is DOWN until you"
                    + " install what is named above, or set %s, or turn Dev Services off with"
                    + " milvus.devservices.enabled=false.", failure, DevServiceAliases.locationKey(alias));
            return;
        }
        LOG.infof("Milvus Dev Service: milvus-lite for alias '%s' at %s (set as %s; data in %s, log %s)."
                + " Connect pymilvus to it with MilvusClient(uri=\"%s\")", alias, server.uri(),
                DevServiceAliases.locationKey(alias), server.dataDir(), server.logFile(), server.uri());
    }

    /** @return the server's URI; {@code null} when it could not start */
    String uri() {
        MilvusLiteServer running = server;
        return running == null ? null : running.uri();
    }

    /** @return the value of {@code milvus-devservices.<alias>}: the server, or why it is missing */
    String status() {
        String uri = uri();
        return uri != null ? DevServicesReadinessCheck.RUNNING + uri : "not started: " + failure;
    }

    @Override
    public String getConnectionInfo() {
        return status();
    }

    @Override
    public String getContainerId() {
        return null;
    }

    @Override
    public void close() {
        MilvusLiteServer running = server;
        if (running != null) {
            running.close();
            LOG.infof("Milvus Dev Service: stopped milvus-lite for alias '%s' at %s", alias, running.uri());
        }
    }

    /** A server name the testing module accepts (letters, digits, '.', '_', '-'), for its folder and log. */
    static String serverName(String alias) {
        String name = "devservices-" + alias.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.length() > 64 ? name.substring(0, 64) : name;
    }
}
