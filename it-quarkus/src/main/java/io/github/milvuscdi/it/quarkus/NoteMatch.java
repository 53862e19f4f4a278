package io.github.milvuscdi.it.quarkus;

/**
 * A note found by a search.
 *
 * @param id the note's id
 * @param text the note
 * @param score its cosine similarity to the query vector: 1 is the same direction
 */
public record NoteMatch(long id, String text, float score) {
}
