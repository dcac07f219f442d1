package dev.ebb.connector.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps a webhook from reaching the machine's own network: a URL whose host is, or resolves to, a loopback,
 * private (RFC 1918), shared (RFC 6598), link-local (including the cloud metadata address 169.254.169.254),
 * unique-local (fc00::/7), multicast, broadcast or unspecified address is refused unless the entry sets
 * {@code allow_private_network: true}. Every address a name resolves to is checked, so a name with one public and
 * one private address cannot smuggle the private one in; IPv4 addresses inside IPv6 ones (mapped, compatible,
 * NAT64) are checked as the IPv4 address they carry.
 *
 * <p>Stateless and thread-safe. The name is resolved again by the HTTP client when it connects; a resolver that
 * changes its answer between the two lookups (DNS rebinding with a zero TTL) is outside what this check sees.
 */
final class AddressGuard {
    /** Resolves a host name to every address it has; {@link InetAddress#getAllByName} outside tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static final String SETTING = "allow_private_network";

    private AddressGuard() {
    }

    /**
     * What kind of address {@code address} is when a webhook must not reach it (e.g. {@code "a loopback address"}),
     * or empty when it is a public one.
     */
    static Optional<String> forbidden(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Optional<InetAddress> embedded = embeddedIpv4(b);
            if (embedded.isPresent()) return forbidden(embedded.get());
            if ((b[0] & 0xfe) == 0xfc) return Optional.of("a unique-local address (fc00::/7)");
        }
        if (address.isAnyLocalAddress()) return Optional.of("the unspecified address");
        if (address.isLoopbackAddress()) return Optional.of("a loopback address");
        if (address.isLinkLocalAddress()) return Optional.of("a link-local address (cloud metadata services live there)");
        if (address.isSiteLocalAddress()) return Optional.of("a private address");
        if (address.isMulticastAddress()) return Optional.of("a multicast address");
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) return Optional.of("an address of this network (0.0.0.0/8)");
            if (first == 127) return Optional.of("a loopback address");
            if (first == 100 && second >= 64 && second < 128) return Optional.of("a shared address (100.64.0.0/10)");
            if (first == 169 && second == 254) return Optional.of("a link-local address");
            if (first >= 240) return Optional.of("a reserved or broadcast address");
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), -compatible (::a.b.c.d) or NAT64 (64:ff9b::) one. */
    private static Optional<InetAddress> embeddedIpv4(byte[] b) {
        boolean zeros = true;
        for (int i = 0; i < 10; i++) zeros &= b[i] == 0;
        boolean mapped = zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b;
        if (!mapped && !compatible && !nat64) return Optional.empty();
        try {
            return Optional.of(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    /** Whether {@code host} names this machine without any lookup ({@code localhost}, RFC 6761's {@code .localhost}). */
    static boolean isLocalName(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
        return name.equals("localhost") || name.endsWith(".localhost");
    }

    /** The refusal's message: the host, what it is, and the setting that allows it. */
    static String refusal(String entry, String host, String resolved, String kind) {
        return entry + ": url host " + host + (resolved == null || resolved.equals(host) ? "" : " resolves to " + resolved
                + ", which") + " is " + kind + "; a webhook may not reach private networks by default. If the "
                + "receiver really lives there, set " + SETTING + ": true on the destination";
    }
}
