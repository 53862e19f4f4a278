package io.github.milvuscdi.internal.sdk;

import io.milvus.shaded.io.grpc.EquivalentAddressGroup;
import io.milvus.shaded.io.grpc.NameResolver;
import io.milvus.shaded.io.grpc.NameResolverProvider;
import io.milvus.shaded.io.grpc.NameResolverRegistry;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves, each time gRPC connects or reconnects, a host name that the SDK cannot take in its uri:
 * {@code milvus_standalone} (Docker service names hold {@code _}, which {@code java.net.URI} and gRPC's own DNS
 * resolver refuse) or an IPv6 address with a zone ({@code fe80::1%eth0}).
 *
 * <p>Why this way: resolving such a name once and giving the SDK the address pins it, so an alias stays down
 * after {@code docker compose} recreates the server with a new address. The SDK builds its channel with
 * {@code NettyChannelBuilder.forAddress(host, port)}, whose target {@code host:port} gRPC first reads as a uri
 * with scheme {@code host} and looks up among its name resolvers. So the SDK is given a stand-in host,
 * {@code milvus-cdi-resolve-<n>}, for which a resolver of our own is registered (in the SDK's shaded gRPC, with
 * the lowest priority, so no other target is ever sent to it): it resolves the real name with the JVM's resolver
 * (its cache, {@code networkaddress.cache.ttl}, applies) when the channel starts and whenever gRPC asks again,
 * which it does when a connection fails or is lost. Zones are kept: the addresses are the JVM's own.
 *
 * <p>A stand-in stays registered while a client uses it (gRPC looks it up again when a channel leaves idle mode).
 *
 * <p>Thread-safe.
 */
final class HostNameResolution {

    private static final String PREFIX = "milvus-cdi-resolve-";
    private static final AtomicInteger NEXT = new AtomicInteger();
    /** Registered stand-ins by host name, with the number of clients using each. */
    private static final Map<String, Registration> REGISTERED = new HashMap<>();

    private HostNameResolution() {}

    private static final class Registration {
        final Provider provider;
        int users;

        Registration(Provider provider) {
            this.provider = provider;
        }
    }

    /**
     * Registers (or reuses) the stand-in for a host name; each call needs one {@link #release}.
     *
     * @param host the host name as configured, without brackets
     * @return the stand-in host to give the SDK in place of {@code host}
     */
    static synchronized String standIn(String host) {
        Registration registration = REGISTERED.get(host);
        if (registration == null) {
            registration = new Registration(new Provider(PREFIX + NEXT.incrementAndGet(), host));
            NameResolverRegistry.getDefaultRegistry().register(registration.provider);
            REGISTERED.put(host, registration);
        }
        registration.users++;
        return registration.provider.scheme;
    }

    /**
     * Gives back a stand-in once the client that used it is closed; the last user deregisters it.
     *
     * @param host the host name given to {@link #standIn}
     */
    static synchronized void release(String host) {
        Registration registration = REGISTERED.get(host);
        if (registration != null && --registration.users <= 0) {
            REGISTERED.remove(host);
            NameResolverRegistry.getDefaultRegistry().deregister(registration.provider);
        }
    }

    private static final class Provider extends NameResolverProvider {
        final String scheme;
        final String host;

        Provider(String scheme, String host) {
            this.scheme = scheme;
            this.host = host;
        }

        @Override
        protected boolean isAvailable() {
            return true;
        }

        /** The lowest: the default scheme of every channel stays gRPC's {@code dns}. */
        @Override
        protected int priority() {
            return 0;
        }

        @Override
        public String getDefaultScheme() {
            return scheme;
        }

        @Override
        public NameResolver newNameResolver(URI target, NameResolver.Args args) {
            if (!scheme.equals(target.getScheme())) {
                return null;
            }
            int port;
            try {
                port = Integer.parseInt(target.getSchemeSpecificPart());
            } catch (NumberFormatException notHostAndPort) {
                return null;
            }
            return new Resolver(host, port, args);
        }
    }

    /** Resolves on gRPC's offload executor, reports in its synchronization context, as its DNS resolver does. */
    private static final class Resolver extends NameResolver {
        private final String host;
        private final int port;
        private final SynchronizationContext context;
        private final Executor executor;
        private Listener2 listener;
        private boolean resolving;
        private boolean shutdown;

        Resolver(String host, int port, NameResolver.Args args) {
            this.host = host;
            this.port = port;
            this.context = args.getSynchronizationContext();
            this.executor = args.getOffloadExecutor();
        }

        @Override
        public String getServiceAuthority() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        @Override
        public void start(Listener2 listener) {
            this.listener = listener;
            resolve();
        }

        @Override
        public void refresh() {
            resolve();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        /** Called in the synchronization context. */
        private void resolve() {
            if (resolving || shutdown || listener == null) {
                return;
            }
            resolving = true;
            Runnable lookup = () -> {
                List<EquivalentAddressGroup> addresses = new ArrayList<>();
                Status failure = null;
                try {
                    for (InetAddress address : InetAddress.getAllByName(host)) {
                        addresses.add(new EquivalentAddressGroup(new InetSocketAddress(address, port)));
                    }
                } catch (UnknownHostException | RuntimeException unresolved) {
                    failure = Status.UNAVAILABLE
                            .withDescription("the host name '" + host + "' does not resolve")
                            .withCause(unresolved);
                }
                Status failed = failure;
                context.execute(() -> {
                    resolving = false;
                    if (shutdown) {
                        return;
                    }
                    if (failed != null) {
                        listener.onError(failed);
                    } else {
                        listener.onResult(ResolutionResult.newBuilder()
                                .setAddresses(addresses)
                                .build());
                    }
                });
            };
            if (executor != null) {
                executor.execute(lookup);
            } else {
                lookup.run();
            }
        }
    }
}
