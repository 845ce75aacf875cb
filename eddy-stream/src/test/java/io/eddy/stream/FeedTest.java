package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventType;
import io.eddy.stream.feed.FeedPage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event derivation through feeds: the seed's walk-throughs. */
class FeedTest {
    @TempDir Path dir;
    StreamFixture f;

    @BeforeEach void open() {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Product', indexes: { byType: { terms: [{ field: '.type' }], values: [{ field: '.name' }, { field: '.price' }] } } })");
    }

    @AfterEach void close() { f.close(); }

    private List<Event> all(String token) throws Exception {
        List<Event> out = new ArrayList<>();
        EventStreams.Opened o = f.streams.open(token, null, null, false);
        String cursor = null;
        while (true) {
            EventStreams.Opened at = cursor == null ? o : f.streams.open(token, cursor, null, false);
            FeedPage p = f.streams.feed(at, 2, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            out.addAll(p.events());
            cursor = p.cursor();
            if (!p.hasNext()) return out;
        }
    }

    private static List<EventType> types(List<Event> events) {
        return events.stream().map(Event::type).toList();
    }

    /**
     * A page read in chunks (handed to a renderer as it is read) is the page read in one go: same
     * events, cursor and has_next, with the chunks in order, whole, and within the page; across page
     * sizes, chunk sizes, a filter that skips records and an error event that ends a page.
     */
    /** Events without their stats (whose processing time is measured, so may differ between reads). */
    private static List<Event> costless(List<Event> events) {
        return events.stream().map(e -> e.withStats(io.eddy.stream.event.EventStats.ZERO)).toList();
    }

    @Test void chunkedPagesAreThePagesReadInOneGo() throws Exception {
        String token = f.token("Product.where(.price != 13).map(p => if (p.price == 999) abort('bad') else p.price).toStream()");
        f.ok("Set.sequence(0, 40).forEach(i => Product.create({ name: 'p' + i.toString(), price: if (i % 7 == 0) 13 else i }))");
        f.ok("Product.create({ name: 'bad', price: 999 })");
        f.ok("Set.sequence(0, 5).forEach(i => Product.create({ name: 'q' + i.toString(), price: i }))");
        for (int pageSize : new int[] {1, 5, 16, 100}) {
            for (int chunk : new int[] {1, 3, 4, 1000}) {
              for (int first : new int[] {chunk, 2}) {
                String cursor = null;
                while (true) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    FeedPage whole = f.streams.feed(f.streams.open(token, cursor, null, false), pageSize, deadline);
                    List<Event> handed = new ArrayList<>();
                    List<Integer> chunkSizes = new ArrayList<>();
                    FeedPage chunked = f.streams.feed(f.streams.open(token, cursor, null, false), pageSize, deadline, first,
                            chunk, c -> { handed.addAll(c); chunkSizes.add(c.size()); });
                    String at = "page " + pageSize + ", chunk " + chunk + " (first " + first + "), cursor " + cursor;
                    assertThat(costless(chunked.events())).as(at).isEqualTo(costless(whole.events()));
                    assertThat(chunked.cursor()).as(at).isEqualTo(whole.cursor());
                    assertThat(chunked.hasNext()).as(at).isEqualTo(whole.hasNext());
                    assertThat(costless(handed)).as(at).isEqualTo(costless(whole.events()));
                    if (!chunkSizes.isEmpty()) assertThat(chunkSizes.getFirst()).as(at).isBetween(1, first);
                    assertThat(chunkSizes).as(at).allSatisfy(n -> assertThat(n).isBetween(1, Math.max(first, chunk)));
                    cursor = whole.cursor();
                    if (!whole.hasNext()) break;
                }
              }
            }
        }
    }

    @Test void filteredCollectionStreamFollowsTheSeedWalkThrough() throws Exception {
        String token = f.token("Product.where(.type == 'book' && .price < 100_00).toStream()");
        f.ok("Product.create({ name: 'Music as History', type: 'book', price: 16_89, stock: 20 })");
        f.ok("let p = Product.byType('book').where(.name == 'Music as History').first()!\np.update({ stock: p.stock + 10 })");
        f.ok("Product.byType('book').where(.name == 'Music as History').first()!.update({ price: 110_00 })");
        f.ok("Product.byType('book').where(.name == 'Music as History').first()!.update({ stock: 1 })");
        f.ok("Product.create({ name: 'Toy', type: 'toy', price: 5 })");
        List<Event> events = all(token);
        assertThat(types(events)).containsExactly(EventType.ADD, EventType.UPDATE, EventType.REMOVE);
        assertThat(((DocumentValue) events.get(1).data()).data().get("stock")).isEqualTo(new IntValue(30));
        // remove carries the version before the change
        assertThat(((DocumentValue) events.get(2).data()).data().get("price")).isEqualTo(new IntValue(1689));
    }

