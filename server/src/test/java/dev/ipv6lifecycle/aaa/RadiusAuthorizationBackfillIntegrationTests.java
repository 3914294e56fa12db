package dev.ipv6lifecycle.aaa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * V12 fills {@code radius_authorization} for the delegations already live when it runs, from the event store.
 * Its statement, run again over this database's events, gives exactly the rows the in-transaction handler wrote.
 */
@IntegrationTest
class RadiusAuthorizationBackfillIntegrationTests {

    private static final String BACKFILL_START = "-- Delegations that are live when this migration runs";
    private static final String ROWS = "SELECT delegation_id::text AS id, radius_user_name, prefix::text AS prefix, "
            + "state, allocated_at FROM radius_authorization WHERE tenant_id = ? ORDER BY delegation_id";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void theMigrationsBackfillGivesTheRowsTheHandlerWrote() throws IOException {
        AaaTenant tenant = AaaTenant.create(new Api(port));
        tenant.pool("2001:db8:500::/40", false);
        tenant.allocate("allocated", ", \"nas\": {\"username\": \"a@isp\", \"nasIp\": \"192.0.2.1\", \"sessionId\": \"1\"}");
        String suspended = tenant.allocate("suspended", "").get("id").asString();
        tenant.transition(suspended, "activate");
        tenant.transition(suspended, "suspend");
        String resumed = tenant.allocate("resumed", ", \"radiusUserName\": \"r@isp\"").get("id").asString();
        tenant.transition(resumed, "activate");
        tenant.transition(resumed, "suspend");
        tenant.transition(resumed, "resume");
        String revoked = tenant.allocate("revoked", "").get("id").asString();
        tenant.transition(revoked, "revoke");
        List<Map<String, Object>> written = jdbc.queryForList(ROWS, tenant.name());
        String backfill = backfill();

        List<Map<String, Object>> backfilled = new TransactionTemplate(transactions).execute(status -> {
            status.setRollbackOnly(); // the table stays as the handler left it
            jdbc.update("DELETE FROM radius_authorization");
            jdbc.update(backfill);
            return jdbc.queryForList(ROWS, tenant.name());
        });

        assertThat(written).extracting(row -> row.get("radius_user_name") + " " + row.get("state"))
                .containsExactlyInAnyOrder("a@isp ALLOCATED", "suspended SUSPENDED", "r@isp ACTIVE");
        assertThat(backfilled).isEqualTo(written);
    }

    private static String backfill() throws IOException {
        try (InputStream in = RadiusAuthorizationBackfillIntegrationTests.class
                .getResourceAsStream("/db/migration/V12__radius_authorization.sql")) {
            String migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return migration.substring(migration.indexOf(BACKFILL_START));
        }
    }
}
