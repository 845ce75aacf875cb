package io.eddy.stream;

import io.eddy.core.changelog.LogPosition;
import io.eddy.core.storage.Store;
import io.eddy.core.txn.Transaction;
import io.eddy.fql.FqlEngine;
import io.eddy.fql.api.Principal;
import io.eddy.fql.interp.Cursors;
import io.eddy.fql.interp.ElementPipeline;
import io.eddy.stream.derive.NoReadsTransaction;
import io.eddy.stream.derive.StreamSource;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventCursor;
import io.eddy.stream.feed.FeedPage;
import io.eddy.stream.feed.FeedReadAhead;
import io.eddy.stream.feed.LogScanner;
import io.eddy.stream.live.DeliveryBatching;
import io.eddy.stream.live.Dispatcher;
import io.eddy.stream.live.EventEncoder;
import io.eddy.stream.live.Subscription;
import io.eddy.stream.live.SubscriptionSink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Event streaming and event feeds over the change log: the entry point the wire protocol uses.
 *
 * <p>A request names a token (an event source sealed by {@link Cursors}) and optionally where to start:
 * a cursor (events strictly after it) or a {@code start_ts} (events of later transactions). Without
 * either, a stream or feed starts at the token's creation, so the query that made the token and the
 * stream together see every change exactly once.
 *
 * <p>Feeds read history with {@link LogScanner}. Streams replay history the same way, then switch to
 * the live {@link Dispatcher} without a gap or a duplicate (see {@link Subscription}).
 */
