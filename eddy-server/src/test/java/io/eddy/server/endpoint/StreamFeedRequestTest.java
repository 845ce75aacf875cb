package io.eddy.server.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.core.changelog.LogPosition;
import io.eddy.core.storage.Store;
import io.eddy.core.storage.StoreConfig;
import io.eddy.fql.EngineConfig;
import io.eddy.fql.FqlEngine;
import io.eddy.fql.api.Principal;
import io.eddy.fql.api.QueryOptions;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.TemplateNode;
import io.eddy.server.EddyHttpServer;
import io.eddy.server.http.HttpHarness;
import io.eddy.server.testing.WireAssertions;
import io.eddy.stream.EventStreams;
import io.eddy.stream.StreamConfig;
import io.eddy.stream.event.EventCursor;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /stream/1} and {@code /feed/1} on an {@link io.netty.channel.embedded.EmbeddedChannel}
 * against a real store: request validation in core's words (wire protocol §7.1, §8.1),
 * authentication, and the start of a stream.
 */
class StreamFeedRequestTest {
    @TempDir static Path dir;
    static Store store;
    static FqlEngine engine;
    static EventStreams streams;
    static String token;
    static long createdTs;

    HttpHarness h;

    @BeforeAll
    static void open() {
        store = Store.open(StoreConfig.defaults(dir));
        engine = new FqlEngine(store, new EngineConfig(new byte[32], Clock.systemUTC()));
        streams = new EventStreams(store, engine, StreamConfig.defaults(), Clock.systemUTC(), StreamHttpResponse.encoder(),
                io.eddy.server.http.WriteRoundBatching.INSTANCE);
    }

    @AfterAll
    static void close() {
        streams.close();
        store.close();
    }

    @BeforeEach
    void harness() {
        h = new HttpHarness(EddyHttpServer.defaultEndpoints(engine, streams));
        if (token == null) {
            // Through the engine: a write's response is written by whichever thread completes its commit,
            // and an EmbeddedChannel's loop may only be driven from the test's thread.
            assertThat(engine.execute(new QueryRequest(TemplateNode.Fql.of("Collection.create({ name: 'Product' })"),
                    Map.of(), QueryOptions.defaults(), Principal.ROOT))).isInstanceOf(QueryOutcome.Success.class);
            JsonNode r = query("Product.all().toStream()");
            token = r.get("data").get("@stream").asText();
            createdTs = r.get("txn_ts").asLong();
        }
    }

    @AfterEach
    void closeHarness() {
        h.close();
    }

