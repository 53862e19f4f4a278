package io.github.milvuscdi.it.notes;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The benchmark's baseline: the notes WAR without Milvus CDI. This class replaces the WAR's own
 * {@code Notebooks} and builds the two clients itself, lazily, from the same configuration keys, as
 * an application without the library would. Only the benchmark compiles it (see deploy-time.sh).
 */
@ApplicationScoped
public class Notebooks {

    static final List<String> ALIASES = List.of("default", "archive");

    private final Map<String, MilvusClientV2> clients = new ConcurrentHashMap<>();

    MilvusClientV2 client(String alias) {
        if (!ALIASES.contains(alias)) {
            throw new NotFoundException("There is no notebook '" + alias + "'; use one of " + ALIASES);
        }
        return clients.computeIfAbsent(alias, name -> new MilvusClientV2(ConnectConfig.builder()
                .uri(ConfigProvider.getConfig().getValue("milvus.connections." + name + ".uri", String.class))
                .keepAliveWithoutCalls(false)
                .build()));
    }

    @PreDestroy
    void close() {
        for (MilvusClientV2 client : clients.values()) {
            try {
                client.close(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
