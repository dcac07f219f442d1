package dev.ebb.connector.jdbc;

import dev.ebb.connector.support.Settings;
import dev.ebb.spi.ConnectorOption;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The host-and-port part of a vendor's URL, from the settings every host-based vendor shares. Stateless. */
final class Address {
    static final String HOST = "host";
    static final String PORT = "port";
    static final String DATABASE = "database";

    private Address() {
    }

    static List<ConnectorOption> options(int defaultPort, String databaseMeaning) {
        return List.of(
                ConnectorOption.optional(HOST, "the server's host name, when no url is set"),
                ConnectorOption.optional(PORT, "the server's port (default " + defaultPort + ")"),
                ConnectorOption.optional(DATABASE, databaseMeaning));
    }

    /** {@code host:port}, with an IPv6 literal in brackets. */
    static String hostAndPort(Settings settings, int defaultPort, String example) {
        String host = settings.optional(HOST).orElseThrow(() -> settings.problem("set url (e.g. " + example
                + "), or host"));
        int port = settings.positiveInt(PORT, defaultPort, 65_535);
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** A path segment of a URL. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
