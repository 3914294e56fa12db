package dev.ipv6lifecycle.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv6.IPv6Address;
import java.math.BigInteger;
import java.util.Comparator;

/**
 * An IPv6 network prefix such as {@code 2001:db8::/32}: a network address and a length of 0..128
 * bits, with every bit after the length zero.
 *
 * <p>Only prefixes that can be delegated exist: never IPv4 or IPv4-mapped ({@code ::ffff:0:0/96}),
 * never inside link-local {@code fe80::/10} or multicast {@code ff00::/8}, never with a zone id.
 * Equality, hashing, {@link #toString()} and the JSON form (a plain string) all use the canonical
 * RFC 5952 text. Prefixes sort by network address, then by length, so a prefix sorts before all of
 * its sub-prefixes.
 */
public final class Ipv6Prefix implements Comparable<Ipv6Prefix> {

    // Plain segmented notation only: no masks, wildcards, ranges, single-value, binary or base-85
    // forms, no IPv4 shorthand such as 10/8, and no empty zone ("%" alone would silently vanish).
    // allowAll(false) is needed on top of NO_RANGE, which still lets a bare "*" through.
    // IPv4 and zones are still parsed so that parse() can reject them by name.
    private static final IPAddressStringParameters PLAIN_NOTATION = new IPAddressStringParameters.Builder()
            .allowAll(false)
            .allowSingleSegment(false)
            .allowPrefixOnly(false)
            .allowMask(false)
            .allowWildcardedSeparator(false)
            .setRangeOptions(RangeParameters.NO_RANGE)
            .allow_inet_aton(false)
            .getIPv6AddressParametersBuilder()
                .allowBase85(false)
                .allowBinary(false)
                .allowEmptyZone(false)
                .getParentBuilder()
            .toParams();

    private static final IPv6Address IPV4_MAPPED = block("::ffff:0:0/96");
    private static final IPv6Address LINK_LOCAL = block("fe80::/10");
    private static final IPv6Address MULTICAST = block("ff00::/8");

    private static final Comparator<Ipv6Prefix> ORDER =
            Comparator.comparing((Ipv6Prefix prefix) -> prefix.block.getValue()).thenComparingInt(Ipv6Prefix::length);

    /** The whole prefix as one IPAddress subnet, so containment and arithmetic come from the library. */
    private final IPv6Address block;
    private final String canonical;

    private Ipv6Prefix(IPv6Address block) {
        this.block = block;
        this.canonical = block.toCanonicalString();
    }

    /**
     * Parses the textual form {@code address/length}, e.g. {@code 2001:DB8:0:0::/48}; any RFC 4291
     * spelling of the address is accepted (upper case, leading or uncompressed zeros).
     *
     * @param text the prefix text
     * @return the prefix, whose {@link #canonical()} form may differ from {@code text}
     * @throws InvalidPrefixException if {@code text} is null, blank or malformed (including a length
     *     outside 0..128, wildcards and ranges); has no {@code /length}; is IPv4, IPv4-mapped or
     *     written with an embedded dotted-quad IPv4 address; has a zone id; lies inside
     *     {@code fe80::/10} or {@code ff00::/8}; or has host bits set, which are never masked
     *     silently
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Ipv6Prefix parse(String text) {
        IPAddressString parsed = parseAddressWithLength(text);
        IPv6Address address = parsed.getAddress().toIPv6();
        IPv6Address block = address.toPrefixBlock();
        rejectReservedRanges(block, text);
        if (parsed.isMixedIPv6()) {
            throw new InvalidPrefixException(
                    text + " embeds an IPv4 address in dotted-quad form; an IPv6 prefix is required");
        }
        if (!address.equals(block)) {
            throw new InvalidPrefixException(text + " has host bits set below /" + block.getNetworkPrefixLength()
                    + "; did you mean " + block.toCanonicalString() + "?");
        }
        return new Ipv6Prefix(block);
    }

    /**
     * The prefix length in bits.
     *
     * @return 0..128
     */
    public int length() {
        return block.getNetworkPrefixLength();
    }

