package io.github.milvuscdi.it.quarkus;

import io.github.milvuscdi.launcher.MilvusLiteServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One real milvus-lite server per alias of the application ({@code default} and {@code archive}),
 * started through the testing module before Quarkus starts, and stopped after. The application
 * receives each server's URI as {@code milvus.connections.<alias>.uri}; tests receive the servers
 * in fields marked {@link MilvusLite}, to check what the application wrote, or to stop one.
 *
 * <p>Test classes that declare this same resource, and nothing else, share one application.
 */
public class MilvusLiteResource implements QuarkusTestResourceLifecycleManager {

    static final String[] ALIASES = {"default", "archive"};

    private final Map<String, MilvusLiteServer> servers = new LinkedHashMap<>();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>();
        for (String alias : ALIASES) {
            MilvusLiteServer server = MilvusLiteServer.start(alias);
            servers.put(alias, server);
            config.put("milvus.connections." + alias + ".uri", server.uri());
        }
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        servers.forEach((alias, server) -> injector.injectIntoFields(
                server,
                field -> field.getType().getName().equals(MilvusLiteServer.class.getName())
                        && field.isAnnotationPresent(MilvusLite.class)
                        && field.getAnnotation(MilvusLite.class).value().equals(alias)));
    }

    @Override
    public void stop() {
        servers.values().forEach(MilvusLiteServer::close);
        servers.clear();
    }
}
