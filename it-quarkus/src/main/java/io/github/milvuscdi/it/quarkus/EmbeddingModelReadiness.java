package io.github.milvuscdi.it.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The readiness check {@code embedding-model}: down while the sentence-embedding model loads (the
 * first seconds after startup), or when it could not be loaded, saying why; up once it embeds.
 */
@Readiness
@ApplicationScoped
public class EmbeddingModelReadiness implements HealthCheck {

    @Inject
    NoteEmbeddings embeddings;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("embedding-model")
                .withData("model", NoteEmbeddings.MODEL)
                .withData("dimension", NoteEmbeddings.DIMENSION);
        if (embeddings.isLoaded()) {
            return response.up()
                    .withData("loaded-in-ms", embeddings.loadMillis())
                    .build();
        }
        Throwable failure = embeddings.failure();
        return response.down()
                .withData("reason", failure == null ? "loading" : String.valueOf(failure))
                .build();
    }
}
