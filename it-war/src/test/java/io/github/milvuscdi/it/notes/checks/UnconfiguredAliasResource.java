package io.github.milvuscdi.it.notes.checks;

import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Injects alias {@code unconfigured}, which no configuration names: the WAR that carries this class
 * must fail to deploy with our message naming {@code milvus.connections.unconfigured.uri}. Packaged
 * by the runtimes' tests into a copy of the notes WAR; never deployed successfully.
 */
@Path("unconfigured")
@RequestScoped
public class UnconfiguredAliasResource {

    /** The alias no configuration names. */
    public static final String ALIAS = "unconfigured";

    @Inject
    @MilvusConnection(ALIAS)
    MilvusClientV2 client;

    /** Never reached: the deployment fails first. */
    @GET
    public String client() {
        return String.valueOf(client);
    }
}
