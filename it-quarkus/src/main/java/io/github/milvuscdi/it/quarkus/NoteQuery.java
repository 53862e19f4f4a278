package io.github.milvuscdi.it.quarkus;

/**
 * A search: the notes nearest to a vector.
 *
 * @param vector the query embedding
 * @param limit how many notes to return; 3 when absent
 */
public record NoteQuery(float[] vector, Integer limit) {

    int limitOrDefault() {
        return limit == null ? 3 : limit;
    }
}
