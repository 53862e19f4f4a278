package io.github.milvuscdi;

import java.util.List;

/**
 * Every problem found in the Milvus connection configuration, reported at once.
 *
 * <p>Each problem names the alias, the full property key, the offending value (never a password
 * or token) and what would be accepted. Thrown at deployment by the CDI extension, and by
 * {@link MilvusConnections} when a connection is added with bad settings.
 */
public class MilvusConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * Creates the exception.
     *
     * @param problems one sentence per problem, not empty; copied
     */
    public MilvusConfigurationException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Returns the problems, one sentence each, in the order they were found.
     *
     * @return an immutable list, never empty
     */
    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "Invalid Milvus configuration: " + problems.get(0);
        }
        StringBuilder message = new StringBuilder("Invalid Milvus configuration, ")
                .append(problems.size())
                .append(" problems:");
        for (String problem : problems) {
            message.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return message.toString();
    }
}
