package io.eddy.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of event streams and feeds.
 *
 * @param subscriberQueueEvents events buffered per subscriber before it overflows ({@code stream_overflow})
 * @param dispatchQueueCommits group commits (each one synced write of one or more transactions) buffered
 *     between the commit pipeline and the dispatcher; when full, live subscribers overflow (and resume
 *     from their cursor) instead of the commit path waiting
 * @param heartbeatInterval idle time after which a stream sends a {@code status} event (Fauna: 5 minutes)
 * @param replayLimit the most events a stream replays from history before it stops with
 *     {@code stream_replay_volume_exceeded}; 0 means unlimited (Fauna: 128)
 * @param replayPageRecords change-log records read per step of replay and feeds (bounds memory)
 * @param feedReadAheadPages feed pages read ahead of their request at once, each at most a page and
 *     one event (see {@link io.eddy.stream.feed.FeedReadAhead}); 0 turns reading ahead off
 */
public record StreamConfig(int subscriberQueueEvents, int dispatchQueueCommits, Duration heartbeatInterval,
                           int replayLimit, int replayPageRecords, int feedReadAheadPages) {
    /** Feed pages read ahead by default: a few clients paging at once, at most ~4 × 16,001 events held. */
    public static final int DEFAULT_FEED_READ_AHEAD_PAGES = 4;

    public StreamConfig {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (subscriberQueueEvents < 1 || subscriberQueueEvents > 1_000_000) {
            throw new IllegalArgumentException("subscriberQueueEvents must be in 1..1000000");
        }
        if (dispatchQueueCommits < 1 || dispatchQueueCommits > 10_000_000) {
            throw new IllegalArgumentException("dispatchQueueCommits must be in 1..10000000");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive");
        }
        if (replayLimit < 0) throw new IllegalArgumentException("replayLimit must be >= 0 (0 = unlimited)");
        if (replayPageRecords < 1 || replayPageRecords > 100_000) {
            throw new IllegalArgumentException("replayPageRecords must be in 1..100000");
        }
        if (feedReadAheadPages < 0 || feedReadAheadPages > 64) {
            throw new IllegalArgumentException("feedReadAheadPages must be in 0..64 (0 = off)");
        }
    }

    /** With the default feed read-ahead. */
    public StreamConfig(int subscriberQueueEvents, int dispatchQueueCommits, Duration heartbeatInterval,
                        int replayLimit, int replayPageRecords) {
        this(subscriberQueueEvents, dispatchQueueCommits, heartbeatInterval, replayLimit, replayPageRecords,
                DEFAULT_FEED_READ_AHEAD_PAGES);
    }

    public StreamConfig withFeedReadAheadPages(int pages) {
        return new StreamConfig(subscriberQueueEvents, dispatchQueueCommits, heartbeatInterval, replayLimit,
                replayPageRecords, pages);
    }

    public static StreamConfig defaults() {
        return new StreamConfig(1024, 65_536, Duration.ofMinutes(5), 0, 1024);
    }
}
