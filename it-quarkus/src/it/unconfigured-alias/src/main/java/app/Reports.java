package app;

import io.github.milvuscdi.MilvusConnection;
import io.milvus.v2.client.MilvusClientV2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Injects alias "reports", which application.properties does not configure. */
@ApplicationScoped
public class Reports {

    @Inject
    @MilvusConnection("reports")
    MilvusClientV2 reports;
}