    @Test void indexStreamIgnoresUncoveredFieldsAndProjects() throws Exception {
        String token = f.token("Product.byType('book').where(.price < 100_00).toStream() { name, price }");
        f.ok("Product.create({ name: 'The Fraud', type: 'book', price: 23_00, stock: 55 })");
        f.ok("Product.byType('book').first()!.update({ stock: 54 })");
        f.ok("Product.byType('book').first()!.update({ price: 24_00 })");
        f.ok("Product.byType('book').first()!.delete()");
        List<Event> events = all(token);
        assertThat(types(events)).containsExactly(EventType.ADD, EventType.UPDATE, EventType.REMOVE);
        assertThat(events.get(0).data()).isInstanceOf(ObjectValue.class);
        assertThat(((ObjectValue) events.get(0).data()).fields().keySet()).containsExactly("name", "price");
    }

    @Test void changesOnEmitsOnlyWhenAWatchedFieldChanges() throws Exception {
        f.ok("Product.create({ name: 'TV', type: 'electronics', price: 500 })");
        String token = f.token("Product.byType('electronics').changesOn(.price)");
        f.ok("Product.byType('electronics').first()!.update({ name: 'Big TV' })");
        f.ok("Product.byType('electronics').first()!.update({ price: 450 })");
        assertThat(types(all(token))).containsExactly(EventType.UPDATE);
    }

    /**
     * A watched field may step into an array ({@code .baz[0]}): an update of that element emits, one of
     * another element does not; a document created or deleted without the element emits nothing.
     */
    @Test void changesOnComparesArrayElementsAtTheirPosition() throws Exception {
        String id = ((DocumentValue) f.ok("Product.create({ name: 'A', baz: [1, 2] })")).id();
        String token = f.token("Product.all().changesOn(.baz[0])");
        f.ok("Product.byId('" + id + "')!.update({ baz: [1, 3] })");  // baz[1]: no event
        f.ok("Product.byId('" + id + "')!.update({ baz: [7, 3] })");  // baz[0]: update
        f.ok("Product.byId('" + id + "')!.update({ name: 'B' })");    // not watched: no event
        f.ok("Product.create({ name: 'C', baz: [] })");               // no baz[0]: no event
        f.ok("Product.create({ name: 'D', baz: [0] })");              // has baz[0]: add
        f.ok("Product.byId('" + id + "')!.update({ baz: [7.0, 3] })"); // 7 to 7.0 is a change of type
        List<Event> events = all(token);
        assertThat(types(events)).containsExactly(EventType.UPDATE, EventType.ADD, EventType.UPDATE);
        assertThat(((DocumentValue) events.get(0).data()).data().get("baz")).isEqualTo(ArrayValue.of(new IntValue(7), new IntValue(3)));
        assertThat(((DocumentValue) events.get(1).data()).data().get("name")).isEqualTo(new StringValue("D"));
    }

    /** {@code changesOn()} without fields watches every field, as {@code toStream()} does. */
    @Test void changesOnWithoutFieldsIsEveryChange() throws Exception {
        String watching = f.token("Product.all().changesOn()");
        String streaming = f.token("Product.all().toStream()");
        f.ok("Product.create({ name: 'A', price: 1 })");
        f.ok("Product.all().first()!.update({ stock: 2 })");
        f.ok("Product.all().first()!.delete()");
        assertThat(types(all(watching))).containsExactly(EventType.ADD, EventType.UPDATE, EventType.REMOVE)
                .isEqualTo(types(all(streaming)));
    }

    @Test void singleDocumentStream() throws Exception {
        String id = ((DocumentValue) f.ok("Product.create({ name: 'A', type: 'x', price: 1 })")).id();
        f.ok("Product.create({ name: 'B', type: 'x', price: 2 })");
        String token = f.token("Set.single(Product.byId('" + id + "')).toStream()");
        f.ok("Product.all().forEach(p => p.update({ price: p.price + 1 }))");
        f.ok("Product.byId('" + id + "')!.delete()");
        assertThat(types(all(token))).containsExactly(EventType.UPDATE, EventType.REMOVE);
    }

