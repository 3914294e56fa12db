package dev.ipv6lifecycle.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.server.IntegrationTest;
import dev.ipv6lifecycle.server.web.Api;
import dev.ipv6lifecycle.testsupport.TestPrefixes;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code tools/ImportDelegations.java}, run as an operator runs it, against the service. */
@IntegrationTest
class ImportDelegationsToolTests {

    private static final Path TOOL = Path.of("..", "tools", "ImportDelegations.java");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path dir;

    @Test
    void importsACsvFileInBatchesAndReportsEachRowAndARunAgainChangesNothing() throws Exception {
        Api http = new Api(port);
        String space = TestPrefixes.uniqueSlash48();
        String pool = http.post("/api/v1/pools", "{\"name\": \"import " + space + "\", \"prefix\": \"" + space
                + "\", \"delegatedLengths\": [56, 64], \"defaultLength\": 56}").json().get("id").asString();
        String staticPrefix = Ipv6Prefix.parse(space).subPrefix(56, BigInteger.valueOf(255)).toString();
        Path csv = dir.resolve("subscribers.csv");
        Files.writeString(csv, String.join("\n",
                "subscriberId,poolId,prefixLength,prefix,nas.username,nas.nasIp,nas.sessionId",
                "imp-1," + pool + ",,,\"alice@isp.example\",192.0.2.10,5A3F0001",
                "imp-2," + pool + ",64,,,,",
                "",
                "imp-3," + pool + ",," + staticPrefix + ",,,",
                "imp-4," + pool + ",47,,,,",
                "imp-5," + pool + ",,,,,") + "\n");

        Run first = run(csv, "--batch", "2");
        Run again = run(csv, "--batch", "2");

        assertThat(first.exit()).as(first.progress()).isEqualTo(2);
        assertThat(first.results()).hasSize(5);
        assertThat(first.results()).extracting(row -> row.get("line").asInt()).containsExactly(2, 3, 5, 6, 7);
        assertThat(first.results()).extracting(row -> row.get("status").asInt()).containsExactly(201, 201, 201, 400, 201);
        assertThat(first.results().get(2).get("prefix").asString()).isEqualTo(staticPrefix);
        assertThat(first.results().get(3).get("problem").asString()).contains("prefixLength");
        assertThat(first.progress()).contains("done: 5 rows, 4 allocated, 1 refused");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE pool_id = ?::uuid", Long.class, pool))
                .isEqualTo(4);
        assertThat(jdbc.queryForObject("""
                SELECT convert_from(payload, 'UTF8')::jsonb #>> '{nas,username}' FROM domain_event_entry
                WHERE payload_type = 'dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent'
                  AND convert_from(payload, 'UTF8')::jsonb ->> 'poolId' = ?
                  AND convert_from(payload, 'UTF8')::jsonb ->> 'subscriberId' = 'imp-1'""", String.class, pool))
                .as("the CSV's nas.username column").isEqualTo("alice@isp.example");

        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.results()).as("answered from the service's record of each batch")
                .extracting(row -> row.toString()).isEqualTo(first.results().stream().map(JsonNode::toString).toList());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM prefix_reservation WHERE pool_id = ?::uuid", Long.class, pool))
                .isEqualTo(4);
    }

    private record Run(int exit, List<JsonNode> results, String progress) {
    }

    private Run run(Path file, String... options) throws IOException, InterruptedException {
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                TOOL.toString(), "--url", "http://127.0.0.1:" + port));
        command.addAll(List.of(options));
        command.add(file.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("IPV6_API_KEY", Api.ADMIN_KEY);
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the import finished").isTrue();
        List<JsonNode> results = Files.readAllLines(out, StandardCharsets.UTF_8).stream().map(JSON::readTree).toList();
        return new Run(process.exitValue(), results, Files.readString(err));
    }
}
