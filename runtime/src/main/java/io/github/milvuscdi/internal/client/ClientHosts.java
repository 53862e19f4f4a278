package io.github.milvuscdi.internal.client;

import io.github.milvuscdi.internal.config.ConnectionSettings;
import io.github.milvuscdi.internal.sdk.MilvusSdk;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The host names of one {@link SdkClientFactory}'s clients: a name is checked before connecting (one
 * that does not resolve fails at once, saying so, rather than being retried by gRPC until
 * {@code connect-timeout} with a stack trace per attempt), and a name the SDK cannot take in its uri
 * ({@code milvus_standalone}) is given to it through a stand-in that gRPC resolves again at every
 * reconnect ({@link MilvusSdk#hostStandIn}), kept while the client lives and given back when it closes.
 *
 * <p>Thread-safe.
 */
final class ClientHosts {

    /** The host names a client's channel resolves through a stand-in, given back when it is closed. */
    private final Map<MilvusClientV2, String> standIns = Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * Checks the alias's host name now and, when the SDK cannot take it, writes a stand-in into the
     * configuration's uri.
     *
     * @return the stand-in taken, to {@link #keep} or {@link #giveBack}; {@code null} when none was needed
     * @throws ConnectFailure when the name does not resolve within {@code connect-timeout}
     */
    static String prepare(ConnectionSettings settings, ConnectConfig config) {
        if (!ConnectConfigs.sdkReads(config.getUri())) {
            resolvedAddress(settings); // fails at once, saying so, when the name does not resolve now
            // gRPC resolves the name again each time it reconnects: a recreated container's new address is found
            String standIn = settings.host();
            config.setUri(ConnectConfigs.scheme(settings) + MilvusSdk.hostStandIn(standIn) + ":" + settings.port());
            return standIn;
        }
        if (!isAddressLiteral(settings.host())) {
            // A name that does not resolve is known now, and said in one line; left to gRPC, it is
            // retried until connect-timeout, with a stack trace logged per attempt.
            resolvedAddress(settings);
        }
        return null;
    }

    /** Gives back a stand-in from {@link #prepare} whose client never connected. */
    static void giveBack(String standIn) {
        if (standIn != null) {
            MilvusSdk.releaseHost(standIn);
        }
    }

    /** Keeps a stand-in from {@link #prepare} while its connected client lives. */
    void keep(MilvusClientV2 client, String standIn) {
        if (standIn != null) {
            standIns.put(client, standIn);
        }
    }

    /** Gives back the stand-in a client's channel resolved its host through, if any. */
    void release(MilvusClientV2 client) {
        giveBack(standIns.remove(client));
    }

    /** The address the SDK can read for a host name it cannot: resolved within connect-timeout. */
    private static String resolvedAddress(ConnectionSettings settings) {
        String why;
        Throwable cause;
        try {
            return ConnectConfigs.resolvedAddress(settings, settings.connectTimeout());
        } catch (UnknownHostException unknown) {
            String text = ConnectFailureExplainer.unknownHost(settings).text();
            throw ConnectFailure.of(settings, ConnectFailure.Kind.UNKNOWN_HOST, text, unknown);
        } catch (TimeoutException slow) {
            why = "the host name '" + settings.host() + "' did not resolve within connect-timeout";
            cause = slow;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            why = "interrupted while resolving the host name '" + settings.host() + "'";
            cause = interrupted;
        }
        throw ConnectFailure.of(settings, ConnectFailure.Kind.UNREACHABLE, why, cause);
    }

    /** An IPv4 or IPv6 literal: nothing to resolve. */
    private static boolean isAddressLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }
}
