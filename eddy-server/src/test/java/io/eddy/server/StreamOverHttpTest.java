package io.eddy.server;

import static io.eddy.server.testing.WireAssertions.assertEvent;
import static io.eddy.server.testing.WireAssertions.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eddy.server.testing.StreamServer;
import io.eddy.server.testing.StreamServer.OpenStream;
import io.eddy.server.testing.WireAssertions;
import io.eddy.stream.StreamConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Streams and feeds over real sockets against a real store, driven by the JDK {@link HttpClient} the
 * way fauna-jvm drives them: over plain HTTP/1.1, and over HTTP/2 reached through the h2c upgrade
 * (the JDK's default over {@code http://}). Writes go through {@code /query/1}.
 */
@Timeout(120)
class StreamOverHttpTest extends OverHttpTestBase {
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final AtomicInteger collections = new AtomicInteger();


    /** A fresh collection per test, so tests sharing the server do not see each other's events. */
    private static String collection(HttpClient c) {
        String name = "Coll" + collections.incrementAndGet();
        s.query(c, "Collection.create({ name: '" + name + "' })");
        return name;
    }

    private static String body(String token, String field, Object value) {
        ObjectNode n = WireAssertions.JSON.createObjectNode().put("token", token);
        if (value instanceof String str) {
            n.put(field, str);
        } else if (value instanceof Long l) {
            n.put(field, l);
        }
        return n.toString();
    }

    private static OpenStream open(Protocol p, String json) throws Exception {
        OpenStream st = s.openStream(client(p), json);
        HttpResponse<?> head = st.awaitHead();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.version()).isEqualTo(version(p));
        assertThat(head.headers().firstValue("content-type")).hasValue("application/json;charset=utf-8");
        return st;
    }

    private static void awaitSubscriptions(IntSupplier count, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count.getAsInt() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(count.getAsInt()).as("open subscriptions").isEqualTo(expected);
    }

    private static JsonNode doc(JsonNode event) {
        return event.get("data").get("@doc");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void statusFirstThenWritesArriveAsAddUpdateRemoveInOrder(Protocol p) throws Exception {
        HttpClient c = client(p);
        String coll = collection(c);
        JsonNode created = s.query(c, coll + ".all().toStream()");
        String token = created.get("data").get("@stream").asText();
        int before = s.streams.dispatcher().subscriptionCount();
        try (OpenStream st = open(p, body(token, null, null))) {
            JsonNode status = st.next();
            assertEvent(status);
            assertThat(status.get("type").asText()).isEqualTo("status");
            assertThat(status.get("txn_ts").asLong()).as("a fresh token starts at its creation").isEqualTo(created.get("txn_ts").asLong());

            JsonNode w1 = s.query(c, coll + ".create({ name: 'a', n: 1 })");
            String id = w1.get("data").get("@doc").get("id").asText();
            JsonNode add = st.next();
            JsonNode w2 = s.query(c, coll + ".byId('" + id + "')!.update({ n: 2 })");
            JsonNode update = st.next();
            JsonNode w3 = s.query(c, coll + ".byId('" + id + "')!.delete()");
            JsonNode remove = st.next();

            List<JsonNode> events = List.of(add, update, remove);
            List<JsonNode> writes = List.of(w1, w2, w3);
            List<String> types = List.of("add", "update", "remove");
            Set<String> cursors = new HashSet<>(List.of(status.get("cursor").asText()));
            for (int i = 0; i < 3; i++) {
                JsonNode e = events.get(i);
                assertEvent(e);
                assertThat(e.get("type").asText()).isEqualTo(types.get(i));
                assertThat(e.get("txn_ts").asLong()).as("txn_ts is the write's").isEqualTo(writes.get(i).get("txn_ts").asLong());
                assertThat(cursors.add(e.get("cursor").asText())).as("cursors are distinct").isTrue();
                assertThat(doc(e).get("id").asText()).isEqualTo(id);
                // What the event cost: the document read from the log and at least one compute op.
                JsonNode stats = e.get("stats");
                assertThat(stats.get("read_ops").asLong()).isEqualTo(1);
                assertThat(stats.get("storage_bytes_read").asLong()).isGreaterThan(10);
                assertThat(stats.get("compute_ops").asLong()).isEqualTo(1);
            }
            assertThat(status.get("stats").get("read_ops").asLong()).isZero();
            assertThat(doc(add).get("n").toString()).isEqualTo("{\"@int\":\"1\"}");
            assertThat(doc(update).get("n").toString()).isEqualTo("{\"@int\":\"2\"}");
            assertThat(doc(remove).get("n").toString()).as("remove carries the version before").isEqualTo("{\"@int\":\"2\"}");
            // Each event came in its own delivery: what fauna-jvm needs (it parses one event per delivery).
            assertThat(st.deliveries).hasSize(4).allSatisfy(d -> assertThat(d.split("\n", -1)).hasSize(2));
            assertThat(st.drain(QUIET)).isEmpty();
            assertThat(s.streams.dispatcher().subscriptionCount()).isEqualTo(before + 1);
        }
        awaitSubscriptions(() -> s.streams.dispatcher().subscriptionCount(), before);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void clientsOtherThanTheJvmDriverGetBurstsBatchedIntoFewerWrites(Protocol p) throws Exception {
        HttpClient c = client(p);
        String coll = collection(c);
        String token = s.token(c, coll + ".all().toStream()");
        s.query(c, "Set.sequence(0, 500).forEach(i => " + coll + ".create({ n: i }))");
        HttpRequest jsLike = HttpRequest.newBuilder(s.uri("/stream/1"))
                .header("Authorization", "Bearer " + StreamServer.SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body(token, null, null))).build();
        try (OpenStream st = s.openStream(c, jsLike, Long.MAX_VALUE)) {
            List<JsonNode> events = st.drain(QUIET);
            assertThat(events).hasSize(501);
            for (int i = 0; i < 500; i++) assertThat(doc(events.get(i + 1)).get("n").get("@int").asInt()).isEqualTo(i);
            assertThat(st.deliveries.size()).as("500 replayed events arrive in batches").isLessThan(501);
        }
    }

    @Test
    void jvmDriverStreamsSharingAConnectionGetEveryEventOfABurstInItsOwnDelivery() throws Exception {
        // The three streams share one HTTP/2 connection and so its write rounds and flushes; a burst of
        // live events must still reach each stream one event per delivery (one DATA frame each), all
        // of them. (Over HTTP/1.1 the JDK client hands over whatever one socket read holds, so a burst
        // can arrive in fewer deliveries however the server writes it; the JVM driver uses HTTP/2.)
        Protocol p = Protocol.HTTP_2;
        HttpClient c = client(p);
        String coll = collection(c);
        String token = s.token(c, coll + ".all().toStream()");
        List<OpenStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                OpenStream st = open(p, body(token, null, null));
                assertThat(st.next().get("type").asText()).isEqualTo("status");
                streams.add(st);
            }
            s.query(c, "Set.sequence(0, 200).forEach(i => " + coll + ".create({ n: i }))");
            for (OpenStream st : streams) {
                List<JsonNode> events = st.drain(QUIET);
                assertThat(events).hasSize(200);
                for (int i = 0; i < 200; i++) assertThat(doc(events.get(i)).get("n").get("@int").asInt()).isEqualTo(i);
                assertThat(st.deliveries).hasSize(201).allSatisfy(d -> assertThat(d.split("\n", -1)).hasSize(2));
            }
        } finally {
            streams.forEach(OpenStream::close);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void replayThenResumeFromACursorGivesExactlyTheRest(Protocol p) throws Exception {
        HttpClient c = client(p);
        String coll = collection(c);
        String token = s.token(c, coll + ".all().toStream()");
        s.query(c, "Set.sequence(0, 6).forEach(i => " + coll + ".create({ n: i }))");
        List<JsonNode> first;
        try (OpenStream st = open(p, body(token, null, null))) {
            first = st.drain(QUIET);
        }
        assertThat(first).hasSize(7);
        assertThat(first.getFirst().get("type").asText()).isEqualTo("status");
        for (int i = 0; i < 6; i++) {
            assertEvent(first.get(i + 1));
            assertThat(doc(first.get(i + 1)).get("n").get("@int").asInt()).isEqualTo(i);
        }
        String cursor = first.get(3).get("cursor").asText(); // the add of n=2
        try (OpenStream st = open(p, body(token, "cursor", cursor))) {
            JsonNode status = st.next();
            assertThat(status.get("type").asText()).isEqualTo("status");
            assertThat(status.get("cursor").asText()).as("status names the resume position").isEqualTo(cursor);
            List<JsonNode> rest = st.drain(QUIET);
            assertThat(rest).extracting(e -> doc(e).get("n").get("@int").asInt()).containsExactly(3, 4, 5);
            s.query(c, coll + ".create({ n: 6 })");
            assertThat(doc(st.next()).get("n").get("@int").asInt()).isEqualTo(6);
        }
        // start_ts: only transactions after it
        long ts = s.query(c, coll + ".create({ n: 7 })").get("txn_ts").asLong();
        s.query(c, coll + ".create({ n: 8 })");
        try (OpenStream st = open(p, body(token, "start_ts", ts))) {
            List<JsonNode> events = st.drain(QUIET);
            assertThat(events.getFirst().get("type").asText()).isEqualTo("status");
            assertThat(events.getFirst().get("txn_ts").asLong()).isEqualTo(ts);
            assertThat(events.subList(1, events.size())).extracting(e -> doc(e).get("n").get("@int").asInt()).containsExactly(8);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anAbortInTheProjectionEndsTheStreamWithAnErrorEvent(Protocol p) throws Exception {
        HttpClient c = client(p);
        String coll = collection(c);
        String token = s.token(c, coll + ".all().map(d => if (d.n > 10) abort('too big') else d.n).toStream()");
        try (OpenStream st = open(p, body(token, null, null))) {
            assertThat(st.next().get("type").asText()).isEqualTo("status");
            s.query(c, coll + ".create({ n: 1 })");
            JsonNode add = st.next();
            assertEvent(add);
            assertThat(add.get("data").toString()).isEqualTo("{\"@int\":\"1\"}");
            s.query(c, coll + ".create({ n: 20 })");
            JsonNode error = st.next();
            assertEvent(error);
            assertThat(error.get("type").asText()).isEqualTo("error");
            assertThat(error.get("error").get("code").asText()).isEqualTo("abort");
            assertThat(error.get("error").get("abort").asText()).isEqualTo("too big");
            st.completed().get(10, TimeUnit.SECONDS); // the response ends after the error event
            assertThat(st.drain(Duration.ofMillis(50))).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void feedsPageAtTheDefaultSizeAndAnEmptyFeedRollsItsCursorForward(Protocol p) throws Exception {
        HttpClient c = client(p);
        String coll = collection(c);
        String token = s.token(c, coll + ".all().toStream()");
        s.query(c, "Set.sequence(0, 50).forEach(i => " + coll + ".create({ n: i }))");
        List<Integer> sizes = new ArrayList<>();
        List<Boolean> hasNext = new ArrayList<>();
        List<Integer> ns = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = feed(p, body(token, "cursor", cursor));
            sizes.add(page.get("events").size());
            long eventReads = 0;
            for (JsonNode e : page.get("events")) eventReads += e.get("stats").get("read_ops").asLong();
            assertThat(page.get("stats").get("read_ops").asLong()).as("a page's stats sum its events'")
                    .isEqualTo(eventReads).isEqualTo(page.get("events").size());
            hasNext.add(page.get("has_next").asBoolean());
            page.get("events").forEach(e -> {
                assertEvent(e);
                ns.add(doc(e).get("n").get("@int").asInt());
            });
            cursor = page.get("cursor").asText();
        } while (hasNext.getLast());
        assertThat(sizes).containsExactly(16, 16, 16, 2);
        assertThat(hasNext).containsExactly(true, true, true, false);
        assertThat(ns).hasSize(50).isSorted().doesNotHaveDuplicates();

        String empty = s.token(c, coll + ".where(.n > 1000).toStream()");
        JsonNode none = feed(p, body(empty, null, null));
        assertThat(none.get("events")).isEmpty();
        assertThat(none.get("has_next").asBoolean()).isFalse();
        String rolled = none.get("cursor").asText();
        assertThat(rolled).isNotBlank();
        s.query(c, coll + ".create({ n: 1001 })");
        JsonNode later = feed(p, body(empty, "cursor", rolled));
        assertThat(later.get("events")).hasSize(1);
        assertThat(doc(later.get("events").get(0)).get("n").get("@int").asInt()).isEqualTo(1001);
        assertThat(later.get("has_next").asBoolean()).isFalse();
        assertThat(feed(p, body(empty, "cursor", later.get("cursor").asText())).get("events")).isEmpty();
    }

    /**
     * A page of several chunks is sent while it is read (chunked over HTTP/1.1, with no length), and is
     * still one whole JSON object: the events in order, the cursor chain continuing on the next page.
     */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void largePagesAreSentWhileTheyAreReadAndStayWholePages(Protocol p) throws Exception {
        HttpClient c = client(p);
        String coll = collection(c);
        String token = s.token(c, coll + ".all().toStream()");
        for (int from = 0; from < 2_600; from += 1_300) {
            s.query(c, "Set.sequence(" + from + ", " + (from + 1_300) + ").forEach(i => " + coll
                    + ".create({ n: i, pad: 'x'.concat('" + "y".repeat(100) + "'), quote: 'say \"hi\"' }))");
        }
        List<Integer> ns = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        boolean more;
        do {
            String json = "{\"token\":\"" + token + "\",\"page_size\":2000" + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"") + "}";
            HttpResponse<String> r = StreamServer.send(c, s.post("/feed/1", json).header("X-Query-Timeout-Ms", "30000").build());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            if (p == Protocol.HTTP_1_1 && sizes.isEmpty() && Runtime.getRuntime().availableProcessors() > 1) {
                assertThat(r.headers().firstValue("transfer-encoding")).as("sent in pieces").hasValue("chunked");
                assertThat(r.headers().firstValue("content-length")).isEmpty();
            }
            JsonNode page = WireAssertions.parse(r.body());
            assertThat(fieldNames(page)).containsExactly("events", "cursor", "has_next", "stats");
            assertThat(page.get("stats").get("read_ops").asLong()).isEqualTo(page.get("events").size());
            sizes.add(page.get("events").size());
            for (JsonNode e : page.get("events")) {
                assertEvent(e);
                assertThat(doc(e).get("quote").asText()).isEqualTo("say \"hi\"");
                ns.add(doc(e).get("n").get("@int").asInt());
            }
            cursor = page.get("cursor").asText();
            more = page.get("has_next").asBoolean();
        } while (more);
        assertThat(sizes).containsExactly(2_000, 600);
        assertThat(ns).hasSize(2_600).isSorted().doesNotHaveDuplicates();
        assertThat(ns.getFirst()).isZero();
    }

    private static JsonNode feed(Protocol p, String json) {
        HttpResponse<String> r = StreamServer.send(client(p),
                s.post("/feed/1", json).header("X-Query-Timeout-Ms", "5000").build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(version(p));
        JsonNode page = WireAssertions.parse(r.body());
        assertThat(fieldNames(page)).containsExactly("events", "cursor", "has_next", "stats");
        assertThat(fieldNames(page.get("stats"))).containsExactlyElementsOf(WireAssertions.EVENT_STATS_FIELDS);
        return page;
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void refusalsBeforeTheStreamStartAreJsonErrors(Protocol p) {
        HttpResponse<String> r = StreamServer.send(client(p), s.post("/stream/1", "{\"token\":\"nope\"}").build());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(WireAssertions.parse(r.body()).get("error").get("message").asText())
                .isEqualTo("Invalid request body: invalid event source provided");
        HttpResponse<String> unauth = StreamServer.send(client(p), s.post("/stream/1", "{\"token\":\"nope\"}")
                .setHeader("Authorization", "Bearer nope").build());
        assertThat(unauth.statusCode()).isEqualTo(401);
        assertThat(WireAssertions.parse(unauth.body()).get("error").get("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void aStreamCanBeTheH2cUpgradeRequestItself() throws Exception {
        String coll = collection(http1);
        String token = s.token(http1, coll + ".all().toStream()");
        try (HttpClient fresh = HttpClient.newHttpClient();
             OpenStream st = s.openStream(fresh, body(token, null, null))) {
            assertThat(st.awaitHead().version()).as("upgraded by the stream request").isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(st.next().get("type").asText()).isEqualTo("status");
            s.query(http1, coll + ".create({ n: 1 })");
            JsonNode add = st.next();
            assertEvent(add);
            assertThat(doc(add).get("n").get("@int").asInt()).isEqualTo(1);
        }
    }

    @Test
    void closingTheServerEndsOpenStreamsWithoutWaitingOutTheGracePeriod(@TempDir Path own) throws Exception {
        StreamServer server = new StreamServer(own, StreamConfig.defaults(),
                cfg -> cfg.withShutdownGracePeriod(Duration.ofSeconds(20)));
        try (HttpClient c1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             HttpClient c2 = HttpClient.newHttpClient()) {
            server.query(c1, "Collection.create({ name: 'Item' })");
            String token = server.token(c1, "Item.all().toStream()");
            OpenStream a = server.openStream(c1, body(token, null, null));
            OpenStream b = server.openStream(c2, body(token, null, null));
            assertThat(a.next().get("type").asText()).isEqualTo("status");
            assertThat(b.next().get("type").asText()).isEqualTo("status");
            assertThat(b.awaitHead().version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(server.streams.dispatcher().subscriptionCount()).isEqualTo(2);
            long t0 = System.nanoTime();
            server.server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            // a clean end: the clients may reconnect elsewhere from their last cursor
            a.completed().get(5, TimeUnit.SECONDS);
            b.completed().get(5, TimeUnit.SECONDS);
            awaitSubscriptions(() -> server.streams.dispatcher().subscriptionCount(), 0);
        } finally {
            server.close();
        }
    }
}
