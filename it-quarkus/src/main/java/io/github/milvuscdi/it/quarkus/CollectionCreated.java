package io.github.milvuscdi.it.quarkus;

/**
 * The answer to creating a collection.
 *
 * @param alias where it was created
 * @param collection its name
 * @param created {@code false} when it existed already
 * @param dimension the number of dimensions of the embeddings it holds (the model's)
 */
public record CollectionCreated(String alias, String collection, boolean created, int dimension) {}
