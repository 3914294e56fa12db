package dev.ipv6lifecycle.server.aaa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The filter reads the User-Name with a streaming parser, the controller from a tree: for any body, both find the
 * same User-Name, or both refuse it as not JSON.
 */
class RlmRestRequestPropertyTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> NAMES = List.of("User-Name", "value", "type", "NAS-IP-Address", "user-name");
    private static final List<String> STRINGS = List.of("sub-1", "alice@isp.example", "", "x\u0001y", "ü-ß",
            "a".repeat(253), "a".repeat(254), "\"quoted\" \\ back", "%{User-Password}");

    @Property(tries = 2000)
    void theStreamedUserNameIsTheTreesOrBothRefuseTheBody(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] body = body(random).getBytes(StandardCharsets.UTF_8);

        Optional<String> fromTree;
        try {
            fromTree = RlmRestRequest.userName(JSON.readerFor(JsonNode.class).<JsonNode>readValue(body));
        } catch (JacksonException notJson) {
            assertThatThrownBy(() -> RlmRestRequest.userName(JSON, body)).as(new String(body, StandardCharsets.UTF_8))
                    .isInstanceOf(JacksonException.class);
            return;
        }
        assertThat(RlmRestRequest.userName(JSON, body)).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(fromTree);
    }

    @Test
    void anAccessRequestAsRlmRestSendsItNamesItsUser() {
        byte[] body = ("{\"User-Name\":{\"type\":\"string\",\"value\":[\"alice@isp.example\"]},"
                + "\"NAS-IP-Address\":{\"type\":\"ipaddr\",\"value\":[\"192.0.2.10\"]}}").getBytes(StandardCharsets.UTF_8);

        assertThat(RlmRestRequest.userName(JSON, body)).contains("alice@isp.example");
    }

    /** Mostly rlm_rest's shape, with duplicates, other shapes of User-Name, other JSON, and broken bodies. */
    private static String body(Random random) {
        String body = switch (random.nextInt(10)) {
            case 0 -> value(random, 3);
            case 1 -> "";
            default -> {
                StringBuilder attributes = new StringBuilder("{");
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    String name = random.nextInt(3) == 0 ? pick(random, NAMES) : "User-Name";
                    attributes.append(i == 0 ? "" : ",").append(JSON.writeValueAsString(name)).append(':')
                            .append(random.nextInt(4) == 0 ? value(random, 2) : attribute(random));
                }
                yield attributes.append('}').toString();
            }
        };
        return switch (random.nextInt(12)) {
            case 0 -> body.substring(0, random.nextInt(body.length() + 1));
            case 1 -> body + " {}";
            case 2 -> "  " + body + "\n";
            default -> body;
        };
    }

    private static String attribute(Random random) {
        StringBuilder attribute = new StringBuilder("{\"type\":\"string\"");
        int values = random.nextInt(3);
        for (int i = 0; i < values; i++) {
            attribute.append(",\"value\":");
            if (random.nextInt(5) == 0) {
                attribute.append(value(random, 2));
            } else {
                attribute.append('[');
                int n = random.nextInt(4);
                for (int j = 0; j < n; j++) {
                    attribute.append(j == 0 ? "" : ",")
                            .append(random.nextInt(4) == 0 ? value(random, 1) : JSON.writeValueAsString(pick(random, STRINGS)));
                }
                attribute.append(']');
            }
        }
        return attribute.append('}').toString();
    }

    private static String value(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> JSON.writeValueAsString(pick(random, STRINGS));
            case 1 -> Integer.toString(random.nextInt(1000) - 500);
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> "null";
            case 4 -> "1.5e3";
            case 5 -> {
                StringBuilder array = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    array.append(i == 0 ? "" : ",").append(value(random, depth - 1));
                }
                yield array.append(']').toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    object.append(i == 0 ? "" : ",").append(JSON.writeValueAsString(pick(random, NAMES))).append(':')
                            .append(value(random, depth - 1));
                }
                yield object.append('}').toString();
            }
        };
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
