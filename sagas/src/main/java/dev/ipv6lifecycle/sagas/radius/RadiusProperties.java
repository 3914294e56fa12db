package dev.ipv6lifecycle.sagas.radius;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How to reach the NASes by RADIUS Dynamic Authorization (RFC 5176), under {@code radius.dae}.
 *
 * @param secret          the shared secret for every NAS; without it (and without {@code nasSecrets}) the
 *                        client is disabled and every call is skipped
 * @param nasSecrets      per-NAS shared secrets that override {@code secret}, keyed by the NAS address (an IPv4
 *                        or IPv6 literal, any spelling; in YAML write IPv6 keys as {@code "[2001:db8::1]"})
 * @param port            the NAS's Dynamic Authorization port (RFC 5176 §3.1: 3799)
 * @param retries         how many times an unanswered request is sent again (identical packet, same identifier)
 * @param timeout         how long to wait for an answer after each transmission
 * @param suspendFilterId the Filter-Id a restricting CoA carries; the NAS maps it to its restrictive policy
 */
@ConfigurationProperties("radius.dae")
public record RadiusProperties(
        String secret,
        Map<String, String> nasSecrets,
        @DefaultValue("3799") int port,
        @DefaultValue("2") int retries,
        @DefaultValue("PT2S") Duration timeout,
        @DefaultValue("ipv6-suspended") String suspendFilterId) {

    public RadiusProperties {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("radius.dae.port must be 1..65535, not " + port);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("radius.dae.retries must not be negative, not " + retries);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("radius.dae.timeout must be positive, not " + timeout);
        }
        if (suspendFilterId == null || suspendFilterId.isBlank()
                || suspendFilterId.getBytes(StandardCharsets.UTF_8).length > 253) {
            throw new IllegalArgumentException("radius.dae.suspend-filter-id must be 1..253 octets (RFC 2865 §5.11)");
        }
        secret = secret == null || secret.isEmpty() ? null : secret;
        nasSecrets = canonicalKeys(nasSecrets == null ? Map.of() : nasSecrets);
    }

    /** The defaults with one shared secret for every NAS (tests and simple set-ups). */
    public static RadiusProperties withSecret(String secret) {
        return new RadiusProperties(secret, Map.of(), 3799, 2, Duration.ofSeconds(2), "ipv6-suspended");
    }

    /** Whether any shared secret is configured, so that some NAS can be asked at all. */
    public boolean enabled() {
        return secret != null || !nasSecrets.isEmpty();
    }

    /**
     * The shared secret for the NAS at {@code nasAddress}: its own from {@code nas-secrets}, else the common one.
     *
     * @param nasAddress the NAS address in any spelling, or something that is no address at all
     * @return the secret, empty when none applies
     */
    public Optional<String> secretFor(String nasAddress) {
        String own = canonical(nasAddress) == null ? null : nasSecrets.get(canonical(nasAddress));
        return Optional.ofNullable(own != null ? own : secret);
    }

    /** Never the secrets: this record may well end up in a log line or an actuator dump. */
    @Override
    public String toString() {
        return "RadiusProperties[secret=" + (secret == null ? "none" : "***") + ", nasSecrets=" + nasSecrets.keySet()
                + ", port=" + port + ", retries=" + retries + ", timeout=" + timeout
                + ", suspendFilterId=" + suspendFilterId + "]";
    }

    // Keys are matched by address, not by text, so "2001:DB8::1" finds a secret configured for "2001:db8:0::1".
    private static Map<String, String> canonicalKeys(Map<String, String> secrets) {
        Map<String, String> canonical = new LinkedHashMap<>();
        secrets.forEach((address, nasSecret) -> {
            String key = canonical(address);
            if (key == null) {
                throw new IllegalArgumentException(
                        "radius.dae.nas-secrets key '" + address + "' is not an IPv4 or IPv6 address");
            }
            if (nasSecret == null || nasSecret.isEmpty()) {
                throw new IllegalArgumentException("radius.dae.nas-secrets has an empty secret for " + address);
            }
            canonical.put(key, nasSecret);
        });
        return Map.copyOf(canonical);
    }

    /** The RFC 5952 / dotted-quad text of an address literal, or null when it is none (never a DNS lookup). */
    static String canonical(String address) {
        if (address == null || address.isBlank()) {
            return null;
        }
        IPAddress parsed = new IPAddressString(address.trim()).getAddress();
        return parsed == null || parsed.isPrefixed() ? null : parsed.toCanonicalString();
    }
}