    @Test void evaluationErrorsBecomeErrorEventsAndFeedsResumeAfterThem() throws Exception {
        String token = f.token("Product.all().map(p => if (p.price > 10) abort('too pricey') else p.price).toStream()");
        f.ok("Product.create({ name: 'A', type: 'x', price: 1 })");
        f.ok("Product.create({ name: 'B', type: 'x', price: 20 })");
        f.ok("Product.create({ name: 'C', type: 'x', price: 3 })");
        EventStreams.Opened o = f.streams.open(token, null, null, false);
        FeedPage p = f.streams.feed(o, 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(types(p.events())).containsExactly(EventType.ADD, EventType.ERROR);
        assertThat(p.events().get(1).error().code()).isEqualTo("abort");
        FeedPage next = f.streams.feed(f.streams.open(token, p.cursor(), null, false), 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(types(next.events())).containsExactly(EventType.ADD);
        assertThat(next.events().get(0).data()).isEqualTo(new IntValue(3));
    }

    @Test void anErrorAtTheEndOfHistoryHasNoNext() throws Exception {
        String token = f.token("Product.all().map(p => abort('no')).toStream()");
        f.ok("Product.create({ name: 'A', type: 'x', price: 1 })");
        FeedPage p = f.streams.feed(f.streams.open(token, null, null, false), 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(types(p.events())).containsExactly(EventType.ERROR);
        assertThat(p.hasNext()).isFalse();
    }

    @Test void aFeedReadsItsCollectionAmongTheOthersPageByPage() throws Exception {
        // Three records examined per read of the log: pages end inside runs of other collections' records.
        f.close();
        f = new StreamFixture(dir, new StreamConfig(1024, 1024, java.time.Duration.ofMinutes(5), 0, 3));
        f.ok("Collection.create({ name: 'Other' })");
        f.ok("Collection.create({ name: 'Products' })"); // a name that Product is a prefix of
        String token = f.token("Product.all().toStream()");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i % 7 == 0) {
                f.ok("Product.create({ name: 'P" + i + "', type: 'x', price: " + i + " })");
                expected.add("P" + i);
            } else {
                f.ok((i % 2 == 0 ? "Other" : "Products") + ".create({ name: 'Q" + i + "' })");
            }
        }
        List<Event> events = all(token); // pages of 2 events, each resumed from the last cursor
        assertThat(types(events)).containsOnly(EventType.ADD);
        assertThat(events.stream().map(e -> ((DocumentValue) e.data()).data().get("name").toString()).toList())
                .containsExactlyElementsOf(expected.stream().map(n -> new io.eddy.core.value.StringValue(n).toString()).toList());
        // History of other collections only: an empty page whose cursor is past it.
        String later = f.token("Product.all().toStream()");
        for (int i = 0; i < 10; i++) f.ok("Other.create({ name: 'R" + i + "' })");
        FeedPage empty = f.streams.feed(f.streams.open(later, null, null, false), 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(empty.events()).isEmpty();
        assertThat(empty.hasNext()).isFalse();
        f.ok("Product.create({ name: 'last', type: 'x', price: 1 })");
        FeedPage next = f.streams.feed(f.streams.open(later, empty.cursor(), null, false), 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(types(next.events())).containsExactly(EventType.ADD);
    }

    @Test void emptyPageRollsTheCursorForward() throws Exception {
        String token = f.token("Product.all().toStream()");
        FeedPage empty = f.streams.feed(f.streams.open(token, null, null, false), 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(empty.events()).isEmpty();
        assertThat(empty.hasNext()).isFalse();
        f.ok("Product.create({ name: 'A', type: 'x', price: 1 })");
        FeedPage later = f.streams.feed(f.streams.open(token, empty.cursor(), null, false), 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        assertThat(types(later.events())).containsExactly(EventType.ADD);
    }

    @Test void badTokensAndCursorsAreRejected() throws Exception {
        assertThatThrownBy(() -> f.streams.open("nope", null, null, false)).isInstanceOf(StreamRequestException.class)
                .hasMessage("Invalid request body: invalid event source provided.");
        String token = f.token("Product.all().toStream()");
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        assertThatThrownBy(() -> f.streams.open(tampered, null, null, false)).isInstanceOf(StreamRequestException.class);
        // The last character's unused low bits: flipping one spells the same bytes, and is refused too.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String cursor = io.eddy.stream.event.EventCursor.encode(f.streams.open(token, null, null, false).start());
        assertThat(cursor.length() % 4).as("13 bytes leave unused bits").isNotZero();
        String respelledCursor = cursor.substring(0, cursor.length() - 1)
                + alphabet.charAt(alphabet.indexOf(cursor.charAt(cursor.length() - 1)) ^ 1);
        assertThatThrownBy(() -> f.streams.open(token, respelledCursor, null, false)).isInstanceOf(StreamRequestException.class);
        if (token.length() % 4 != 0) {
            String respelledToken = token.substring(0, token.length() - 1)
                    + alphabet.charAt(alphabet.indexOf(token.charAt(token.length() - 1)) ^ 1);
            assertThatThrownBy(() -> f.streams.open(respelledToken, null, null, false)).isInstanceOf(StreamRequestException.class);
        }
        assertThatThrownBy(() -> f.streams.open(token, "bad", null, false)).hasMessage("Invalid request body: invalid event cursor provided.");
        assertThatThrownBy(() -> f.streams.open(token, "x", 5L, false)).hasMessage("Invalid request body: can not provide both `start_ts` and `cursor`.");
        assertThatThrownBy(() -> f.streams.open(token, null, 5L, true)).isInstanceOf(StreamRequestException.class)
                .hasMessageContaining("can not be before the stream create time");
    }
}
