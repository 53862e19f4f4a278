package io.github.milvuscdi.internal.config;

/**
 * What a host may be: a name (letters, digits, {@code -}, {@code _} and {@code .}; Docker and
 * docker-compose service names hold {@code _}), an IPv4 address, or an IPv6 address with an
 * optional zone ({@code fe80::1%eth0}).
 */
final class HostNames {

    private static final int MAX_LENGTH = 253;

    private HostNames() {}

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
            if (!address.matches("[0-9A-Fa-f:.]+")
                    || (zone >= 0 && !host.substring(zone + 1).matches("[\\w.-]+"))) {
                return "is not an IPv6 address; expected e.g. [::1] or [fe80::1%25eth0]";
            }
            return null;
        }
        if (!host.matches("[A-Za-z0-9_.-]+") || host.startsWith(".") || host.startsWith("-") || host.contains("..")) {
            return "is not a host name or IP address; expected letters, digits, '-', '_' and '.', e.g. milvus_standalone";
        }
        return null;
    }
}
