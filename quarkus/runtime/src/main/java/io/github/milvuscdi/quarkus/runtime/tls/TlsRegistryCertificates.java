package io.github.milvuscdi.quarkus.runtime.tls;

import io.github.milvuscdi.ConfiguringMilvusClient;
import io.github.milvuscdi.internal.client.CertificateRenewal;
import io.github.milvuscdi.internal.client.ConnectionRegistry;
import io.github.milvuscdi.internal.config.ConnectionKey;
import io.github.milvuscdi.internal.container.Internal;
import io.milvus.v2.client.ConnectConfig;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code milvus.connections.<alias>.tls-configuration-name}: the alias takes its trust and key material from
 * Quarkus's TLS registry ({@code quarkus.tls.<name>.*}, PEM, PKCS12 or JKS), as Quarkus's REST, gRPC and Redis
 * clients do, and reconnects without failing calls when a reload of the registry ({@link CertificateUpdatedEvent})
 * brings other certificates ({@link CertificateReloads} decides).
 *
 * <p>The SDK takes TLS material only as PEM paths: the registry's certificates (and key) are written for each
 * connect by {@link PemFolder}, into a folder only this user can read.
 *
 * <p>Thread-safe.
 */
@Singleton
public class TlsRegistryCertificates {

    private static final Logger LOG = Logger.getLogger(TlsRegistryCertificates.class.getName());

    @Inject
    Instance<TlsConfigurationRegistry> registry;

    @Inject
    Instance<Vertx> vertx;

    @Inject
    @Internal
    Instance<ConnectionRegistry> connections;

    private final PemFolder folder = new PemFolder();
    private final CertificateReloads reloads = new CertificateReloads();

    /** Points an alias that names a TLS configuration at its certificates, as they are now. */
    void configure(@Observes ConfiguringMilvusClient event) {
        Optional<String> name = configurationName(event.alias());
        if (name.isEmpty()) {
            return;
        }
        String key = ConnectionKey.TLS_CONFIGURATION_NAME.fullKey(event.alias());
        TlsConfiguration tls = registry.get()
                .get(name.get())
                .orElseThrow(() -> new IllegalStateException("Milvus alias '" + event.alias() + "': " + key + "='"
                        + name.get() + "' names no TLS configuration of Quarkus's TLS registry; configure"
                        + " quarkus.tls." + name.get() + ".trust-store.* (and key-store.* for mutual TLS), or fix the"
                        + " name"));
        ConnectConfig.ConnectConfigBuilder builder = event.builder();
        PemFolder.Certificates certificates = PemFolder.read(event.alias(), tls, vertx.get());
        PemFolder.Written written = folder.write(event.alias(), certificates);
        reloads.connecting(event.alias(), certificates.digest());
        builder.secure(true);
        if (written.clientPem() != null && written.trustedPem() != null) {
            builder.caPemPath(written.trustedPem())
                    .clientPemPath(written.clientPem())
                    .clientKeyPath(written.clientKey())
                    .serverPemPath(null);
        } else if (written.trustedPem() != null) {
            builder.serverPemPath(written.trustedPem());
        }
    }

    /**
     * The registry reloaded a configuration (every {@code reload-period}, on a worker thread): the open aliases that
     * use it reconnect with it, without failing calls, when its certificates changed.
     */
    void reloaded(@Observes CertificateUpdatedEvent updated) {
        ConnectionRegistry open = connections.get();
        for (String alias : open.containerAliases()) {
            if (configurationName(alias).filter(updated.name()::equals).isPresent()
                    && open.connected(alias).isPresent()) {
                byte[] now;
                try {
                    now = PemFolder.read(alias, updated.tlsConfiguration(), vertx.get())
                            .digest();
                } catch (RuntimeException unreadable) {
                    LOG.warning(() -> unreadable.getMessage() + "; the connection keeps the former certificates");
                    continue;
                }
                reloads.reloaded(alias, updated.name(), now, () -> CertificateRenewal.renewNow(open, alias));
            }
        }
    }

    @PreDestroy
    void deleteFiles() {
        folder.delete();
    }

    private static Optional<String> configurationName(String alias) {
        return ConfigProvider.getConfig()
                .getOptionalValue(ConnectionKey.TLS_CONFIGURATION_NAME.fullKey(alias), String.class)
                .map(String::trim)
                .filter(name -> !name.isEmpty());
    }
}