public final class EventStreams implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EventStreams.class);
    private final Store store;
    private final FqlEngine engine;
    private final StreamConfig config;
    private final Clock clock;
    private final LogScanner scanner;
    private final Dispatcher dispatcher;
    private final FeedReadAhead readAhead;
    /**
     * How long a feed page read ahead waits for its request: a client pages right away when it reads
     * history, and one that pauses longer between pages reads them itself.
     */
    static final long READ_AHEAD_KEEP_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Feed pages read ahead of one feed's client: two, so that the reader goes on while the client
     * takes in the end of a page (with one, it idles from then until the next request).
     */
    static final int READ_AHEAD_DEPTH = 2;

    public EventStreams(Store store, FqlEngine engine, StreamConfig config, Clock clock, EventEncoder encoder) {
        this(store, engine, config, clock, encoder, DeliveryBatching.NONE);
    }

    /**
     * @param encoder renders events for the wire, once per event
     * @param batching lets the transport act once per commit on its subscriptions' wake-ups
     */
    public EventStreams(Store store, FqlEngine engine, StreamConfig config, Clock clock, EventEncoder encoder,
                        DeliveryBatching batching) {
        this(store, engine, config, clock, encoder, batching,
                runnable -> Thread.ofVirtual().name("eddy-replay").start(runnable));
    }

    /**
     * @param replays runs each new stream's replay of its history and each feed page's read-ahead (a
     *     virtual thread each, by default)
     */
    public EventStreams(Store store, FqlEngine engine, StreamConfig config, Clock clock, EventEncoder encoder,
                        DeliveryBatching batching, java.util.concurrent.Executor replays) {
        this.store = store;
        this.engine = engine;
        this.config = config;
        this.clock = clock;
        this.scanner = new LogScanner(store.changeLog(), config.replayPageRecords());
        this.dispatcher = new Dispatcher(store, engine.cursors(), config, clock, encoder, engine.keys(), batching, replays);
        this.readAhead = new FeedReadAhead(config.feedReadAheadPages(), READ_AHEAD_DEPTH, READ_AHEAD_KEEP_NANOS, replays,
                System::nanoTime);
    }

    public Dispatcher dispatcher() { return dispatcher; }

    /** Change-log records read so far by stream replays and feeds (an operational count). */
    public long logRecordsScanned() { return scanner.recordsScanned(); }

    /** A request's source and start position, validated. */
    public record Opened(String token, StreamSource source, LogPosition start) {}

    /**
     * Decodes and checks a token and the start options. {@code cursor} and {@code startTs} are
     * exclusive; {@code streamRules} applies the stream endpoint's rule that a start time may not precede
     * the token's creation (feeds report that as an error event instead).
     */
    public Opened open(String token, String cursor, Long startTs, boolean streamRules) throws StreamRequestException {
        Cursors.DecodedSource decoded;
        try {
            decoded = engine.cursors().decodeEventSource(token);
        } catch (Cursors.InvalidCursor e) {
            throw new StreamRequestException("invalid_request", "Invalid request body: invalid event source provided.");
        }
        if (cursor != null && startTs != null) {
            throw new StreamRequestException("invalid_request", "Invalid request body: can not provide both `start_ts` and `cursor`.");
        }
        LogPosition start;
        if (cursor != null) {
            start = EventCursor.decode(cursor);
            if (start == null) throw new StreamRequestException("invalid_request", "Invalid request body: invalid event cursor provided.");
        } else if (startTs != null) {
            if (streamRules && startTs < decoded.createdTs()) {
                throw new StreamRequestException("invalid_stream_start_time",
                        "Invalid stream start time: Stream start time can not be before the stream create time.");
            }
            start = LogPosition.endOf(startTs);
        } else {
            start = LogPosition.endOf(decoded.createdTs());
        }
        if (!StreamSource.isStreamable(decoded.source())) {
            throw new StreamRequestException("invalid_request", "Invalid request body: invalid event source provided.");
        }
        // The token names its collection and index; they are looked up again now, as Fauna evaluates
        // the token's set again for every request, so a source whose schema is gone (or whose index now
        // takes other terms) is refused here rather than failing later on every record.
        try (Transaction txn = store.begin()) {
            return new Opened(token, StreamSource.resolve(decoded.source(), decoded.createdTs(), txn), start);
        } catch (StreamSource.Unresolved e) {
            throw new StreamRequestException("invalid_request", EVALUATION_FAILED + e.getMessage());
        }
    }

    /** The prefix of a refusal of a token whose set no longer evaluates (core's {@code StreamEndpoint}). */
    public static final String EVALUATION_FAILED = "Error evaluating provided stream, ";

    /** An error event for a start before {@code coll}'s retained history, or null when the start is fine. */
    public Event checkRetention(LogPosition start, String coll) {
        long from = store.changeLog().retainedFromTs(coll);
        if (start.txnTs() < from) {
            return Event.error("invalid_stream_start_time", "Stream start time " + start.txnTs()
                    + " is too far in the past. Recreate the stream and try again.", null, null);
        }
        return null;
    }

    /** One feed page: up to {@code pageSize} events after {@code opened.start()}, within {@code deadlineNanos}. */
    public FeedPage feed(Opened opened, int pageSize, long deadlineNanos) {
        return feed(opened, pageSize, deadlineNanos, pageSize + 1, null);
    }

    /**
     * One feed page, handed over in chunks as it is read: {@code onChunk} (if not null) receives the
     * page's events in order, in unchanging lists of at most {@code chunkEvents}, each as soon as it
     * is certain to be part of the page (so a renderer can start on it while the log is still being
     * read). The returned page holds all of them.
     */
    public FeedPage feed(Opened opened, int pageSize, long deadlineNanos, int chunkEvents, Consumer<List<Event>> onChunk) {
        return feed(opened, pageSize, deadlineNanos, chunkEvents, chunkEvents, onChunk);
    }

    /**
     * As {@link #feed(Opened, int, long, int, Consumer)}, with a first chunk of at most
     * {@code firstChunkEvents}: a small first chunk lets a page's first bytes leave sooner, while the
     * later, larger ones keep the hand-overs few.
     */
    public FeedPage feed(Opened opened, int pageSize, long deadlineNanos, int firstChunkEvents, int chunkEvents,
                         Consumer<List<Event>> onChunk) {
        long budgetNanos = deadlineNanos - System.nanoTime();
        LogPosition start = opened.start();
        Event tooOld = checkRetention(start, opened.source().coll());
        if (tooOld != null) return new FeedPage(List.of(tooOld), EventCursor.encode(start), false);
        // The page's first events, if the page before it read them ahead (waits for them if that read
        // is still going: it is the reading this request would do).
        FeedReadAhead.Prefix ahead = readAhead.take(readAheadKey(opened.token(), opened.source(), start, pageSize), deadlineNanos);
        // After take(): the horizon is at or after the read-ahead's, so the page goes on from where it stopped.
        long horizon = store.lastCommittedTs();
        try (Transaction txn = store.begin()) {
            ElementPipeline pipeline = new ElementPipeline(txn, engine.cursors(), clock.instant(), deadlineNanos);
            // Read one event past the page: whether it exists is has_next.
            List<Event> events = new ArrayList<>();
            LogPosition pos = start;
            boolean more = true;
            boolean scanned = false;
            int handedOver = 0;
            if (ahead != null) {
                events.addAll(ahead.events());
                pos = ahead.lastScanned();
                more = ahead.more();
                handedOver = handOver(events, pageSize, handedOver, firstChunkEvents, chunkEvents, onChunk);
            }
            while (events.size() <= pageSize && !endsOnError(events) && !(scanned && !more)
                    && !(scanned && System.nanoTime() - deadlineNanos > 0)) {
                int want = Math.min(pageSize + 1 - events.size(), Math.max(1, handedOver == 0 ? firstChunkEvents : chunkEvents));
                LogScanner.Result r = scanner.scan(opened.source(), pos, horizon, want, pipeline, deadlineNanos);
                scanned = true;
                events.addAll(r.events());
                pos = r.lastScanned();
                more = r.more();
                handedOver = handOver(events, pageSize, handedOver, firstChunkEvents, chunkEvents, onChunk);
            }
            boolean hasNext = more;
            if (events.size() > pageSize) {
                events = events.subList(0, pageSize);
                hasNext = true;
            } else if (endsOnError(events)) {
                // The page stops at an error; more is waiting only if the collection's history continues after it.
                hasNext = !store.changeLog().readCollection(events.getLast().position(), opened.source().coll(), horizon, 1)
                        .records().isEmpty();
            }
            String cursor;
            if (!events.isEmpty() && (hasNext || events.getLast().isError())) {
                cursor = EventCursor.encode(events.getLast().position());
            } else if (hasNext) {
                cursor = EventCursor.encode(pos);
            } else {
                cursor = EventCursor.encode(LogPosition.endOf(Math.max(horizon, start.txnTs())));
            }
            if (hasNext && !endsOnError(events)) {
                LogPosition next = events.isEmpty() ? pos : events.getLast().position();
                startReadAhead(opened.token(), opened.source(), next, pageSize, budgetNanos);
            }
            return new FeedPage(events, cursor, hasNext);
        }
    }

    private static boolean endsOnError(List<Event> events) {
        return !events.isEmpty() && events.getLast().isError();
    }

    /**
     * Hands the events that are certainly the page's and not handed over yet to {@code onChunk}, in
     * chunks of at most {@code firstChunkEvents} (the first) and {@code chunkEvents}. Returns how many
     * have been handed over.
     */
    private static int handOver(List<Event> events, int pageSize, int handedOver, int firstChunkEvents, int chunkEvents,
                                Consumer<List<Event>> onChunk) {
        if (onChunk == null) return handedOver;
        int certain = Math.min(events.size(), pageSize);
        while (certain > handedOver) {
            int n = Math.min(certain - handedOver, Math.max(1, handedOver == 0 ? firstChunkEvents : chunkEvents));
            onChunk.accept(List.copyOf(events.subList(handedOver, handedOver + n)));
            handedOver += n;
        }
        return handedOver;
    }

    /**
     * The read-ahead of the page after {@code after}: what {@link #feed} would read, up to the horizon
     * of now, derived without reading the store ({@link FeedReadAhead}'s first invariant).
     */
    private void startReadAhead(String token, StreamSource source, LogPosition after, int pageSize, long budgetNanos) {
        readAhead.start(readAheadKey(token, source, after, pageSize), () -> readAhead(token, source, after, pageSize, budgetNanos));
    }

    /**
     * The key of a page read ahead: the token as resolved (a page read ahead before the token's
     * collection or index was replaced was derived from the old definition, so it is not a prefix of
     * the page the request reads now), the position it starts after and its size.
     */
    private static FeedReadAhead.Key readAheadKey(String token, StreamSource source, LogPosition after, int pageSize) {
        String resolved = token + '@' + source.collId() + (source.index() == null ? "" : "." + source.index().indexId());
        return new FeedReadAhead.Key(resolved, after, pageSize);
    }

    private FeedReadAhead.Prefix readAhead(String token, StreamSource source, LogPosition after, int pageSize,
                                           long budgetNanos) {
        long deadline = System.nanoTime() + budgetNanos;
        long horizon = store.lastCommittedTs();
        ElementPipeline pipeline = new ElementPipeline(NoReadsTransaction.INSTANCE, engine.cursors(), clock.instant(), deadline);
        LogScanner.Result r = scanner.scan(source, after, horizon, pageSize + 1, pipeline, deadline);
        List<Event> events = r.events();
        if (events.size() > pageSize) {
            // A full page (a scan stops at an error event, so none is within it): the one after it
            // starts in turn (FeedReadAhead parks it beyond the feed's depth).
            startReadAhead(token, source, events.get(pageSize - 1).position(), pageSize, budgetNanos);
        }
        return new FeedReadAhead.Prefix(events, r.lastScanned(), r.more());
    }

    /** What feed read-aheads did so far (an operational count). */
    public FeedReadAhead.Counts feedReadAheadCounts() {
        return readAhead.counts();
    }

    /** Starts a stream with the root secret's authority (which cannot be revoked). */
    public Subscription subscribe(Opened opened, SubscriptionSink sink) {
        return subscribe(opened, sink, Principal.ROOT);
    }

    /**
     * Starts a stream for {@code principal}: replays from {@code opened.start()}, then follows live
     * commits. A stream opened with a key's secret ends with {@code permission_loss} when the key is
     * deleted.
     */
    public Subscription subscribe(Opened opened, SubscriptionSink sink, Principal principal) {
        Subscription sub = new Subscription(opened.token(), opened.source(), opened.start(), sink, dispatcher,
                principal.keyId());
        Event tooOld = checkRetention(opened.start(), opened.source().coll());
        if (tooOld == null && !isLive(principal)) tooOld = Dispatcher.permissionLoss();
        if (tooOld != null) {
            // As in Fauna, the stream still opens with its status event, then ends with the error.
            dispatcher.sendStart(sub);
            sub.fail(tooOld);
            return sub;
        }
        dispatcher.startReplay(sub, scanner, engine.cursors());
        // The key may be deleted between the check above and registration: the dispatcher ends the
        // streams registered before it processes a key's deletion, this check the ones registered after.
        if (!isLive(principal)) sub.fail(Dispatcher.permissionLoss());
        // Likewise the source's collection or index, checked by open(): the dispatcher ends the streams
        // registered before it sees the schema change (it reads the schema once the change is visible,
        // and a registration since makes it derive again), this check the ones registered after.
        String stale;
        try (Transaction txn = store.begin()) {
            stale = opened.source().staleIn(txn);
        }
        if (stale != null) sub.fail(Dispatcher.sourceChanged(stale));
        return sub;
    }

    private boolean isLive(Principal principal) {
        return principal.keyId() == null || engine.keys().isLive(principal.keyId());
    }

    @Override
    public void close() {
        FeedReadAhead.Counts c = readAhead.counts();
        if (c.started() > 0) {
            log.info("feed read-ahead: {} pages read ahead, {} taken by their request, {} dropped, {} failed",
                    c.started(), c.taken(), c.dropped(), c.failed());
        }
        readAhead.close();
        dispatcher.close();
    }
}