    /**
     * The network address as an unsigned 128-bit number, for arithmetic on many related prefixes without
     * building a prefix for each.
     *
     * @return 0 to 2<sup>128</sup> - 1, with the bits below {@link #length()} clear
     */
    public BigInteger network() {
        return block.getValue();
    }

    /**
     * The canonical text: the RFC 5952 lower-case, zero-compressed network address, then
     * {@code /length}, e.g. {@code 2001:db8:12:3400::/56} or {@code ::/0}. It is also the JSON form.
     *
     * @return the canonical text
     */
    @JsonValue
    public String canonical() {
        return canonical;
    }

    /**
     * Whether {@code other} lies inside this prefix; every prefix contains itself.
     *
     * @param other the candidate sub-prefix
     * @return true if every address of {@code other} is in this prefix
     */
    public boolean contains(Ipv6Prefix other) {
        return block.contains(other.block);
    }

    /**
     * Whether the two prefixes share any address. Prefixes either nest or are disjoint, so this is
     * true exactly when one contains the other.
     *
     * @param other the other prefix
     * @return true if the prefixes share at least one address
     */
    public boolean overlaps(Ipv6Prefix other) {
        return block.overlaps(other.block);
    }

    /**
     * How many prefixes of the given length fit in this one: 2<sup>length - length()</sup>.
     *
     * @param length the sub-prefix length, from {@link #length()} to 128
     * @return the number of sub-prefixes, at least 1
     * @throws IllegalArgumentException if {@code length} is shorter than this prefix or above 128
     */
    public BigInteger count(int length) {
        if (length < length() || length > IPv6Address.BIT_COUNT) {
            throw new IllegalArgumentException("sub-prefix length " + length + " is outside " + length()
                    + ".." + IPv6Address.BIT_COUNT + " for " + canonical);
        }
        // Not block.getPrefixCount(length): in IPAddress 5.5.1 it ignores the bits of a partial
        // 16-bit segment, e.g. ::/0 reports 1 prefix of length 8.
        return BigInteger.ONE.shiftLeft(length - length());
    }

    /**
     * The {@code index}-th aligned sub-prefix of the given length, counting from 0 at this
     * prefix's own network address; {@code subPrefix(length(), ZERO)} is this prefix. The inverse
     * is {@link #indexWithin(Ipv6Prefix)}.
     *
     * @param length the sub-prefix length, from {@link #length()} to 128
     * @param index the slot, from 0 to {@code count(length) - 1}
     * @return the sub-prefix
     * @throws IllegalArgumentException if {@code length} or {@code index} is out of range
     * @throws InvalidPrefixException if the sub-prefix is link-local, multicast or IPv4-mapped,
     *     which only a prefix spanning those ranges (such as {@code ::/0}) can yield
     */
    public Ipv6Prefix subPrefix(int length, BigInteger index) {
        BigInteger count = count(length);
        if (index.signum() < 0 || index.compareTo(count) >= 0) {
            throw new IllegalArgumentException("index " + index + " is outside 0.." + count.subtract(BigInteger.ONE)
                    + " for /" + length + " sub-prefixes of " + canonical);
        }
        // Consecutive slots are 2^(128 - length) addresses apart.
        IPv6Address sub = block.getLower()
                .increment(index.shiftLeft(IPv6Address.BIT_COUNT - length))
                .toPrefixBlock(length);
        rejectReservedRanges(sub, sub.toCanonicalString());
        return new Ipv6Prefix(sub);
    }

    /**
     * The prefix of the given length that encloses this one; {@code parent(length())} is this
     * prefix and {@code parent(0)} is {@code ::/0}.
     *
     * @param length the parent length, from 0 to {@link #length()}
     * @return the enclosing prefix
     * @throws IllegalArgumentException if {@code length} is negative or longer than this prefix
     */
    public Ipv6Prefix parent(int length) {
        if (length < 0 || length > length()) {
            throw new IllegalArgumentException(
                    "parent length " + length + " is outside 0.." + length() + " for " + canonical);
        }
        // No reserved-range check: a reserved parent would make this prefix reserved too.
        return new Ipv6Prefix(block.toPrefixBlock(length));
    }

