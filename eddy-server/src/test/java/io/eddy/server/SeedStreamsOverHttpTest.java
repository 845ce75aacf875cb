package io.eddy.server;

import static io.eddy.server.testing.WireAssertions.assertEvent;
import static io.eddy.server.testing.WireAssertions.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.server.testing.StreamServer.OpenStream;
import io.eddy.server.testing.WireAssertions;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stream scenarios of the seed spec ("Track changes with Event Feeds and Event Streaming") over
 * real sockets with the JDK {@link HttpClient}, as the JVM driver sends them: over HTTP/1.1 and over
 * HTTP/2 reached by the h2c upgrade. Each test has its own {@code Product} collection, as the seed
 * defines it (index {@code byType}: terms {@code .type}, values {@code .name}, {@code .price}).
 *
 * <p>A stream's absence of an event is shown by a later write that does emit one arriving next, not
 * by waiting.
 */
@Timeout(120)
class SeedStreamsOverHttpTest extends OverHttpTestBase {
    private static final AtomicInteger collections = new AtomicInteger();


    /** One test's connection and collection. */
    private record Seed(Protocol protocol, HttpClient client, String product) {
        JsonNode query(String fql) {
            return s.query(client, fql.replace("Product", product));
        }

        String token(String fql) {
            return query(fql).get("data").get("@stream").asText();
        }

        /** A write; returns its commit time. */
        long write(String fql) {
            return query(fql).get("txn_ts").asLong();
        }

