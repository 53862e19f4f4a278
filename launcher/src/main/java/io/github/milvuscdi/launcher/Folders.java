package io.github.milvuscdi.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Empties the folders the launcher owns: a server's files, a half-made installation. Stateless. */
final class Folders {

    private Folders() {}

    /**
     * Deletes a folder and everything in it; nothing when it does not exist.
     *
     * @param directory the folder
     * @throws IOException when a file cannot be deleted
     */
    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
