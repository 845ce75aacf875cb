package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.storage.StoreMaintenance;
import io.eddy.core.value.IntValue;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventType;
import io.eddy.stream.feed.FeedPage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the passing of time does to streams and feeds, on a clock the tests move: history older than
 * the retention window cannot be replayed ({@code invalid_stream_start_time}), and documents that
 * expire through their {@code ttl} leave without an event.
 */
class HistoryAndExpiryTest {
    @TempDir Path dir;
    final StreamFixture.ManualClock clock = new StreamFixture.ManualClock(Instant.parse("2025-03-01T00:00:00Z"));
    StreamFixture f;

    @AfterEach void close() { if (f != null) f.close(); }

    private FeedPage feed(String token, Long startTs) throws StreamRequestException {
        return f.streams.feed(f.streams.open(token, null, startTs, false), 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    }

    private LiveStreamTest.Collector subscribe(String token, Long startTs) throws Exception {
        LiveStreamTest.Collector c = new LiveStreamTest.Collector();
        c.sub = f.streams.subscribe(f.streams.open(token, null, startTs, true), () -> { });
        return c;
    }

    /**
     * A start before the retained history (core: {@code EventReplayer}): a stream sends its status
     * event, then the error, and ends; a feed answers a page of that one error event with
     * {@code has_next} false (what the JVM driver's {@code feedEventError} test expects). A start within
     * the history is served.
     */
    @Test void aStartBeforeTheRetainedHistoryIsAnInvalidStreamStartTime() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults(), clock, Duration.ofHours(1));
        f.ok("Collection.create({ name: 'Item' })");
        long created = f.run("Item.all().toStream()").txnTs();
        String token = f.token("Item.all().toStream()");
        f.ok("Item.create({ n: 1 })");
        clock.advance(Duration.ofHours(2));
        long later = f.run("Item.create({ n: 2 })").txnTs();
        StoreMaintenance.runRetention(f.store);
        long retainedFrom = f.store.changeLog().retainedFromTs();
        assertThat(retainedFrom).isGreaterThan(created).isLessThan(later);

        FeedPage page = feed(token, null);
        assertThat(page.events()).extracting(Event::type).containsExactly(EventType.ERROR);
        Event.ErrorInfo error = page.events().getFirst().error();
        assertThat(error.code()).isEqualTo("invalid_stream_start_time");
        assertThat(error.message()).contains("is too far in the past")
                .endsWith("is too far in the past. Recreate the stream and try again.");
        assertThat(page.hasNext()).isFalse();

        LiveStreamTest.Collector stream = subscribe(token, null);
        stream.awaitCount(2);
        assertThat(stream.types()).containsExactly("status", "error");
        assertThat(stream.lines.get(1)).endsWith("invalid_stream_start_time");
        assertThat(stream.sub.isDone()).isTrue();

        // Within the history: served.
        FeedPage recent = feed(token, later - 1);
        assertThat(recent.events()).extracting(Event::type).containsExactly(EventType.ADD);
        assertThat(recent.events().getFirst().data().toString()).contains("n=2");
        LiveStreamTest.Collector recentStream = subscribe(token, later - 1);
        recentStream.awaitCount(2);
        assertThat(recentStream.types()).containsExactly("status", "add");
        recentStream.sub.close();
    }

    /**
     * Each collection keeps its own history: a collection with {@code history_days: 30} (Kept) can still be
     * replayed from two days back while one without (Short: the server's minimum, one hour here) cannot, in
     * the same store.
     */
    @Test void eachCollectionKeepsItsOwnHistory() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults(), clock, Duration.ofHours(1));
        f.ok("Collection.create({ name: 'Short' })");
        f.ok("Collection.create({ name: 'Kept', history_days: 30 })");
        String shortToken = f.token("Short.all().toStream()");
        String longToken = f.token("Kept.all().toStream()");
        f.ok("Short.create({ n: 1 })");
        f.ok("Kept.create({ n: 1 })");
        clock.advance(Duration.ofDays(2));
        StoreMaintenance.runRetention(f.store);

        FeedPage shortPage = feed(shortToken, null);
        assertThat(shortPage.events()).singleElement().satisfies(e ->
                assertThat(e.error().code()).isEqualTo("invalid_stream_start_time"));
        FeedPage longPage = feed(longToken, null);
        assertThat(longPage.events()).extracting(Event::type).containsExactly(EventType.ADD);
        assertThat(f.store.changeLog().retainedFromTs("Short")).isGreaterThan(f.store.changeLog().retainedFromTs("Kept"));
    }

    /**
     * A document whose {@code ttl} passes leaves every set without an event (the seed: "Event streams
     * don't emit remove events for documents deleted due to an expired TTL"), also once the purge has
     * deleted it; a stream goes on with the next change, and a feed holds only the adds.
     */
    @Test void documentsExpiringThroughTheirTtlEmitNothing() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults(), clock, Duration.ofHours(24));
        f.ok("Collection.create({ name: 'Item', indexes: { byKind: { terms: [{ field: '.kind' }] } } })");
        List<String> tokens = List.of(f.token("Item.all().toStream()"), f.token("Item.byKind('a').toStream()"),
                f.token("Item.where(.kind == 'a').toStream()"));
        List<LiveStreamTest.Collector> streams = new java.util.ArrayList<>();
        for (String token : tokens) {
            LiveStreamTest.Collector c = subscribe(token, null);
            c.awaitCount(1);
            streams.add(c);
        }
        f.ok("Item.create({ kind: 'a', n: 1, ttl: Time.now().add(60, 'seconds') })");
        for (LiveStreamTest.Collector c : streams) c.awaitCount(2);

        clock.advance(Duration.ofMinutes(5));
        assertThat(f.ok("Item.all().count()")).as("expired: gone from reads").isEqualTo(new IntValue(0));
        StoreMaintenance.runRetention(f.store); // the purge deletes it, writing no change record
        f.ok("Item.create({ kind: 'a', n: 2 })");

        for (LiveStreamTest.Collector c : streams) {
            c.awaitCount(3);
            assertThat(c.types()).containsExactly("status", "add", "add");
            assertThat(c.lines.get(1)).contains("n=1");
            assertThat(c.lines.get(2)).contains("n=2");
            c.sub.close();
        }
        for (String token : tokens) {
            FeedPage page = feed(token, null);
            assertThat(page.events()).extracting(Event::type).containsExactly(EventType.ADD, EventType.ADD);
            assertThat(page.hasNext()).isFalse();
        }
    }
}
