package io.eddy.server.endpoint;

import static io.eddy.server.testing.WireAssertions.assertEvent;
import static io.eddy.server.testing.WireAssertions.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.core.changelog.LogPosition;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.server.testing.WireAssertions;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventCursor;
import io.eddy.stream.event.EventType;
import io.eddy.stream.feed.FeedPage;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire form of events (stream lines and feed pages): field order, tags, no extra fields. */
class EventJsonTest {
    private static final long TS = 1728485357620000L;
    private static final LogPosition AT = new LogPosition(TS, 3);
    private static final String STATS =
            "\"stats\":{\"read_ops\":0,\"storage_bytes_read\":0,\"compute_ops\":0,\"processing_time_ms\":0,\"rate_limits_hit\":[]}";

    private static ObjectValue fields(Object... kv) {
        Map<String, Value> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Value) kv[i + 1]);
        }
        return new ObjectValue(m);
    }

    private static String line(Event e) {
        return new String(StreamHttpResponse.encode(e), StandardCharsets.UTF_8);
    }

    private static JsonNode json(Event e) {
        String l = line(e);
        assertThat(l).endsWith("\r\n");
        assertThat(l.substring(0, l.length() - 2)).doesNotContain("\n", "\r");
        return WireAssertions.parse(l);
    }

    @Test
    void anEventsCostIsItsStats() {
        String l = line(Event.data(EventType.ADD, new IntValue(1), AT).withStats(new io.eddy.stream.event.EventStats(2, 345, 1, 6)));
        assertThat(l).endsWith(",\"stats\":{\"read_ops\":2,\"storage_bytes_read\":345,\"compute_ops\":1,"
                + "\"processing_time_ms\":6,\"rate_limits_hit\":[]}}\r\n");
        assertEvent(WireAssertions.parse(l));
    }

    @Test
    void dataEventIsCoresShapeWithTaggedData() {
        DocumentValue doc = new DocumentValue("Product", "401", TS,
                fields("name", new StringValue("p1"), "quantity", new IntValue(1), "big", new LongValue(1L << 40),
                        "price", new DoubleValue(1.5), "tags", ArrayValue.of(new IntValue(7))));
        String l = line(Event.data(EventType.ADD, doc, AT));
        assertThat(l).isEqualTo("{\"type\":\"add\",\"data\":{\"@doc\":{\"id\":\"401\",\"coll\":{\"@mod\":\"Product\"},"
                + "\"ts\":{\"@time\":\"2024-10-09T14:49:17.620Z\"},\"name\":\"p1\",\"quantity\":{\"@int\":\"1\"},"
                + "\"big\":{\"@long\":\"1099511627776\"},\"price\":{\"@double\":\"1.5\"},\"tags\":[{\"@int\":\"7\"}]}},"
                + "\"txn_ts\":1728485357620000,\"cursor\":\"" + EventCursor.encode(AT) + "\"," + STATS + "}\r\n");
        assertEvent(WireAssertions.parse(l));
        for (EventType t : List.of(EventType.UPDATE, EventType.REMOVE)) {
            JsonNode e = json(Event.data(t, doc, AT));
            assertEvent(e);
            assertThat(e.get("type").asText()).isEqualTo(t.wire());
        }
    }

    @Test
    void projectedAndScalarDataStayTagged() {
        JsonNode projected = json(Event.data(EventType.UPDATE, fields("name", new StringValue("x"), "price", new IntValue(2300)), AT));
        assertEvent(projected);
        assertThat(fieldNames(projected.get("data"))).containsExactly("name", "price");
        assertThat(projected.get("data").get("price").toString()).isEqualTo("{\"@int\":\"2300\"}");

        JsonNode scalar = json(Event.data(EventType.ADD, new IntValue(0), AT));
        assertThat(scalar.get("data").toString()).isEqualTo("{\"@int\":\"0\"}");

        // a user key starting with '@' must not read back as a tag
        JsonNode at = json(Event.data(EventType.ADD, fields("@weird", new IntValue(1)), AT));
        assertThat(at.get("data").toString()).isEqualTo("{\"@object\":{\"@weird\":{\"@int\":\"1\"}}}");
    }

    @Test
    void statusEventHasTxnTsAndCursorOnly() {
        LogPosition end = LogPosition.endOf(TS);
        assertThat(line(Event.status(end))).isEqualTo("{\"type\":\"status\",\"txn_ts\":1728485357620000,\"cursor\":\""
                + EventCursor.encode(end) + "\"," + STATS + "}\r\n");
        assertEvent(json(Event.status(end)));
    }

    @Test
    void errorEventsHaveNoTxnTsOrCursorAndCarryAbortValues() {
        assertThat(line(Event.error("stream_overflow", "Too many events to process.", null, AT))).isEqualTo(
                "{\"type\":\"error\",\"error\":{\"code\":\"stream_overflow\",\"message\":\"Too many events to process.\"},"
                        + STATS + "}\r\n");
        JsonNode abort = json(Event.error("abort", "Query aborted.", new StringValue("oops"), AT));
        assertEvent(abort);
        assertThat(abort.get("error").toString())
                .isEqualTo("{\"code\":\"abort\",\"message\":\"Query aborted.\",\"abort\":\"oops\"}");
        JsonNode tagged = json(Event.error("abort", "Query aborted.", new IntValue(42), null));
        assertThat(tagged.get("error").get("abort").toString()).isEqualTo("{\"@int\":\"42\"}");
        // JS's AbortError needs the field even for abort(null)
        JsonNode nullAbort = json(Event.error("abort", "Query aborted.", null, null));
        assertThat(nullAbort.get("error").has("abort")).isTrue();
        assertThat(nullAbort.get("error").get("abort").isNull()).isTrue();
    }

    @Test
    void feedPageHasExactlyCoresFieldsAndNoStatusEvents() throws Exception {
        Event add = Event.data(EventType.ADD, new IntValue(1), AT);
        Event status = Event.status(LogPosition.endOf(TS));
        Event error = Event.error("invalid_effect", "Writes are not allowed here.", null, new LogPosition(TS, 4));
        FeedPage page = new FeedPage(List.of(add, status, error), "CURSOR", true);
        FullHttpResponse r = FeedHttpResponse.render(UnpooledByteBufAllocator.DEFAULT, page, 7);
        try {
            assertThat(r.status().code()).isEqualTo(200);
            assertThat(r.headers().get("content-type")).isEqualTo("application/json;charset=utf-8");
            JsonNode body = WireAssertions.parse(r.content().toString(StandardCharsets.UTF_8));
            assertThat(fieldNames(body)).containsExactly("events", "cursor", "has_next", "stats");
            assertThat(body.get("events")).hasSize(2);
            body.get("events").forEach(WireAssertions::assertEvent);
            assertThat(body.get("events").get(0).get("type").asText()).isEqualTo("add");
            assertThat(body.get("events").get(1).get("type").asText()).isEqualTo("error");
            assertThat(body.get("cursor").asText()).isEqualTo("CURSOR");
            assertThat(body.get("has_next").asBoolean()).isTrue();
            assertThat(fieldNames(body.get("stats"))).containsExactlyElementsOf(WireAssertions.EVENT_STATS_FIELDS);
            assertThat(body.get("stats").get("processing_time_ms").asLong()).isEqualTo(7);
        } finally {
            r.release();
        }
        FeedPage empty = new FeedPage(List.of(), "C2", false);
        FullHttpResponse e = FeedHttpResponse.render(UnpooledByteBufAllocator.DEFAULT, empty, 0);
        try {
            // Even an empty page cost the request one compute op.
            assertThat(e.content().toString(StandardCharsets.UTF_8)).isEqualTo("{\"events\":[],\"cursor\":\"C2\",\"has_next\":false,"
                    + "\"stats\":{\"read_ops\":0,\"storage_bytes_read\":0,\"compute_ops\":1,\"processing_time_ms\":0,\"rate_limits_hit\":[]}}");
        } finally {
            e.release();
        }
        assertThatThrownBy(() -> FeedHttpResponse.render(UnpooledByteBufAllocator.DEFAULT, new FeedPage(List.of(), " ", false), 0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void largePagesRenderedInSlicesWhileReadAreByteForByteOneDocument() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (int n : new int[] {0, 1, 999, 2_000, 2_001, 7_777}) {
                List<Event> events = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    Value data = fields("i", new IntValue(i), "text", new io.eddy.core.value.StringValue("payload " + i + " é \"q\""));
                    events.add(Event.data(i % 3 == 0 ? EventType.ADD : EventType.UPDATE, data, new LogPosition(TS + i, i % 5))
                            .withStats(new io.eddy.stream.event.EventStats(1 + i % 2, 100 + i, 1, 0)));
                }
                long reads = 0, bytes = 0;
                for (int i = 0; i < n; i++) {
                    reads += 1 + i % 2;
                    bytes += 100 + i;
                }
                if (n > 0) events.add(Event.error("abort", "Query aborted.", new IntValue(n), null));
                FeedPage page = new FeedPage(events, "CUR", n % 2 == 0);
                // The reference: one generator over the whole page, as before slicing existed.
                java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
                try (com.fasterxml.jackson.core.JsonGenerator g = io.eddy.server.wire.WireJson.FACTORY.createGenerator(expected)) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("events");
                    for (Event e : events) EventJson.write(g, e);
                    g.writeEndArray();
                    g.writeStringField("cursor", "CUR");
                    g.writeBooleanField("has_next", n % 2 == 0);
                    g.writeFieldName("stats");
                    EventJson.writeStats(g, new io.eddy.stream.event.EventStats(reads, bytes, Math.max(1, n), 3));
                    g.writeEndObject();
                }
                // Chunks handed over while "reading" (none, small, large), on a pool and on a renderer
                // that refuses work; the rest of the page is rendered by finish().
                java.util.concurrent.Executor refusing = task -> {
                    throw new java.util.concurrent.RejectedExecutionException("no renderer");
                };
                for (java.util.concurrent.Executor renderers : List.of(pool, refusing)) {
                    for (int chunk : new int[] {0, 1, 1000, 3000}) {
                        FeedPageRenderer renderer = new FeedPageRenderer(io.netty.buffer.PooledByteBufAllocator.DEFAULT, renderers);
                        int handed = chunk == 0 ? 0 : Math.max(0, events.size() - 500);
                        for (int from = 0; from < handed; from += chunk) {
                            renderer.submit(List.copyOf(events.subList(from, Math.min(handed, from + chunk))));
                        }
                        FullHttpResponse r = renderer.finish(page, 3);
                        try {
                            assertThat(r.content().toString(StandardCharsets.UTF_8)).as("%d events, chunks of %d", n, chunk)
                                    .isEqualTo(expected.toString(StandardCharsets.UTF_8));
                            assertThat(r.headers().getInt("content-length")).isEqualTo(r.content().readableBytes());
                        } finally {
                            r.release();
                        }
                    }
                }
                // A page abandoned midway (the request failed) releases every slice, rendered or not.
                FeedPageRenderer abandoned = new FeedPageRenderer(io.netty.buffer.PooledByteBufAllocator.DEFAULT, pool);
                for (int from = 0; from < events.size(); from += 1000) {
                    abandoned.submit(List.copyOf(events.subList(from, Math.min(events.size(), from + 1000))));
                }
                abandoned.abandon();
            }
        } finally {
            pool.shutdown();
        }
    }
}
