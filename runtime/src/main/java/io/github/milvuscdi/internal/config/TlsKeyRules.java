package io.github.milvuscdi.internal.config;

import java.util.List;

/**
 * How the key-store keys combine with the PEM keys, when a {@code trust-store} or {@code key-store} is set: one
 * source of trust ({@code trust-store}, or {@code ca-pem-path}/{@code server-pem-path}), one client certificate
 * ({@code key-store}, or {@code client-pem-path} with {@code client-key-path}), and a client certificate only
 * with a CA to trust (the SDK's mutual TLS needs both). Stateless.
 */
final class TlsKeyRules {

    private TlsKeyRules() {}

    static void check(AliasValues values, List<String> problems) {
        String alias = values.alias();
        if (values.value(ConnectionKey.TLS_CONFIGURATION_NAME) != null) {
            TlsRegistryRules.check(values, problems);
            return;
        }
        boolean trustStore = values.value(ConnectionKey.TRUST_STORE) != null;
        boolean keyStore = values.value(ConnectionKey.KEY_STORE) != null;
        for (ConnectionKey pem : List.of(ConnectionKey.CA_PEM_PATH, ConnectionKey.SERVER_PEM_PATH)) {
            if (trustStore && values.value(pem) != null) {
                problems.add(values.prefix() + "set either " + ConnectionKey.TRUST_STORE.fullKey(alias) + " or "
                        + pem.fullKey(alias) + ", not both: both say which certificates to trust");
            }
        }
        boolean clientPem = values.value(ConnectionKey.CLIENT_PEM_PATH) != null
                || values.value(ConnectionKey.CLIENT_KEY_PATH) != null;
        if (keyStore && clientPem) {
            problems.add(values.prefix() + "set either " + ConnectionKey.KEY_STORE.fullKey(alias) + " or "
                    + ConnectionKey.CLIENT_PEM_PATH.fullKey(alias) + " and "
                    + ConnectionKey.CLIENT_KEY_PATH.fullKey(alias) + ", not both: both give the client certificate");
        } else if (clientPem
                && (values.value(ConnectionKey.CLIENT_PEM_PATH) == null
                        || values.value(ConnectionKey.CLIENT_KEY_PATH) == null)) {
            problems.add(values.prefix() + "mutual TLS needs " + ConnectionKey.CLIENT_PEM_PATH.fullKey(alias) + " and "
                    + ConnectionKey.CLIENT_KEY_PATH.fullKey(alias) + " together; or set "
                    + ConnectionKey.KEY_STORE.fullKey(alias) + " instead");
        }
        if ((keyStore || clientPem) && !trustStore && values.value(ConnectionKey.CA_PEM_PATH) == null) {
            problems.add(values.prefix() + "mutual TLS needs the CA that signed the server's certificate: set "
                    + ConnectionKey.TRUST_STORE.fullKey(alias) + " (or " + ConnectionKey.CA_PEM_PATH.fullKey(alias)
                    + ")");
        }
    }
}
