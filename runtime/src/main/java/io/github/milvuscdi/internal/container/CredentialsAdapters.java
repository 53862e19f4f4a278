package io.github.milvuscdi.internal.container;

import io.github.milvuscdi.MilvusCredentialsProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The {@link CredentialsAdapter}s on the class path of this library, and the types a {@code credentials-provider}
 * bean may have: {@link MilvusCredentialsProvider}, or a type one of them adapts. An adapter for a library the
 * application does not have (Quarkus's {@code quarkus-credentials}) fails to load and is left out.
 */
public final class CredentialsAdapters {

    private CredentialsAdapters() {}

    /** @return the adapters that load, in {@code META-INF/services} order */
    static List<CredentialsAdapter> available() {
        List<CredentialsAdapter> available = new ArrayList<>();
        Iterator<CredentialsAdapter> adapters = ServiceLoader.load(
                        CredentialsAdapter.class, CredentialsAdapters.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!adapters.hasNext()) {
                    return available;
                }
                CredentialsAdapter adapter = adapters.next();
                adapter.adaptedType(); // loads the adapted type: missing, the adapter is of no use
                available.add(adapter);
            } catch (ServiceConfigurationError | LinkageError typesMissing) {
                // an adapter for a library the application does not have: skipped
            }
        }
    }

    /**
     * The types a bean named by {@code credentials-provider} may have, one of which it must have.
     *
     * @return {@code io.github.milvuscdi.MilvusCredentialsProvider} first, then each adapted type, by name
     */
    public static Set<String> providerTypes() {
        Set<String> types = new LinkedHashSet<>();
        types.add(MilvusCredentialsProvider.class.getName());
        for (CredentialsAdapter adapter : available()) {
            types.add(adapter.adaptedType());
        }
        return types;
    }
}
