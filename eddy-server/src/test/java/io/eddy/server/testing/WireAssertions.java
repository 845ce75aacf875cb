package io.eddy.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks on response bodies mirroring what the JVM driver tolerates (wire protocol §1 items 5, 6). */
public final class WireAssertions {
    public static final ObjectMapper JSON = new ObjectMapper();

    public static final Set<String> RESPONSE_FIELDS =
            Set.of("data", "static_type", "summary", "txn_ts", "stats", "schema_version", "query_tags", "error");
    public static final Set<String> ERROR_FIELDS = Set.of("code", "message", "constraint_failures", "abort");
    public static final Set<String> STATS_FIELDS = Set.of("compute_ops", "read_ops", "write_ops", "query_time_ms",
            "processing_time_ms", "contention_retries", "storage_bytes_read", "storage_bytes_write", "rate_limits_hit");

    /** Event stats, in core's order: exactly these, never more (fauna-jvm {@code FaunaEvent}). */
    public static final List<String> EVENT_STATS_FIELDS =
            List.of("read_ops", "storage_bytes_read", "compute_ops", "processing_time_ms", "rate_limits_hit");

    private WireAssertions() {}

    /**
     * A stream or feed event has exactly core's fields in core's order (type; data, txn_ts, cursor
     * for data events; txn_ts, cursor for status; error for errors; then stats), complete stats,
     * and tagged data without raw numbers.
     */
    public static void assertEvent(JsonNode event) {
        assertThat(event.isObject()).as("event is an object: %s", event).isTrue();
        String type = event.path("type").asText();
        List<String> expected = switch (type) {
            case "add", "update", "remove" -> List.of("type", "data", "txn_ts", "cursor", "stats");
            case "status" -> List.of("type", "txn_ts", "cursor", "stats");
            case "error" -> List.of("type", "error", "stats");
            default -> throw new AssertionError("unknown event type in " + event);
        };
        assertThat(fieldNames(event)).as("fields of %s", event).containsExactlyElementsOf(expected);
        if (event.has("txn_ts")) {
            assertThat(event.get("txn_ts").isIntegralNumber()).isTrue();
            assertThat(event.get("cursor").isTextual()).isTrue();
            assertThat(event.get("cursor").asText()).isNotBlank();
        }
        if (event.has("data")) {
            assertNoRawNumbers(event.get("data"));
        }
        if (event.has("error")) {
            JsonNode error = event.get("error");
            assertThat(fieldNames(error)).isSubsetOf(ERROR_FIELDS).contains("code", "message");
            if (error.has("abort")) {
                assertNoRawNumbers(error.get("abort"));
            }
        }
        JsonNode stats = event.get("stats");
        assertThat(fieldNames(stats)).containsExactlyElementsOf(EVENT_STATS_FIELDS);
        assertThat(stats.get("rate_limits_hit").isArray()).isTrue();
    }

    public static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    /** Only allowed fields, stats (if present) a complete object, error with code and message. */
    public static void assertDriverCompatible(JsonNode body) {
        assertThat(body.isObject()).as("body is an object: %s", body).isTrue();
        body.fieldNames().forEachRemaining(f -> assertThat(RESPONSE_FIELDS).as("response field").contains(f));
        if (body.has("stats")) {
            JsonNode stats = body.get("stats");
            assertThat(stats.isObject()).as("stats is an object").isTrue();
            stats.fieldNames().forEachRemaining(f -> assertThat(STATS_FIELDS).as("stats field").contains(f));
            assertThat(stats.get("rate_limits_hit").isArray()).isTrue();
        }
        if (body.has("error")) {
            JsonNode error = body.get("error");
            error.fieldNames().forEachRemaining(f -> assertThat(ERROR_FIELDS).as("error field").contains(f));
            assertThat(error.get("code").isTextual()).isTrue();
            assertThat(error.get("message").isTextual()).isTrue();
            assertThat(body.has("data")).as("an error body never has data").isFalse();
        }
    }

    /** No raw JSON number anywhere inside {@code node} (tagged data). */
    public static void assertNoRawNumbers(JsonNode node) {
        List<String> found = new ArrayList<>();
        collectNumbers(node, "", found);
        assertThat(found).as("raw numbers in tagged data").isEmpty();
    }

    private static void collectNumbers(JsonNode node, String path, List<String> found) {
        if (node.isNumber()) {
            found.add(path + "=" + node);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectNumbers(node.get(i), path + "/" + i, found);
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> collectNumbers(e.getValue(), path + "/" + e.getKey(), found));
        }
    }
}
