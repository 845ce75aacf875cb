package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventStats;
import io.eddy.stream.feed.FeedPage;
import io.eddy.stream.live.DeliveryBatching;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feed pages served from a read-ahead are the pages read without one: the same events, cursor and
 * has_next, whether the read-ahead filled the page, stopped at its horizon before later commits, ended
 * at an error event, or could not be used (a source whose derivation reads the store).
 */
class FeedReadAheadPagesTest {
    @TempDir Path dir;
    /** Read-aheads wait here until the test runs them: before the next page, or after a commit. */
    private final Queue<Runnable> pending = new ArrayDeque<>();
    private StreamFixture f;
    /** The same store and engine, reading every page itself. */
    private EventStreams direct;

    @BeforeEach void open() {
        f = new StreamFixture(dir, StreamConfig.defaults(), pending::add);
        direct = new EventStreams(f.store, f.engine, StreamConfig.defaults().withFeedReadAheadPages(0), Clock.systemUTC(),
                StreamFixture::encode, DeliveryBatching.NONE, r -> { throw new AssertionError("no read-ahead"); });
        f.ok("Collection.create({ name: 'Product', indexes: { byType: { terms: [{ field: '.type' }], values: [{ field: '.price' }] } } })");
    }

    @AfterEach void close() {
        direct.close();
        f.close();
    }

    private static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    }

    private static List<Event> costless(List<Event> events) {
        return events.stream().map(e -> e.withStats(EventStats.ZERO)).toList();
    }

    private void runPending() {
        while (!pending.isEmpty()) pending.remove().run();
    }

    private void create(int i) {
        f.ok("Product.create({ name: 'p" + i + "', type: '" + (i % 3 == 0 ? "book" : "toy") + "', price: "
                + (i == 23 ? 999 : i % 7 == 0 ? 13 : i) + " })");
    }

    /**
     * Reads the whole feed of {@code token} page by page both ways, with commits between the pages,
     * some after the read-ahead of the next page ran (so it stopped at an earlier horizon); returns the
     * number of pages after the first that follow a page not ending at an error (the ones read ahead).
     */
    private int pageThrough(String token, int pageSize, Random rnd, int[] created) throws Exception {
        String cursor = null;
        int pages = 0;
        int afterError = 0;
        while (true) {
            FeedPage ahead = f.streams.feed(f.streams.open(token, cursor, null, false), pageSize, deadline());
            FeedPage read = direct.feed(direct.open(token, cursor, null, false), pageSize, deadline());
            String at = "page " + pages + " of size " + pageSize + " after " + cursor;
            assertThat(costless(ahead.events())).as(at).isEqualTo(costless(read.events()));
            assertThat(ahead.cursor()).as(at).isEqualTo(read.cursor());
            assertThat(ahead.hasNext()).as(at).isEqualTo(read.hasNext());
            pages++;
            if (!ahead.hasNext()) return pages - 1 - afterError;
            if (!read.events().isEmpty() && read.events().getLast().isError()) afterError++;
            cursor = ahead.cursor();
            switch (rnd.nextInt(3)) {
                case 0 -> runPending();
                case 1 -> { runPending(); create(created[0]++); } // the read-ahead's horizon is before this commit
                default -> { create(created[0]++); runPending(); }
            }
        }
    }

    @Test void pagesServedFromReadAheadAreThePagesReadWithout() throws Exception {
        long seed = new Random().nextLong();
        System.out.println("FeedReadAheadPagesTest seed " + seed);
        Random rnd = new Random(seed);
        List<String> tokens = List.of(
                f.token("Product.all().toStream()"),
                f.token("Product.where(.price != 13).map(p => if (p.price == 999) abort('bad') else p.price).toStream()"),
                f.token("Product.byType('book').where(.price < 30).toStream()"),
                f.token("Product.all().changesOn(.price) { name, price }"));
        int[] created = {0};
        for (; created[0] < 40; created[0]++) create(created[0]);
        f.ok("Product.all().where(.price < 10).forEach(p => p.update({ price: p.price + 100 }))");
        int taken = 0;
        for (String token : tokens) {
            for (int pageSize : new int[] {1, 3, 7, 16}) {
                int readAhead = pageThrough(token, pageSize, rnd, created);
                long takenNow = f.streams.feedReadAheadCounts().taken();
                assertThat(takenNow - taken).as("pages served from their read-ahead, size " + pageSize)
                        .isEqualTo(readAhead);
                taken = (int) takenNow;
            }
        }
        assertThat(f.streams.feedReadAheadCounts().failed()).isZero();
    }

    @Test void aSourceWhoseDerivationReadsTheStoreIsReadByItsRequest() throws Exception {
        String token = f.token("Product.all().map(p => Product.byId(p.id)!.name).toStream()");
        for (int i = 0; i < 10; i++) create(i);
        int readAhead = pageThrough(token, 3, new Random(1), new int[] {10});
        assertThat(readAhead).isPositive();
        assertThat(f.streams.feedReadAheadCounts().failed()).isEqualTo(readAhead);
        assertThat(f.streams.feedReadAheadCounts().taken()).isZero();
    }

    @Test void aPageWithoutNextReadsNothingAhead() throws Exception {
        String token = f.token("Product.all().toStream()");
        for (int i = 0; i < 5; i++) create(i);
        FeedPage page = f.streams.feed(f.streams.open(token, null, null, false), 16, deadline());
        assertThat(page.hasNext()).isFalse();
        assertThat(pending).isEmpty();
        FeedPage full = f.streams.feed(f.streams.open(token, null, null, false), 5, deadline());
        assertThat(full.hasNext()).isFalse();
        assertThat(pending).isEmpty();
        List<Event> none = new ArrayList<>(f.streams.feed(f.streams.open(token, full.cursor(), null, false), 5, deadline()).events());
        assertThat(none).isEmpty();
    }
}
