package io.github.milvuscdi.it.quarkus;

/**
 * A note, as the client sends it; the application computes its embedding.
 *
 * @param id the note's id, unique within its collection
 * @param text the note, in words
 */
public record Note(long id, String text) {}
