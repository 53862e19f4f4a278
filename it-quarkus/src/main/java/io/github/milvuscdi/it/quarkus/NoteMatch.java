package io.github.milvuscdi.it.quarkus;

/**
 * A note found by a search.
 *
 * @param id the note's id
 * @param text the note
 * @param score the cosine similarity of its embedding to the query's: 1 is the same meaning, 0 unrelated
 */
public record NoteMatch(long id, String text, float score) {}
