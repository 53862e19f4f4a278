package io.github.milvuscdi.it.quarkus;

/**
 * A note and its embedding, as the client sends it.
 *
 * @param id the note's id, unique within its collection
 * @param text the note
 * @param vector its embedding; as many numbers as the collection's dimension
 */
public record Note(long id, String text, float[] vector) {
}
