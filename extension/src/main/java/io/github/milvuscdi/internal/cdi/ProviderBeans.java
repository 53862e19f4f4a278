package io.github.milvuscdi.internal.cdi;

import io.github.milvuscdi.MilvusConfigurationException;
import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.config.CredentialsSource;
import io.github.milvuscdi.internal.config.MilvusConfiguration;
import io.github.milvuscdi.internal.container.CredentialsAdapters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The named beans of the application being deployed, and the {@code credentials-provider} keys that name none
 * it can use: no bean of that name, a bean of another type, or several of them. Both extensions tell it each
 * named bean they see (by the names of its types, so that no class is loaded), then ask for the problems, which
 * fail the deployment with every other configuration problem rather than at the alias's first connect.
 *
 * <p>Thread-safe.
 */
final class ProviderBeans {

    /**
     * A bean with a name.
     *
     * @param name its {@code @Named} name
     * @param provider whether one of its types is one a {@code credentials-provider} bean may have
     * @param alternative whether it is an alternative, which CDI chooses over the others of its name
     * @param beanClass its class, or the class declaring its producer
     */
    private record NamedBean(String name, boolean provider, boolean alternative, String beanClass) {}

    private final Set<String> providerTypes = CredentialsAdapters.providerTypes();
    private final Queue<NamedBean> named = new ConcurrentLinkedQueue<>();

    /**
     * Records a bean of the application; one without a name is ignored.
     *
     * @param name its name; {@code null} when it has none
     * @param typeNames the names of its types (a parameterized type by its raw type's name)
     * @param alternative whether it is an alternative
     * @param beanClass its class, or the class declaring its producer
     */
    void bean(String name, Collection<String> typeNames, boolean alternative, String beanClass) {
        if (name != null) {
            boolean provider = typeNames.stream().anyMatch(providerTypes::contains);
            named.add(new NamedBean(name, provider, alternative, beanClass));
        }
    }

    /**
     * One problem per alias whose {@code credentials-provider} names no bean this library can ask.
     *
     * @param configuration the configuration read once; aliases with problems of their own are left out
     * @return one sentence per problem; empty when all is well
     */
    List<String> problems(MilvusConfiguration configuration) {
        List<String> problems = new ArrayList<>();
        for (String alias : configuration.aliases()) {
            CredentialsSource source = settings(configuration, alias)
                    .map(ConnectionSettings::credentialsSource)
                    .orElse(null);
            if (source != null && !source.isFile()) {
                String problem = problem(alias, source.location());
                if (problem != null) {
                    problems.add(problem);
                }
            }
        }
        return problems;
    }

    private String problem(String alias, String name) {
        List<NamedBean> providers = new ArrayList<>();
        List<NamedBean> others = new ArrayList<>();
        for (NamedBean bean : named) {
            if (bean.name().equals(name)) {
                (bean.provider() ? providers : others).add(bean);
            }
        }
        String shown = ConnectionKey.redacted(name); // a value in the wrong key may carry credentials
        String prefix =
                "alias '" + alias + "': " + ConnectionKey.CREDENTIALS_PROVIDER.fullKey(alias) + "='" + shown + "' ";
        String types = String.join(" or ", providerTypes);
        if (providers.size() > 1 && providers.stream().noneMatch(NamedBean::alternative)) {
            return prefix + "names " + providers.size() + " beans (" + classes(providers) + "); keep @Named(\"" + shown
                    + "\") on one of them";
        }
        if (!providers.isEmpty()) {
            return null;
        }
        if (!others.isEmpty()) {
            return prefix + "names a bean that does not implement " + types + " (" + classes(others)
                    + "); implement it there, or name a bean that does" + existing();
        }
        return prefix + "names no bean; add @Named(\"" + shown + "\") to a bean implementing " + types
                + ", or correct the name" + existing();
    }

    /** The names of the provider beans there are, which a typo is likely close to. */
    private String existing() {
        Set<String> names = new TreeSet<>();
        for (NamedBean bean : named) {
            if (bean.provider()) {
                names.add(bean.name());
            }
        }
        return names.isEmpty()
                ? " (the application has no named credentials provider)"
                : " (named credentials providers: " + String.join(", ", names) + ")";
    }

    private static String classes(List<NamedBean> beans) {
        Set<String> classes = new TreeSet<>();
        beans.forEach(bean -> classes.add(bean.beanClass()));
        return String.join(", ", classes);
    }

    private static Optional<ConnectionSettings> settings(MilvusConfiguration configuration, String alias) {
        try {
            return configuration.settings(alias);
        } catch (MilvusConfigurationException invalid) {
            return Optional.empty(); // reported with its own problems
        }
    }
}
