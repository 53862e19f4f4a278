package io.github.milvuscdi.internal.cdi;

import io.github.milvuscdi.MilvusConfigurationException;
import java.util.List;

/**
 * The configuration problems the build-compatible extension reports, once logged in full.
 *
 * <p>ArC logs an error reported through {@code Messages.error} at ERROR, under the extension's class
 * name, then wraps it: a {@code DeploymentException}, Quarkus's {@code BuildException} (whose message
 * holds each error's whole stack trace) and a {@code RuntimeException}, each built from its cause's
 * {@code toString()}, and Quarkus's test framework, JUnit and Maven print that chain several times:
 * under {@code ./mvnw test}, 37 copies of one problem. So {@code toString()}, which only those wrappers
 * and stack traces read, says where the problems were logged; {@link #getMessage()} and
 * {@link #problems()} stay complete for whoever catches a {@link MilvusConfigurationException}.
 */
final class LoggedConfigurationException extends MilvusConfigurationException {

    private static final long serialVersionUID = 1L;

    LoggedConfigurationException(List<String> problems) {
        super(problems);
    }

    /**
     * Short: {@code io.github.milvuscdi.MilvusConfigurationException: Invalid Milvus configuration (1
     * problem), logged in full at ERROR by io.github.milvuscdi.internal.cdi.MilvusBuildCompatibleExtension}.
     */
    @Override
    public String toString() {
        int count = problems().size();
        return MilvusConfigurationException.class.getName() + ": Invalid Milvus configuration (" + count
                + (count == 1 ? " problem" : " problems") + "), logged in full at ERROR by "
                + MilvusBuildCompatibleExtension.class.getName();
    }
}