        OpenStream open(String token) throws Exception {
            OpenStream st = s.openStream(client, WireAssertions.JSON.createObjectNode().put("token", token).toString());
            HttpResponse<?> head = st.awaitHead();
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.version()).isEqualTo(version(protocol));
            JsonNode status = st.next();
            assertEvent(status);
            assertThat(status.get("type").asText()).isEqualTo("status");
            return st;
        }
    }

    private static Seed seed(Protocol p) {
        HttpClient c = client(p);
        String name = "Product" + collections.incrementAndGet();
        s.query(c, "Collection.create({ name: '" + name + "', indexes: { byType: { terms: [{ field: '.type' }],"
                + " values: [{ field: '.name' }, { field: '.price' }] } } })");
        return new Seed(p, c, name);
    }

    /** The next event: of {@code type}, from the write at {@code txnTs}. */
    private static JsonNode next(OpenStream st, String type, long txnTs) throws InterruptedException {
        JsonNode e = st.next();
        assertEvent(e);
        assertThat(e.get("type").asText()).as(e.toString()).isEqualTo(type);
        assertThat(e.get("txn_ts").asLong()).as("the event of the write at " + txnTs).isEqualTo(txnTs);
        return e;
    }

    private static JsonNode doc(JsonNode event) {
        return event.get("data").get("@doc");
    }

    private static int intField(JsonNode doc, String field) {
        return doc.get(field).get("@int").asInt();
    }

    private static final String MUSIC = "Product.byType('book').where(.name == \"Music as History\").first()!";

    /**
     * "Music as History": created, restocked, then priced at 110_00 (it leaves the set: a remove with
     * the version before), then changed again (nothing: it is no longer in the set).
     */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void musicAsHistoryLeavesTheFilteredSet(Protocol p) throws Exception {
        Seed seed = seed(p);
        String token = seed.token("Product.where( .type == 'book' && .price < 100_00).toStream()");
        try (OpenStream st = seed.open(token)) {
            long created = seed.write("Product.create({ name: \"Music as History\", type: \"book\", price: 16_89, stock: 20 })");
            JsonNode add = next(st, "add", created);
            assertThat(doc(add).get("name").asText()).isEqualTo("Music as History");
            long restocked = seed.write("let p = " + MUSIC + "\np.update({ stock: p.stock + 10 })");
            assertThat(intField(doc(next(st, "update", restocked)), "stock")).isEqualTo(30);
            long repriced = seed.write(MUSIC + ".update({ price: 110_00 })");
            JsonNode remove = next(st, "remove", repriced);
            assertThat(intField(doc(remove), "price")).as("remove carries the version before").isEqualTo(16_89);
            seed.write(MUSIC + ".update({ stock: 5 })");
            seed.write(MUSIC + ".update({ price: 120_00 })");
            long other = seed.write("Product.create({ name: 'Clean Code', type: 'book', price: 30_00 })");
            assertThat(doc(next(st, "add", other)).get("name").asText()).as("the later updates emitted nothing").isEqualTo("Clean Code");
        }
    }

    /** An index stream emits only when a covered field changes: a stock update emits nothing. */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anIndexStreamIgnoresTheStockUpdate(Protocol p) throws Exception {
        Seed seed = seed(p);
        String token = seed.token("Product.byType('book').where( .price < 100_00).toStream()");
        try (OpenStream st = seed.open(token)) {
            long created = seed.write("Product.create({ name: \"Music as History\", type: \"book\", price: 16_89, stock: 20 })");
            next(st, "add", created);
            seed.write("let p = " + MUSIC + "\n\np.update({ stock: p.stock - 1 })");
            long repriced = seed.write(MUSIC + ".update({ price: 17_00 })");
            JsonNode update = next(st, "update", repriced);
            assertThat(intField(doc(update), "price")).isEqualTo(17_00);
            assertThat(intField(doc(update), "stock")).as("the stock update is in the document, without its own event").isEqualTo(19);
        }
    }

    /** {@code changesOn(.price)}: only price changes (and creates and deletes that have a price). */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void changesOnPrice(Protocol p) throws Exception {
        Seed seed = seed(p);
        String token = seed.token("Product.byType('electronics').changesOn(.price)");
        String tv = "Product.byType('electronics').where(.name == 'TV').first()!";
        try (OpenStream st = seed.open(token)) {
            long created = seed.write("Product.create({ name: 'TV', type: 'electronics', price: 500_00, stock: 3 })");
            next(st, "add", created);
            seed.write(tv + ".update({ stock: 2 })");
            seed.write("Product.create({ name: 'Cable', type: 'electronics' })"); // no price: not an event
            long cheaper = seed.write(tv + ".update({ price: 450_00 })");
            assertThat(intField(doc(next(st, "update", cheaper)), "price")).isEqualTo(450_00);
            seed.write("Product.create({ name: 'Lamp', type: 'home', price: 20_00 })");
            long deleted = seed.write(tv + ".delete()");
            next(st, "remove", deleted);
        }
    }

    /** {@code Set.single(Product.byId(..))}: the one document's updates and its removal, nobody else's. */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aSingleDocument(Protocol p) throws Exception {
        Seed seed = seed(p);
        String id = doc(seed.query("Product.create({ name: 'In the cart', type: 'book', price: 10_00, stock: 9 })"))
                .get("id").asText();
        seed.write("Product.create({ name: 'Elsewhere', type: 'book', price: 11_00, stock: 9 })");
        String token = seed.token("Set.single(Product.byId(\"" + id + "\")).toStream()");
        try (OpenStream st = seed.open(token)) {
            long bought = seed.write("Product.all().forEach(p => p.update({ stock: p.stock - 1 }))");
            JsonNode update = next(st, "update", bought);
            assertThat(doc(update).get("id").asText()).isEqualTo(id);
            assertThat(intField(doc(update), "stock")).isEqualTo(8);
            seed.write("Product.byType('book').where(.name == 'Elsewhere').first()!.delete()");
            long gone = seed.write("Product.byId(\"" + id + "\")!.delete()");
            assertThat(doc(next(st, "remove", gone)).get("id").asText()).isEqualTo(id);
        }
    }

    /** A projection: events carry only {@code name} and {@code price}. */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aProjectionOfNameAndPrice(Protocol p) throws Exception {
        Seed seed = seed(p);
        String token = seed.token("Product.byType('book').where( .price < 100_00).toStream(){name, price}");
        try (OpenStream st = seed.open(token)) {
            long created = seed.write("Product.create({ name: 'The Fraud', type: 'book', price: 80_00, stock: 50 })");
            JsonNode add = next(st, "add", created);
            assertThat(fieldNames(add.get("data"))).containsExactly("name", "price");
            assertThat(add.get("data").toString()).isEqualTo("{\"name\":\"The Fraud\",\"price\":{\"@int\":\"8000\"}}");
            long repriced = seed.write("Product.byType('book').first()!.update({ price: 70_00 })");
            assertThat(next(st, "update", repriced).get("data").toString())
                    .isEqualTo("{\"name\":\"The Fraud\",\"price\":{\"@int\":\"7000\"}}");
        }
    }

    /**
     * Stream snapshots: one query returns the set's first page and a token; the client pages through
     * the set, then streams from the token. Every change after the query arrives exactly once (those
     * made while paging, replayed; later ones, live), none before it, and the snapshot with the events
     * applied is the set as it is now.
     */
    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aSnapshotThenTheStreamSeeEveryLaterChangeExactlyOnce(Protocol p) throws Exception {
        Seed seed = seed(p);
        seed.write("Set.sequence(0, 20).forEach(i => Product.create({ name: 'b' + i.toString(), type: 'book', price: 10_00 + i }))");
        seed.write("Product.create({ name: 'pricey', type: 'book', price: 200_00 })");
        seed.write("Product.create({ name: 'toy', type: 'toy', price: 5_00 })");
        JsonNode response = seed.query("""
                let products = Product.where( .type == 'book' && .price < 100_00)
                {
                  products: products,
                  streamToken: products.toStream()
                }""");
        long snapshotTs = response.get("txn_ts").asLong();
        JsonNode data = response.get("data");
        String token = data.get("streamToken").get("@stream").asText();
        Map<String, Integer> view = new LinkedHashMap<>();
        JsonNode page = data.get("products").get("@set");

        // Changes while the client pages.
        long w1 = seed.write("Product.create({ name: 'new book', type: 'book', price: 9_00 })");
        int pages = 0;
        while (true) {
            pages++;
            for (JsonNode d : page.get("data")) view.put(d.get("@doc").get("id").asText(), intField(d.get("@doc"), "price"));
            if (page.get("after") == null || page.get("after").isNull()) break;
            page = seed.query("Set.paginate(\"" + page.get("after").asText() + "\")").get("data");
        }
        assertThat(pages).isEqualTo(2);
        long w2 = seed.write("Product.byType('book').where(.name == 'b3').first()!.update({ price: 150_00 })");
        long w3 = seed.write("Product.byType('book').where(.name == 'b4').first()!.delete()");
        long w4 = seed.write("Product.byType('book').where(.name == 'b5').first()!.update({ price: 20_00 })");
        seed.write("Product.create({ name: 'another toy', type: 'toy', price: 1_00 })");

        List<JsonNode> events = new ArrayList<>();
        try (OpenStream st = seed.open(token)) {
            events.add(next(st, "add", w1));
            events.add(next(st, "remove", w2));
            events.add(next(st, "remove", w3));
            events.add(next(st, "update", w4));
            long w5 = seed.write("Product.create({ name: 'live book', type: 'book', price: 8_00 })"); // live
            events.add(next(st, "add", w5));
            long w6 = seed.write("Product.byType('book').where(.name == 'pricey').first()!.update({ price: 90_00 })");
            events.add(next(st, "add", w6)); // enters the set
            assertThat(st.drain(Duration.ofMillis(300))).as("nothing more").isEmpty();
        }
        assertThat(events).allSatisfy(e -> assertThat(e.get("txn_ts").asLong()).isGreaterThan(snapshotTs));

        for (JsonNode e : events) {
            JsonNode d = doc(e);
            if (e.get("type").asText().equals("remove")) {
                view.remove(d.get("id").asText());
            } else {
                view.put(d.get("id").asText(), intField(d, "price"));
            }
        }
        Map<String, Integer> now = new LinkedHashMap<>();
        for (JsonNode d : seed.query("Product.where( .type == 'book' && .price < 100_00).toArray()").get("data")) {
            now.put(d.get("@doc").get("id").asText(), intField(d.get("@doc"), "price"));
        }
        assertThat(view).isEqualTo(now);
        assertThat(now).hasSize(20 + 1 - 2 + 2);
    }
}
