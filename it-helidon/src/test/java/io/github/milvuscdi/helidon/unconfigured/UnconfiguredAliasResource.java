package io.github.milvuscdi.helidon.unconfigured;

import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Injects alias {@code unconfigured}, which no configuration names: the application that carries this class
 * must fail to start with our message naming {@code milvus.connections.unconfigured.uri}. Added
 * by {@code UnconfiguredAliasIT} to the notes classes; never started successfully.
 */
@Path("unconfigured")
@RequestScoped
public class UnconfiguredAliasResource {

    /** The alias no configuration names. */
    public static final String ALIAS = "unconfigured";

    @Inject
    @MilvusConnection(ALIAS)
    MilvusClientV2 client;

    /** Never reached: the start fails first. */
    @GET
    public String client() {
        return String.valueOf(client);
    }
}
