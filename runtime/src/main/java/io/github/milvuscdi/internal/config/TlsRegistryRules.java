package io.github.milvuscdi.internal.config;

import java.util.List;

/**
 * {@code tls-configuration-name} (Quarkus's TLS registry) says everything about certificates: no other certificate
 * key beside it, and only where Quarkus's TLS registry is. Stateless.
 */
final class TlsRegistryRules {

    static final String REGISTRY = "io.quarkus.tls.TlsConfigurationRegistry";

    private TlsRegistryRules() {}

    static void check(AliasValues values, List<String> problems) {
        String alias = values.alias();
        String key = ConnectionKey.TLS_CONFIGURATION_NAME.fullKey(alias);
        for (ConnectionKey other : List.of(
                ConnectionKey.SERVER_PEM_PATH,
                ConnectionKey.CA_PEM_PATH,
                ConnectionKey.CLIENT_PEM_PATH,
                ConnectionKey.CLIENT_KEY_PATH,
                ConnectionKey.TRUST_STORE,
                ConnectionKey.KEY_STORE)) {
            if (values.value(other) != null) {
                problems.add(values.prefix() + "set either " + key + " or " + other.fullKey(alias)
                        + ", not both: the TLS configuration names the certificates");
            }
        }
        if (!registryPresent()) {
            values.problem(
                    ConnectionKey.TLS_CONFIGURATION_NAME,
                    values.value(ConnectionKey.TLS_CONFIGURATION_NAME),
                    "names a configuration of Quarkus's TLS registry, which is not here (Quarkus only); use "
                            + ConnectionKey.TRUST_STORE.fullKey(alias) + " and "
                            + ConnectionKey.KEY_STORE.fullKey(alias) + ", or the -pem-path keys, instead");
        }
    }

    private static boolean registryPresent() {
        for (ClassLoader loader : new ClassLoader[] {
            Thread.currentThread().getContextClassLoader(), TlsRegistryRules.class.getClassLoader()
        }) {
            try {
                if (loader != null) {
                    Class.forName(REGISTRY, false, loader);
                    return true;
                }
            } catch (ClassNotFoundException | LinkageError absent) {
                // try the next
            }
        }
        return false;
    }
}