    /**
     * Which slot this prefix occupies among the sub-prefixes of {@code parent} that have this
     * prefix's length: {@code parent.subPrefix(length(), indexWithin(parent))} equals this prefix.
     *
     * @param parent a prefix containing this one
     * @return the slot, from 0 to {@code parent.count(length()) - 1}
     * @throws IllegalArgumentException if {@code parent} does not contain this prefix
     */
    public BigInteger indexWithin(Ipv6Prefix parent) {
        if (!parent.contains(this)) {
            throw new IllegalArgumentException(canonical + " is not inside " + parent.canonical);
        }
        // enumerate() counts addresses from the parent's start; slots are 2^(128 - length) apart.
        return parent.block.enumerate(block.getLower()).shiftRight(IPv6Address.BIT_COUNT - length());
    }

    /**
     * Orders by numeric network address, then by length (shorter first).
     *
     * @param other the prefix to compare with
     * @return negative, zero or positive as this prefix sorts before, with or after {@code other}
     */
    @Override
    public int compareTo(Ipv6Prefix other) {
        return ORDER.compare(this, other);
    }

    /**
     * Two prefixes are equal when their canonical texts are, i.e. same network address and length.
     *
     * @param other any object
     * @return true if {@code other} is the same prefix
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Ipv6Prefix prefix && canonical.equals(prefix.canonical);
    }

    /**
     * Hash of the canonical text, consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    /**
     * The canonical text, as {@link #canonical()}.
     *
     * @return the canonical text
     */
    @Override
    public String toString() {
        return canonical;
    }

    // Rules decidable from the text alone; returns a string known to hold an IPv6 address with a length.
    private static IPAddressString parseAddressWithLength(String text) {
        if (text == null || text.isBlank()) {
            throw notAPrefix(text == null ? "null" : '"' + text + '"', null);
        }
        IPAddressString parsed = new IPAddressString(text, PLAIN_NOTATION);
        IPAddress address;
        try {
            address = parsed.toAddress();
        } catch (AddressStringException e) {
            throw notAPrefix(text, e);
        }
        if (address.isIPv4()) {
            throw new InvalidPrefixException(text + " is an IPv4 prefix; an IPv6 prefix is required");
        }
        if (address.toIPv6().hasZone()) {
            throw new InvalidPrefixException(text + " has a zone id (%" + address.toIPv6().getZone()
                    + "); a prefix is not scoped to an interface");
        }
        if (!parsed.isPrefixed()) {
            throw new InvalidPrefixException(text + " has no prefix length; write it as address/length");
        }
        return parsed;
    }

    // Ranges no delegated prefix may lie in. Shared by parse() and subPrefix(), so every instance obeys them.
    private static void rejectReservedRanges(IPv6Address block, String shownAs) {
        if (IPV4_MAPPED.contains(block)) {
            throw new InvalidPrefixException(shownAs + " is IPv4-mapped (inside " + IPV4_MAPPED.toCanonicalString()
                    + "); an IPv6 prefix is required");
        }
        if (LINK_LOCAL.contains(block)) {
            throw new InvalidPrefixException(shownAs + " is link-local (inside " + LINK_LOCAL.toCanonicalString() + ")");
        }
        if (MULTICAST.contains(block)) {
            throw new InvalidPrefixException(shownAs + " is multicast (inside " + MULTICAST.toCanonicalString() + ")");
        }
    }

    private static InvalidPrefixException notAPrefix(String shownAs, Throwable cause) {
        return new InvalidPrefixException(shownAs + " is not an IPv6 prefix in the form address/length", cause);
    }

    private static IPv6Address block(String text) {
        return new IPAddressString(text).getAddress().toIPv6();
    }
}
