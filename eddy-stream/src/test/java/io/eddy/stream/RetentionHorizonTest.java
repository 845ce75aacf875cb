package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.storage.StoreMaintenance;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventType;
import io.eddy.stream.feed.FeedPage;
import io.eddy.stream.live.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start before the retained change-log history (the seed's feed from "10 minutes ago" once the
 * history is shorter than that): feeds answer a page holding only an {@code invalid_stream_start_time}
 * error event, streams open with their status event and end with it (reference §§7.3, 8.2). The store
 * keeps no minimum history here, so one retention run moves the horizon to now.
 */
class RetentionHorizonTest {
    @TempDir Path dir;
    StreamFixture f;

    @BeforeEach void open() {
        f = new StreamFixture(dir, StreamConfig.defaults(), Duration.ZERO);
        f.ok("Collection.create({ name: 'Product' })");
    }

    @AfterEach void close() { f.close(); }

    private static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    private FeedPage feed(String token, Long startTs) throws Exception {
        return f.streams.feed(f.streams.open(token, null, startTs, false), 16, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    }

    private static void assertTooFarInThePast(Event e, long start) {
        assertThat(e.type()).isEqualTo(EventType.ERROR);
        assertThat(e.error().code()).isEqualTo("invalid_stream_start_time");
        assertThat(e.error().message())
                .isEqualTo("Stream start time " + start + " is too far in the past. Recreate the stream and try again.");
    }

    @Test void aFeedFromBeforeTheHorizonIsOneErrorEventAndNoNext() throws Exception {
        long tenMinutesAgo = micros(Instant.now().minus(Duration.ofMinutes(10)));
        String token = f.token("Product.where(.type == 'book' && .price < 100_00).toStream()");
        long created = f.run("Product.create({ type: 'book', price: 10_00 })").txnTs();
        FeedPage within = feed(token, tenMinutesAgo);
        assertThat(within.events()).as("before any retention run, ten minutes ago is within the history")
                .extracting(Event::type).containsExactly(EventType.ADD);

        StoreMaintenance.runRetention(f.store);
        long horizon = f.store.changeLog().retainedFromTs();
        assertThat(horizon).isGreaterThanOrEqualTo(created);

        FeedPage tooOld = feed(token, tenMinutesAgo);
        assertThat(tooOld.events()).hasSize(1);
        assertTooFarInThePast(tooOld.events().getFirst(), tenMinutesAgo);
        assertThat(tooOld.hasNext()).isFalse();
        // without start_ts the feed starts at the token's creation, now also before the horizon
        assertThat(feed(token, null).events()).singleElement().satisfies(e -> assertThat(e.error().code())
                .isEqualTo("invalid_stream_start_time"));

        // from the horizon on, history reads as usual
        f.ok("Product.create({ type: 'book', price: 20_00 })");
        FeedPage fromHorizon = feed(token, horizon);
        assertThat(fromHorizon.events()).extracting(Event::type).containsExactly(EventType.ADD);
        assertThat(fromHorizon.events().getFirst().data().toString()).contains("2000");
    }

    @Test void aStreamWhoseStartWasExpiredSendsStatusThenTheErrorAndEnds() throws Exception {
        String token = f.token("Product.all().toStream()");
        f.ok("Product.create({ type: 'book', price: 10_00 })");
        StoreMaintenance.runRetention(f.store);

        Subscription sub = f.streams.subscribe(f.streams.open(token, null, null, true), () -> { });
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!sub.isDone() && System.nanoTime() < deadline) {
            for (byte[] b = sub.poll(); b != null; b = sub.poll()) lines.add(new String(b, StandardCharsets.UTF_8));
            Thread.sleep(5);
        }
        assertThat(sub.isDone()).as("the stream ended").isTrue();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("status|");
        assertThat(lines.get(1)).isEqualTo("error||invalid_stream_start_time");
    }
}
