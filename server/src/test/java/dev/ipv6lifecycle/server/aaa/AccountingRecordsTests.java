package dev.ipv6lifecycle.server.aaa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.AccountingRecord;
import dev.ipv6lifecycle.command.aaa.RadiusSessions.Status;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AccountingRecordsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant RECEIVED = Instant.parse("2026-12-02T04:00:00Z");

    @Test
    void readsARecordAsRlmRestSendsIt() {
        // As FreeRADIUS 3.2's rlm_rest sent it through the detail reader (body = 'json').
        AccountingRecord record = read("""
                {"User-Name":{"type":"string","value":["bob"]},
                 "NAS-IP-Address":{"type":"ipaddr","value":["192.0.2.1"]},
                 "Acct-Status-Type":{"type":"integer","value":["Interim-Update"]},
                 "Acct-Session-Id":{"type":"string","value":["s1"]},
                 "Event-Timestamp":{"type":"date","value":["Dec  2 2026 04:10:00 UTC"]},
                 "Acct-Interim-Interval":{"type":"integer","value":[300]},
                 "Acct-Session-Time":{"type":"integer","value":[120]},
                 "Delegated-IPv6-Prefix":{"type":"ipv6prefix","value":["2001:db8:1::/56"]},
                 "Packet-Original-Timestamp":{"type":"date","value":["Dec  2 2026 04:00:06 UTC"]}}""").orElseThrow();

        assertThat(record.status()).isEqualTo(Status.INTERIM);
        assertThat(record.nas()).isEqualTo("192.0.2.1");
        assertThat(record.sessionKey()).isEqualTo("192.0.2.1/s1");
        assertThat(record.userName()).isEqualTo("bob");
        assertThat(record.prefix()).isEqualTo(Ipv6Prefix.parse("2001:db8:1::/56"));
        assertThat(record.eventTime()).isEqualTo(Instant.parse("2026-12-02T04:10:00Z"));
        assertThat(record.interimInterval()).isEqualTo(300);
        assertThat(record.sessionSeconds()).isEqualTo(120L);
    }

    @Test
    void withoutAnEventTimestampTheRecordIsDatedWhenFreeRadiusReceivedIt() {
        AccountingRecord record = read("""
                {"NAS-Identifier":{"value":["bng-1"]},"Acct-Status-Type":{"value":["Start"]},
                 "Acct-Session-Id":{"value":["s1"]},
                 "Packet-Original-Timestamp":{"value":["Nov 24 2025 16:00:00 UTC"]}}""").orElseThrow();

        assertThat(record.nas()).isEqualTo("bng-1");
        assertThat(record.eventTime()).isEqualTo(Instant.parse("2025-11-24T16:00:00Z"));
        assertThat(read("""
                {"NAS-Identifier":{"value":["bng-1"]},"Acct-Status-Type":{"value":["Start"]},
                 "Acct-Session-Id":{"value":["s1"]}}""").orElseThrow().eventTime()).isEqualTo(RECEIVED);
    }

    @Test
    void readsStatusesByNameAndNumberAndTimestampsInEachForm() {
        assertThat(AccountingRecords.status("Alive")).isEqualTo(Status.INTERIM);
        assertThat(AccountingRecords.status("7")).isEqualTo(Status.ACCOUNTING_ON);
        assertThat(AccountingRecords.status("Accounting-Off")).isEqualTo(Status.ACCOUNTING_OFF);
        assertThat(AccountingRecords.status("Tunnel-Start")).isNull();
        assertThat(AccountingRecords.timestamp("1764648000")).contains(Instant.ofEpochSecond(1764648000));
        assertThat(AccountingRecords.timestamp("2026-03-14T10:00:00Z")).contains(Instant.parse("2026-03-14T10:00:00Z"));
        assertThat(AccountingRecords.timestamp("yesterday")).isEmpty();
    }

    @Test
    void aRecordWithoutStatusNasOrSessionGivesNothingButAccountingOnNeedsNoSession() {
        assertThat(read("{\"NAS-IP-Address\":{\"value\":[\"192.0.2.1\"]},\"Acct-Session-Id\":{\"value\":[\"s\"]}}"))
                .isEmpty();
        assertThat(read("{\"Acct-Status-Type\":{\"value\":[\"Start\"]},\"Acct-Session-Id\":{\"value\":[\"s\"]}}"))
                .isEmpty();
        assertThat(read("{\"Acct-Status-Type\":{\"value\":[\"Stop\"]},\"NAS-IP-Address\":{\"value\":[\"192.0.2.1\"]}}"))
                .isEmpty();
        assertThat(read("{\"Acct-Status-Type\":{\"value\":[\"Accounting-On\"]},"
                + "\"NAS-IP-Address\":{\"value\":[\"192.0.2.1\"]}}")).isPresent();
    }

    @Test
    void aPrefixThatIsNoDelegatedPrefixIsLeftOut() {
        assertThat(read("""
                {"NAS-IP-Address":{"value":["192.0.2.1"]},"Acct-Status-Type":{"value":["Start"]},
                 "Acct-Session-Id":{"value":["s1"]},
                 "Delegated-IPv6-Prefix":{"value":["2001:db8::1/128","fe80::/64","2001:db8:5::/48"]}}""")
                .orElseThrow().prefix()).isEqualTo(Ipv6Prefix.parse("2001:db8:5::/48"));
    }

    private static Optional<AccountingRecord> read(String json) {
        JsonNode body = JSON.readTree(json);
        return AccountingRecords.read("isp-a", body, RECEIVED);
    }
}
