package io.github.milvuscdi.it.quarkus;

/**
 * A search: the notes whose meaning is nearest to some words.
 *
 * @param text what to look for, in words, such as {@code "a trip by rail"}
 * @param limit how many notes to return; 3 when absent
 */
public record NoteQuery(String text, Integer limit) {

    int limitOrDefault() {
        return limit == null ? 3 : limit;
    }
}
