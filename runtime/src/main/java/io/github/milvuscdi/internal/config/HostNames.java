package io.github.milvuscdi.internal.config;

/**
 * What a host may be: a name (letters, digits, {@code -}, {@code _} and {@code .}; Docker and
 * docker-compose service names hold {@code _}), an IPv4 address, or an IPv6 address with an
 * optional zone ({@code fe80::1%eth0}).
 */
final class HostNames {

    private static final int MAX_LENGTH = 253;

    /** What makes the SDK (2.6.22) treat a uri as a Zilliz Cloud global cluster: anywhere in it, any case. */
    static final String GLOBAL_CLUSTER = "global-cluster";

    /**
     * Why a global-cluster endpoint is refused. The SDK switches to its {@code GlobalStub} for such a host:
     * it fetches the topology over HTTP inside connect, outside every bound this library sets, and on
     * failover swaps the channel and stub, dropping the wait bound and tracing. Until both are tamed,
     * such an endpoint is refused rather than served without the promises the documentation makes.
     */
    static final String GLOBAL_CLUSTER_REFUSED = "is a Zilliz Cloud global-cluster endpoint (its name holds '"
            + GLOBAL_CLUSTER + "'), which Milvus CDI does not support yet: the SDK would fetch its topology outside "
            + "connect-timeout and, on failover, drop the bound and tracing of every call; use the endpoint of one "
            + "cluster of the global cluster instead";

    private HostNames() {}

    /**
     * Checks the host of a location (uri, address, host): a host, and not a global-cluster endpoint.
     *
     * @param host the host, without brackets
     * @return why it cannot be connected to, completing "… host that …"; {@code null} when it can
     */
    static String locationProblem(String host) {
        if (host.toLowerCase(java.util.Locale.ROOT).contains(GLOBAL_CLUSTER)) {
            return GLOBAL_CLUSTER_REFUSED;
        }
        return problem(host);
    }

    /**
     * Checks a host.
     *
     * @param host the host, without brackets
     * @return why it is not a host, completing "… host that …"; {@code null} when it is one
     */
    static String problem(String host) {
        if (host.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        if (host.indexOf(':') >= 0) {
            int zone = host.indexOf('%');
            String address = zone < 0 ? host : host.substring(0, zone);
            if (!ipv6(address) || (zone >= 0 && !host.substring(zone + 1).matches("[\\w.-]+"))) {
                return "is not an IPv6 address; expected e.g. [::1] or [fe80::1%25eth0]";
            }
            return null;
        }
        if (!host.matches("[A-Za-z0-9_.-]+") || host.startsWith(".") || host.startsWith("-") || host.contains("..")) {
            return "is not a host name or IP address; expected letters, digits, '-', '_' and '.', e.g. milvus_standalone";
        }
        return null;
    }

    /**
     * Whether the text is an IPv6 address (RFC 4291 section 2.2): eight groups of one to four hex
     * digits separated by {@code :}, at most one run of groups left out as {@code ::}, the last two
     * groups possibly written as an IPv4 address.
     */
    static boolean ipv6(String address) {
        int elided = address.indexOf("::");
        if (elided >= 0 && address.indexOf("::", elided + 1) >= 0) {
            return false; // two "::", or ":::"
        }
        String[] halves = elided < 0
                ? new String[] {address}
                : new String[] {address.substring(0, elided), address.substring(elided + 2)};
        int groups = 0;
        for (int half = 0; half < halves.length; half++) {
            String text = halves[half];
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split(":", -1);
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                boolean last = half == halves.length - 1 && i == parts.length - 1;
                if (last && part.indexOf('.') >= 0) {
                    if (!ipv4(part)) {
                        return false;
                    }
                    groups += 2;
                } else if (part.matches("[0-9A-Fa-f]{1,4}")) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return elided >= 0 ? groups <= 7 : groups == 8;
    }

    private static boolean ipv4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
