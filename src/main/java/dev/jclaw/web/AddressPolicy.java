package dev.jclaw.web;

import dev.jclaw.config.WebToolsConfig;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which hosts and addresses an outbound request may reach: the check behind
 * {@code tools.web.fetch.ssrfPolicy}. It runs where the connection is made, on the addresses the
 * host name actually resolved to, so a public name that resolves to 127.0.0.1 or to a cloud
 * metadata address is refused like the literal address would be.
 */
public final class AddressPolicy {
    /** Names refused before any lookup, whatever they resolve to. */
    private static final Set<String> INTERNAL_NAMES = Set.of("localhost", "localhost.localdomain", "metadata", "metadata.google.internal",
            "instance-data", "instance-data.ec2.internal");
    /** Cloud metadata services: refused even with dangerouslyAllowPrivateNetwork. */
    private static final Set<String> METADATA_ADDRESSES = Set.of("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

    private final WebToolsConfig.SsrfPolicy policy;
    private final boolean privateOnly;
    private final boolean any;

    private AddressPolicy(WebToolsConfig.SsrfPolicy policy, boolean privateOnly, boolean any) {
        this.policy = policy;
        this.privateOnly = privateOnly;
        this.any = any;
    }

    /** The web_fetch policy: public addresses, plus what {@code ssrfPolicy} allows. */
    public static AddressPolicy of(WebToolsConfig.SsrfPolicy policy) {
        return new AddressPolicy(policy, false, false);
    }

    /** Any address (an operator-configured https endpoint). */
    static AddressPolicy any() {
        return new AddressPolicy(WebToolsConfig.SsrfPolicy.DEFAULT, false, true);
    }

    /** Private and loopback addresses only: a plain-http endpoint must not cross the internet (OpenClaw's rule). */
    static AddressPolicy privateOnly() {
        return new AddressPolicy(WebToolsConfig.SsrfPolicy.DEFAULT, true, false);
    }

    /** Refuses a host by name, before it is looked up: blocked names, and internal ones unless allowed. */
    void checkName(String host) throws IOException {
        String name = normalise(host);
        if (any) return;
        for (String blocked : policy.blockedHostnames()) {
            if (matches(blocked, name)) throw new BlockedAddressException(host + " is blocked by tools.web.fetch.ssrfPolicy.blockedHostnames");
        }
        if (privateOnly || policy.allowedHostnames().contains(name) || policy.dangerouslyAllowPrivateNetwork()) return;
        if (INTERNAL_NAMES.contains(name) || name.endsWith(".localhost") || name.endsWith(".internal") || name.endsWith(".local")) {
            throw new BlockedAddressException(host + " is an internal host name" + hint());
        }
    }

    /** Refuses the connection unless every address {@code host} resolved to may be reached. */
    void checkAddresses(String host, List<InetAddress> addresses) throws IOException {
        if (any) return;
        String name = normalise(host);
        boolean allowedByName = policy.allowedHostnames().contains(name);
        for (InetAddress address : addresses) {
            String kind = classify(address);
            if (privateOnly) {
                if (kind == null) {
                    throw new BlockedAddressException(host + " resolves to the public address " + address.getHostAddress()
                            + ": a plain http:// endpoint must be on this host or a private network; use https://");
                }
                continue;
            }
            if (kind == null || allowedByName) continue;
            if (kind.equals("benchmark") && policy.allowRfc2544BenchmarkRange()) continue;
            if (kind.equals("unique-local") && policy.allowIpv6UniqueLocalRange()) continue;
            if (policy.dangerouslyAllowPrivateNetwork() && !kind.equals("cloud metadata")) continue;
            String shown = host.equals(address.getHostAddress()) || host.equals("[" + address.getHostAddress() + "]") ? host
                    : host + " (" + address.getHostAddress() + ")";
            throw new BlockedAddressException(shown + " is a " + kind + " address" + hint());
        }
    }

    private static String hint() {
        return "; web_fetch reaches public addresses only (tools.web.fetch.ssrfPolicy.allowedHostnames can allow a trusted host)";
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String classify(InetAddress address) {
        if (METADATA_ADDRESSES.contains(address.getHostAddress())) return "cloud metadata";
        if (address.isAnyLocalAddress()) return "unspecified";
        if (address.isLoopbackAddress()) return "loopback";
        if (address.isLinkLocalAddress()) return "link-local";
        if (address.isMulticastAddress()) return "multicast";
        if (address instanceof Inet4Address) return classify4(address.getAddress());
        byte[] b = address.getAddress();
        int first = b[0] & 0xFF;
        if ((first & 0xFE) == 0xFC) return "unique-local";
        if (first == 0xFE && (b[1] & 0xC0) == 0xC0) return "site-local";
        if (first == 0x20 && b[1] == 0x01 && (b[2] & 0xFF) == 0x0D && (b[3] & 0xFF) == 0xB8) return "documentation";
        if (isEmbeddedV4(b)) {
            String embedded = classify4(new byte[] {b[12], b[13], b[14], b[15]});
            return embedded == null ? null : embedded + " (in IPv6)";
        }
        if (first == 0x20 && b[1] == 0x02) { // 6to4: the IPv4 address is in bytes 2-5
            String embedded = classify4(new byte[] {b[2], b[3], b[4], b[5]});
            return embedded == null ? null : embedded + " (6to4)";
        }
        return null;
    }

    /** ::a.b.c.d (compatible), ::ffff:a.b.c.d (mapped, should Java not have turned it into IPv4), 64:ff9b::/96 (NAT64). */
    private static boolean isEmbeddedV4(byte[] b) {
        boolean zeros = true;
        for (int i = 0; i < 10; i++) zeros &= b[i] == 0;
        if (zeros && (b[10] == 0 && b[11] == 0 || (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF)) return true;
        return b[0] == 0 && (b[1] & 0xFF) == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B
                && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0 && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 0;
    }

    private static String classify4(byte[] b) {
        int a = b[0] & 0xFF;
        int c = b[1] & 0xFF;
        if (a == 0) return "unspecified";
        if (a == 127) return "loopback";
        if (a == 10 || a == 172 && c >= 16 && c <= 31 || a == 192 && c == 168) return "private";
        if (a == 169 && c == 254) return "link-local";
        if (a == 100 && c >= 64 && c <= 127) return "carrier-grade NAT";
        if (a == 198 && (c == 18 || c == 19)) return "benchmark";
        if (a == 192 && c == 0 && (b[2] & 0xFF) == 0) return "IETF protocol";
        if (a == 192 && c == 0 && (b[2] & 0xFF) == 2 || a == 198 && c == 51 && (b[2] & 0xFF) == 100 || a == 203 && c == 0 && (b[2] & 0xFF) == 113) {
            return "documentation";
        }
        if (a >= 224) return a < 240 ? "multicast" : "reserved";
        return null;
    }

    private static boolean matches(String pattern, String name) {
        if (pattern.startsWith("*.")) return name.endsWith(pattern.substring(1));
        return pattern.equals(name);
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** A connection the policy refused. */
    static final class BlockedAddressException extends IOException {
        BlockedAddressException(String message) {
            super(message);
        }
    }
}
