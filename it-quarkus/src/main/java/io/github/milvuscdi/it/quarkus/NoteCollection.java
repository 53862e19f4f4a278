package io.github.milvuscdi.it.quarkus;

/**
 * A collection of notes to create.
 *
 * @param dimension the number of dimensions of every embedding in it
 */
public record NoteCollection(int dimension) {
}
