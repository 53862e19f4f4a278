package io.github.milvuscdi.internal.credentials;

import io.github.milvuscdi.MilvusCredentialsProvider;
import io.github.milvuscdi.internal.config.CredentialsSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads what a source holds now: a file's content, trimmed, following symbolic links each time (Kubernetes
 * swaps its {@code ..data} link to a new folder), a user file and a password file as one pair
 * ({@link UserPasswordFiles}), or a provider bean's answer.
 */
@FunctionalInterface
interface CredentialsRead {

    /**
     * @return the secret (before it becomes {@code authorization}), trimmed; {@code user:password} for a pair of
     *     files
     * @throws Exception when it cannot be read; what is thrown is never shown beyond its type, since it might quote
     *     the secret
     */
    String read() throws Exception;

    /**
     * How a source is read.
     *
     * @param alias the alias
     * @param source the source
     * @param providers finds the bean a {@code credentials-provider} names
     * @return the reader
     */
    static CredentialsRead of(
            String alias, CredentialsSource source, Function<String, MilvusCredentialsProvider> providers) {
        if (source.userFile() != null) {
            return new UserPasswordFiles(
                    Path.of(source.userFile()), Path.of(source.location()), CredentialsRead::fileContent);
        }
        if (source.isFile()) {
            Path file = Path.of(source.location());
            return () -> fileContent(file);
        }
        MilvusCredentialsProvider provider = providers.apply(source.location());
        return () -> {
            String answer = provider.token(alias);
            if (answer == null || answer.isBlank()) {
                throw new IllegalStateException("no answer");
            }
            return answer.strip();
        };
    }

    /**
     * Reads a file as it is now, following symbolic links.
     *
     * @param file the file
     * @return its content, trimmed
     * @throws IOException when it cannot be read, or holds nothing
     */
    static String fileContent(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (content.isEmpty()) {
            throw new IOException("empty file");
        }
        return content;
    }
}
