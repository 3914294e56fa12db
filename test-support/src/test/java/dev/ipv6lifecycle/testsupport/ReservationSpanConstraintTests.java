package dev.ipv6lifecycle.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The reservations' exclusion constraint over 64-bit block ranges (V11) refuses exactly the prefixes that
 * overlap a held one, as V3's constraint over the prefixes did. Which pairs overlap is computed here on the
 * 128-bit addresses, independently of the ranges PostgreSQL compares.
 */
class ReservationSpanConstraintTests {

    private static final BigInteger ALL_ONES = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private final JdbcTemplate jdbc = new JdbcTemplate(SharedPostgres.dataSource(SharedPostgres.freshDatabase()));

    @Test
    void refusesExactlyThePrefixesThatOverlapAHeldOneWhateverTheirLengths() {
        Random random = new Random(20261202);
        UUID pool = pool("t-pairs", "2001:db8::/32");
        int refused = 0;
        for (int pair = 0; pair < 600; pair++) {
            String tenant = "t-pair-" + pair;
            // Both inside one /48, their addresses drawn from its last 4 to 16 bits: most pairs overlap, many do not.
            int bits = 4 + random.nextInt(13);
            BigInteger first = prefixIn(random, bits, 48 + random.nextInt(17));
            BigInteger second = prefixIn(random, bits, 48 + random.nextInt(17));
            int firstLength = lengthOf(first);
            int secondLength = lengthOf(second);
            reserve(tenant, pool, text(first, firstLength));
            boolean overlaps = overlap(first, firstLength, second, secondLength);
            if (overlaps) {
                refused++;
                assertThatThrownBy(() -> reserve(tenant, pool, text(second, secondLength)))
                        .as("%s/%d after %s/%d", text(second, secondLength), secondLength, text(first, firstLength))
                        .isInstanceOf(DataIntegrityViolationException.class)
                        .hasMessageContaining("prefix_reservation_no_overlap");
            } else {
                reserve(tenant, pool, text(second, secondLength));
            }
        }
        assertThat(refused).as("pairs that overlapped").isBetween(150, 550);
    }

    @Test
    void anotherTenantMayHoldTheSamePrefix() {
        UUID pool = pool("t-same", "2001:db8::/32");
        reserve("t-same-a", pool, "2001:db8:1::/48");
        reserve("t-same-b", pool, "2001:db8:1::/48");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE prefix = '2001:db8:1::/48'",
                Long.class)).isEqualTo(2);
    }

    @Test
    void theLastBlocksOfTheAddressSpaceAreRangesToo() {
        UUID pool = pool("t-top", "ffff:ffff:ffff:ff00::/56");
        reserve("t-top", pool, "ffff:ffff:ffff:ffff::/64");
        reserve("t-top", pool, "ffff:ffff:ffff:fffe::/64");
        assertThatThrownBy(() -> reserve("t-top", pool, "ffff:ffff:ffff:ff00::/56"))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(jdbc.queryForObject("SELECT upper_inf(span) FROM prefix_reservation WHERE prefix = 'ffff:ffff:ffff:ffff::/64'",
                Boolean.class)).isTrue();
    }

    @Test
    void refusesWhatIsNotADelegatedLength() {
        UUID pool = pool("t-lengths", "2001:db8::/32");
        assertThatThrownBy(() -> reserve("t-lengths", pool, "2001:db8:1:1::/80"))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("prefix_reservation_delegated");
        assertThatThrownBy(() -> reserve("t-lengths", pool, "2001:db8::/40"))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("prefix_reservation_delegated");
    }

    @Test
    void anInstallationUpgradedFromV10KeepsItsReservationsUnderTheNewConstraint() {
        String name = "ipv6_upgrade_" + UUID.randomUUID().toString().replace("-", "");
        new JdbcTemplate(SharedPostgres.dataSource(SharedPostgres.jdbcUrl())).execute("CREATE DATABASE " + name);
        String url = SharedPostgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        flyway(url, "10").migrate();
        JdbcTemplate old = new JdbcTemplate(SharedPostgres.dataSource(url));
        UUID pool = UUID.randomUUID();
        old.update("""
                INSERT INTO pool_registry (pool_id, tenant_id, prefix, delegated_lengths, default_length, quarantine, state, created_at)
                VALUES (?, 'upgrade', '2001:db8::/32', '{48,56,64}', 56, '30 days', 'ACTIVE', now())""", pool);
        old.update("INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, subscriber_id) "
                + "VALUES ('upgrade', ?, '2001:db8:7::/48', ?, 'old')", pool, UUID.randomUUID());

        flyway(url, "latest").migrate();

        assertThat(old.queryForObject("SELECT span = prefix_span(prefix) FROM prefix_reservation", Boolean.class)).isTrue();
        assertThatThrownBy(() -> old.update("INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, "
                + "subscriber_id) VALUES ('upgrade', ?, '2001:db8:7:ab00::/56', ?, 'new')", pool, UUID.randomUUID()))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("prefix_reservation_no_overlap");
    }

    private UUID pool(String tenant, String prefix) {
        UUID pool = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO pool_registry (pool_id, tenant_id, prefix, delegated_lengths, default_length, quarantine, state, created_at)
                VALUES (?, ?, ?::cidr, '{48,56,64}', 56, '30 days', 'ACTIVE', now())""", pool, tenant, prefix);
        return pool;
    }

    private void reserve(String tenant, UUID pool, String prefix) {
        jdbc.update("INSERT INTO prefix_reservation (tenant_id, pool_id, prefix, delegation_id, subscriber_id) "
                + "VALUES (?, ?, ?::cidr, ?, 's')", tenant, pool, prefix, UUID.randomUUID());
    }

    /**
     * A random aligned prefix of {@code length} inside 2001:db8:abcd::/48, whose address differs from the /48's
     * in its last {@code bits} bits before the interface identifier; its length is kept in the low bits.
     */
    private static BigInteger prefixIn(Random random, int bits, int length) {
        BigInteger base = address("2001:db8:abcd::");
        BigInteger offset = new BigInteger(bits, random).shiftLeft(128 - 64);
        BigInteger network = base.add(offset).and(mask(length));
        return network.or(BigInteger.valueOf(length));
    }

    private static int lengthOf(BigInteger prefix) {
        return prefix.intValue() & 0xff;
    }

    private static boolean overlap(BigInteger a, int aLength, BigInteger b, int bLength) {
        int shorter = Math.min(aLength, bLength);
        return network(a, aLength).and(mask(shorter)).equals(network(b, bLength).and(mask(shorter)));
    }

    private static BigInteger network(BigInteger prefix, int length) {
        return prefix.and(mask(length));
    }

    private static BigInteger mask(int length) {
        return ALL_ONES.xor(BigInteger.ONE.shiftLeft(128 - length).subtract(BigInteger.ONE));
    }

    private static String text(BigInteger prefix, int length) {
        byte[] bytes = network(prefix, length).toByteArray();
        byte[] address = new byte[16];
        int copy = Math.min(bytes.length, 16);
        System.arraycopy(bytes, bytes.length - copy, address, 16 - copy, copy);
        try {
            return InetAddress.getByAddress(address).getHostAddress() + "/" + length;
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static BigInteger address(String text) {
        try {
            return new BigInteger(1, InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Flyway flyway(String url, String target) {
        return Flyway.configure().dataSource(url, SharedPostgres.USER, null).locations("classpath:db/migration")
                .target(target).load();
    }
}