    private JsonNode query(String fql) {
        HttpHarness.Response r = h.call("POST", "/query/1", WireAssertions.JSON.createObjectNode().put("query", fql).toString(),
                "X-Format: tagged");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private void assertRefused(String path, String body, int status, String code, String message, String... headers) {
        HttpHarness.Response r = h.call("POST", path, body, headers);
        assertThat(r.status()).as("%s %s -> %s", path, body, r.body()).isEqualTo(status);
        assertThat(r.errorCode()).isEqualTo(code);
        assertThat(r.errorMessage()).isEqualTo(message);
        assertThat(WireAssertions.fieldNames(r.json())).containsExactly("error");
        assertThat(WireAssertions.fieldNames(r.json().get("error"))).containsExactly("code", "message");
        assertThat(r.headers().get("content-type")).isEqualTo("application/json;charset=utf-8");
    }

    private void badStream(String body, String message) {
        assertRefused("/stream/1", body, 400, "invalid_request", message);
    }

    private void badFeed(String body, String message, String... headers) {
        assertRefused("/feed/1", body, 400, "invalid_request", message, headers);
    }

    private static String cursorAt(long ts, int ordinal) {
        return EventCursor.encode(new LogPosition(ts, ordinal));
    }

    @Test
    void streamRequestValidationUsesCoresMessages() {
        badStream("{}", "Invalid request body: Value for key token not found.");
        badStream("{\"streamz\":\"" + token + "\"}", "Invalid request body: Value for key token not found.");
        badStream("{\"token\":\"nope\"}", "Invalid request body: invalid event source provided");
        badStream("{\"token\":\"" + token + "\",\"cursor\":\"INVALID!\"}", "Invalid request body: invalid event cursor provided");
        badStream("{\"token\":\"" + token + "\",\"cursor\":\"" + cursorAt(createdTs, 1) + "\",\"start_ts\":" + createdTs + "}",
                "Invalid request body: can not provide both `start_ts` and `cursor`");
        badStream("{\"token\":\"" + token + "\",\"start_ts\":\"1\"}", "Invalid request body: Unexpected string value '1'.");
        badStream("{\"token\":\"" + token + "\",\"start_ts\":1.5}", "Invalid request body: Unexpected number value '1.5'.");
        badStream("{\"token\":42}", "Invalid request body: Unexpected number value '42'.");
        badStream("{\"token\":\"" + token + "\",\"start_ts\":" + (createdTs - 1) + "}",
                "Invalid stream start time: Stream start time can not be before the stream create time.");
        badStream("{\"token\":\"" + token + "\",\"cursor\":\"" + cursorAt(createdTs - 1, 0) + "\"}",
                "Invalid stream start time: Stream start time can not be before the stream create time.");
        badStream("", "No request body provided");
        badStream("[1]", "Invalid request body: Unexpected array value.");
        HttpHarness.Response malformed = h.call("POST", "/stream/1", "{\"token\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("invalid_request");
        assertThat(malformed.errorMessage()).startsWith("Invalid request body: ");
    }

    @Test
    void feedRequestValidationUsesCoresMessages() {
        badFeed("{}", "Invalid request body: Value for key token not found.");
        badFeed("{\"token\":\"INVALID!\"}", "Invalid request body: invalid event source provided.");
        badFeed("{\"token\":\"" + token + "\",\"cursor\":\"INVALID!\"}", "Invalid request body: invalid event cursor provided.");
        badFeed("{\"token\":\"" + token + "\",\"start_ts\":0,\"cursor\":\"" + cursorAt(createdTs, 0) + "\"}",
                "Invalid request body: can not provide both `start_ts` and `cursor`.");
        badFeed("{\"token\":\"" + token + "\",\"start_ts\":\"INVALID!\"}", "Invalid request body: Unexpected string value 'INVALID!'.");
        badFeed("{\"token\":\"" + token + "\",\"page_size\":-1}", "Invalid request body: page size must be greater than zero.");
        badFeed("{\"token\":\"" + token + "\",\"page_size\":0}", "Invalid request body: page size must be greater than zero.");
        badFeed("{\"token\":\"" + token + "\",\"page_size\":16001}", "Invalid request body: page size can not be greater than 16000.");
        badFeed("{\"token\":\"" + token + "\",\"page_size\":\"10\"}", "Invalid request body: Unexpected string value '10'.");
        badFeed("{\"token\":\"" + token + "\"}", "Invalid header 'x-query-timeout-ms': Must be greater than 0.",
                "X-Query-Timeout-Ms: 0");
        badFeed("", "No request body provided");
    }

    @Test
    void streamsAndFeedsNeedTheSecret() {
        for (String path : new String[] {"/stream/1", "/feed/1"}) {
            String body = "{\"token\":\"" + token + "\"}";
            assertRefused(path, body, 401, "unauthorized", "Invalid token, unable to authenticate request",
                    "Authorization: Bearer wrong");
            HttpHarness.Response none = h.call("POST", path, body, "Authorization: ");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.errorMessage()).isEqualTo("Invalid token, unable to authenticate request");
            assertThat(none.headers().get("www-authenticate")).isNull();
            assertThat(h.call("GET", path, null).status()).isEqualTo(405);
        }
    }

    @Test
    void feedIgnoresUnknownFieldsAndAnswersAPage() {
        HttpHarness.Response r = h.call("POST", "/feed/1",
                "{\"token\":\"" + token + "\",\"page_size\":3,\"extra\":{\"a\":[1,2]},\"cursor\":null}",
                "X-Query-Timeout-Ms: 5000", "X-Format: simple");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(WireAssertions.fieldNames(body)).containsExactly("events", "cursor", "has_next", "stats");
        assertThat(body.get("cursor").asText()).isNotBlank();
        assertThat(body.get("has_next").isBoolean()).isTrue();
    }

    @Test
    void streamStartsWithHeadAndStatusAndClosingTheChannelClosesTheSubscription() throws Exception {
        int before = streams.dispatcher().subscriptionCount();
        // unknown fields (page_size is a feed field) are ignored; X-Format too: streams are always tagged
        h.send("POST", "/stream/1", "{\"token\":\"" + token + "\",\"page_size\":\"x\",\"foo\":[{}]}", "X-Format: simple");
        String out = readOutbound(Duration.ofSeconds(5), "\"type\":\"status\"");
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n");
        String head = out.substring(0, out.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).contains("content-type: application/json;charset=utf-8", "transfer-encoding: chunked");
        assertThat(head).doesNotContain("content-length");
        String firstChunk = out.substring(out.indexOf("\r\n\r\n") + 4);
        int sizeEnd = firstChunk.indexOf("\r\n");
        int size = Integer.parseInt(firstChunk.substring(0, sizeEnd), 16);
        String event = firstChunk.substring(sizeEnd + 2, sizeEnd + 2 + size);
        assertThat(event).endsWith("\r\n").startsWith("{\"type\":\"status\",\"txn_ts\":" + createdTs + ",");
        WireAssertions.assertEvent(WireAssertions.parse(event));
        assertThat(streams.dispatcher().subscriptionCount()).isEqualTo(before + 1);

        h.server.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (streams.dispatcher().subscriptionCount() > before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(streams.dispatcher().subscriptionCount()).as("subscription closed with the channel").isEqualTo(before);
    }

    /** Raw response bytes written so far, waiting until they contain {@code marker}. */
    private String readOutbound(Duration timeout, String marker) throws InterruptedException {
        StringBuilder sb = new StringBuilder();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!sb.toString().contains(marker) && System.nanoTime() < deadline) {
            h.server.runPendingTasks();
            Object o;
            while ((o = h.server.readOutbound()) != null) {
                ByteBuf b = (ByteBuf) o;
                sb.append(b.toString(StandardCharsets.UTF_8));
                b.release();
            }
            Thread.sleep(5);
        }
        return sb.toString();
    }
}
