package io.eddy.stream;

import io.eddy.core.storage.Store;
import io.eddy.core.storage.StoreConfig;
import io.eddy.core.value.EventSourceValue;
import io.eddy.core.value.Value;
import io.eddy.fql.EngineConfig;
import io.eddy.fql.FqlEngine;
import io.eddy.fql.api.QueryOptions;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.TemplateNode;
import io.eddy.stream.event.Event;
import io.eddy.stream.live.EventEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/** A real store, engine and event streams in a temp folder. Events encode as "type|cursor|data". */
final class StreamFixture implements AutoCloseable {
    final Store store;
    final FqlEngine engine;
    final EventStreams streams;

    StreamFixture(Path dir, StreamConfig config) {
        this(dir, config, StreamFixture::encode, new byte[32]);
    }

    /** With a custom encoder and signing key (tokens survive a reopen only with the same key). */
    StreamFixture(Path dir, StreamConfig config, EventEncoder encoder, byte[] key) {
        this(dir, config, encoder, key, r -> Thread.ofVirtual().name("eddy-replay").start(r));
    }

    /** With the executor that runs each stream's replay (a test can hold replays back). */
    StreamFixture(Path dir, StreamConfig config, java.util.concurrent.Executor replays) {
        this(dir, config, StreamFixture::encode, new byte[32], replays);
    }

    /** With the store's minimum change-log history (the default keeps 24 hours), on the system clock. */
    StreamFixture(Path dir, StreamConfig config, Duration historyRetention) {
        this(dir, config, Clock.systemUTC(), historyRetention);
    }

    private StreamFixture(Path dir, StreamConfig config, EventEncoder encoder, byte[] key, java.util.concurrent.Executor replays) {
        this(StoreConfig.defaults(dir), config, encoder, key, replays);
    }

    /**
     * On {@code clock} (the store's commit times and history retention, the engine's {@code Time.now()}
     * and document expiry, the streams' evaluation time), keeping {@code history} of change log.
     */
    StreamFixture(Path dir, StreamConfig config, Clock clock, Duration history) {
        this(new StoreConfig(dir, history, 1024, clock, StoreConfig.DEFAULT_WAL_PREFETCH_BYTES), config,
                StreamFixture::encode, new byte[32], r -> Thread.ofVirtual().name("eddy-replay").start(r));
    }

    private StreamFixture(StoreConfig storeConfig, StreamConfig config, EventEncoder encoder, byte[] key,
                          java.util.concurrent.Executor replays) {
        store = Store.open(storeConfig);
        engine = new FqlEngine(store, new EngineConfig(key, storeConfig.clock()));
        streams = new EventStreams(store, engine, config, storeConfig.clock(), encoder,
                io.eddy.stream.live.DeliveryBatching.NONE, replays);
    }

    static byte[] encode(Event e) {
        String s = e.type().wire() + "|" + (e.cursor() == null ? "" : e.cursor()) + "|"
                + (e.error() != null ? e.error().code() : String.valueOf(e.data()));
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** As {@link #encode}, but an error event shows its message too: "error||code: message". */
    static byte[] encodeWithMessage(Event e) {
        if (e.error() == null) return encode(e);
        return ("error||" + e.error().code() + ": " + e.error().message()).getBytes(StandardCharsets.UTF_8);
    }

    Value ok(String fql) {
        return run(fql).data();
    }

    /** Runs a query that must succeed; the outcome carries its commit (or snapshot) time. */
    QueryOutcome.Success run(String fql) {
        QueryOutcome o = engine.execute(new QueryRequest(TemplateNode.Fql.of(fql), Map.of(), QueryOptions.defaults()));
        if (o instanceof QueryOutcome.Failure f) {
            throw new AssertionError(f.code() + ": " + f.message() + "\n" + f.summary() + "\nquery: " + fql);
        }
        return (QueryOutcome.Success) o;
    }

    String token(String fql) {
        return ((EventSourceValue) ok(fql)).token();
    }

    /** A clock that tests move forward by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant start) { now = start; }

        void advance(Duration d) { now = now.plus(d); }

        @Override public Instant instant() { return now; }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
    }

    @Override
    public void close() {
        streams.close();
        store.close();
    }
}
