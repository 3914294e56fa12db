package dev.ipv6lifecycle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class ServerIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    EventStore eventStore;

    @Autowired
    TransactionManager transactionManager;

    @Autowired
    DeadlineManager deadlineManager;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void healthReportsTheDatabase() throws Exception {
        String health = get("/actuator/health");

        assertThat(health).contains("\"status\":\"UP\"").contains("\"db\":{").contains("PostgreSQL");
    }

    @Test
    void theApiDocumentReportsTheVersion() throws Exception {
        assertThat(get("/v3/api-docs")).contains("\"version\":\"0.1.0-SNAPSHOT\"");
    }

    @Test
    void storesEventsAsRevisionedJsonInByteaWithAGaplessGlobalIndex() {
        String aggregateId = UUID.randomUUID().toString();

        transactionManager.executeInTransaction(() -> eventStore.publish(
                new GenericDomainEventMessage<>("Probe", aggregateId, 0, new ProbeRecorded("first")),
                new GenericDomainEventMessage<>("Probe", aggregateId, 1, new ProbeRecorded("second"))));

        List<String> payloads = jdbc.queryForList("SELECT convert_from(payload, 'UTF8') FROM domain_event_entry "
                + "WHERE aggregate_identifier = ? ORDER BY sequence_number", String.class, aggregateId);
        assertThat(payloads).containsExactly("{\"note\":\"first\"}", "{\"note\":\"second\"}");
        assertThat(jdbc.queryForList("SELECT DISTINCT payload_revision FROM domain_event_entry "
                + "WHERE aggregate_identifier = ?", String.class, aggregateId)).containsExactly("1");
        List<Long> indexes = jdbc.queryForList("SELECT global_index FROM domain_event_entry "
                + "WHERE aggregate_identifier = ? ORDER BY sequence_number", Long.class, aggregateId);
        assertThat(indexes.get(1) - indexes.get(0)).isEqualTo(1L);
        assertThat(eventStore.readEvents(aggregateId).asStream().map(message -> (Object) message.getPayload()))
                .containsExactly(new ProbeRecorded("first"), new ProbeRecorded("second"));
    }

    @Test
    void schedulesDeadlinesDurablyInPostgresql() {
        assertThat(deadlineManager).isInstanceOf(DbSchedulerDeadlineManager.class);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Revision("1")
    record ProbeRecorded(String note) {
    }
}
