package io.github.milvuscdi.it.notes;

import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.util.List;

/**
 * The two notebooks of the service, one per Milvus alias: {@code default} (the current notes) and
 * {@code archive}.
 *
 * <p>Both clients are injected lazily, through {@code Instance}, so a request to one notebook never
 * connects the other: each alias connects on its first use, as the library promises.
 */
@ApplicationScoped
public class Notebooks {

    /** The notebooks this service serves, in the order the error message lists them. */
    static final List<String> ALIASES = List.of(MilvusConnection.DEFAULT_ALIAS, "archive");

    @Inject
    Instance<MilvusClientV2> current;

    @Inject
    @MilvusConnection("archive")
    Instance<MilvusClientV2> archive;

    /**
     * Returns the client of one notebook, connecting it on first use.
     *
     * @param alias {@code default} or {@code archive}
     * @return the alias's shared client; never closed by the caller
     * @throws NotFoundException for any other alias
     */
    MilvusClientV2 client(String alias) {
        switch (alias) {
            case MilvusConnection.DEFAULT_ALIAS:
                return current.get();
            case "archive":
                return archive.get();
            default:
                throw new NotFoundException("There is no notebook '" + alias + "'; use one of " + ALIASES);
        }
    }
}
