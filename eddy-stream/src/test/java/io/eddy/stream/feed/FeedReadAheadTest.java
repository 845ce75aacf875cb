package io.eddy.stream.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.changelog.LogPosition;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The read-ahead's bounds: capacity, depth per feed, expiry, at most one taker, failures, closing. */
class FeedReadAheadTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final Queue<Runnable> pending = new ArrayDeque<>();
    private static final long KEEP = TimeUnit.SECONDS.toNanos(10);

    /** One feed (token) may hold the whole capacity. */
    private FeedReadAhead readAhead(int capacity) {
        return new FeedReadAhead(capacity, 64, KEEP, pending::add, now::get);
    }

    private static FeedReadAhead.Key key(long ts) {
        return new FeedReadAhead.Key("token", new LogPosition(ts, 0), 16);
    }

    private static Supplier<FeedReadAhead.Prefix> read(long ts) {
        return () -> new FeedReadAhead.Prefix(List.of(), new LogPosition(ts, 7), false);
    }

    private void runPending() {
        while (!pending.isEmpty()) pending.remove().run();
    }

    private long later() {
        return now.get() + TimeUnit.SECONDS.toNanos(1);
    }

    @Test void aReadAheadIsTakenOnceByTheRequestForItsPage() {
        FeedReadAhead ra = readAhead(4);
        ra.start(key(1), read(1));
        runPending();
        assertThat(ra.take(new FeedReadAhead.Key("token", new LogPosition(1, 0), 32), later())).as("another page size").isNull();
        assertThat(ra.take(new FeedReadAhead.Key("other", new LogPosition(1, 0), 16), later())).as("another token").isNull();
        assertThat(ra.take(key(1), later()).lastScanned()).isEqualTo(new LogPosition(1, 7));
        assertThat(ra.take(key(1), later())).as("taken already").isNull();
        assertThat(ra.counts()).isEqualTo(new FeedReadAhead.Counts(1, 1, 0, 0));
    }

    @Test void theOldestIsDroppedForANewOneBeyondCapacity() {
        FeedReadAhead ra = readAhead(2);
        for (long ts = 1; ts <= 3; ts++) ra.start(key(ts), read(ts));
        ra.start(key(3), read(3)); // being read already: not read twice
        runPending();
        assertThat(ra.held()).isEqualTo(2);
        assertThat(ra.take(key(1), later())).isNull();
        assertThat(ra.take(key(2), later())).isNotNull();
        assertThat(ra.take(key(3), later())).isNotNull();
        assertThat(ra.counts()).isEqualTo(new FeedReadAhead.Counts(3, 2, 1, 0));
    }

    @Test void oneNotTakenInTimeIsDropped() {
        FeedReadAhead ra = readAhead(4);
        ra.start(key(1), read(1));
        now.addAndGet(KEEP / 2);
        ra.start(key(2), read(2));
        runPending();
        now.addAndGet(KEEP / 2 + 1);
        assertThat(ra.take(key(1), later())).isNull();
        assertThat(ra.held()).as("the later one is kept").isEqualTo(1);
        assertThat(ra.take(key(2), later())).isNotNull();
        assertThat(ra.counts().dropped()).isEqualTo(1);
    }

    @Test void aRequestWaitsNoLongerThanItsDeadlineAndAFailedReadIsNotUsed() {
        FeedReadAhead ra = readAhead(4);
        ra.start(key(1), read(1)); // never run: still reading when asked for
        assertThat(ra.take(key(1), now.get())).isNull();
        ra.start(key(2), () -> { throw new IllegalStateException("a derivation read the store"); });
        runPending();
        assertThat(ra.take(key(2), later())).isNull();
        assertThat(ra.counts()).isEqualTo(new FeedReadAhead.Counts(2, 0, 1, 1));
    }

    @Test void offOrClosedItReadsNothing() {
        FeedReadAhead off = readAhead(0);
        off.start(key(1), read(1));
        assertThat(pending).isEmpty();
        assertThat(off.take(key(1), later())).isNull();
        FeedReadAhead ra = readAhead(4);
        ra.start(key(1), read(1));
        ra.close();
        ra.start(key(2), read(2));
        runPending();
        assertThat(ra.held()).isZero();
        assertThat(ra.take(key(1), later())).isNull();
        assertThat(ra.counts()).isEqualTo(new FeedReadAhead.Counts(1, 0, 1, 0));
    }

    @Test void aFeedHoldsAtMostDepthReadAheadsAndTheNextStartsWhenItTakesOne() {
        FeedReadAhead ra = new FeedReadAhead(8, 2, KEEP, pending::add, now::get);
        ra.start(key(1), read(1));
        ra.start(key(2), read(2));
        ra.start(new FeedReadAhead.Key("other", new LogPosition(1, 0), 16), read(1)); // another feed has its own depth
        ra.start(key(3), read(3)); // beyond the depth: parked
        ra.start(key(4), read(4)); // the later frontier replaces it
        runPending();
        assertThat(ra.held()).isEqualTo(3);
        assertThat(ra.counts().started()).isEqualTo(3);
        assertThat(ra.take(key(1), later())).isNotNull(); // room again: the parked start runs
        runPending();
        assertThat(ra.held()).isEqualTo(3);
        assertThat(ra.take(key(3), later())).as("replaced while parked").isNull();
        assertThat(ra.take(key(4), later())).isNotNull();
        assertThat(ra.take(key(2), later())).isNotNull();
        assertThat(ra.counts()).isEqualTo(new FeedReadAhead.Counts(4, 3, 0, 0));
    }
}
