package io.github.milvuscdi.wildfly.unconfigured;

import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The only class of the WAR that {@code UnconfiguredAliasIT} builds: it injects alias
 * {@code nowhere}, which no configuration names, so the deployment must fail.
 */
@ApplicationScoped
public class ArchiveReader {

    @Inject
    @MilvusConnection("nowhere")
    MilvusClientV2 client;
}
