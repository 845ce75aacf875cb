package io.eddy.fql;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.storage.Store;
import io.eddy.core.storage.StoreConfig;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.Value;
import io.eddy.fql.api.QueryOptions;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.TemplateNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code contended_transaction}: a conflict on every attempt exhausts {@code X-Max-Contention-Retries}
 * and ends in a 409 that wrote nothing, on the blocking and the asynchronous path alike.
 *
 * <p>The conflict is forced, not hoped for: the engine reads its clock once per attempt, after the
 * attempt's transaction has taken its snapshot and before the query reads anything. While armed, the
 * clock increments the counter in a query of its own, so each attempt of the query under test reads
 * a counter that was overwritten after its snapshot. (If the engine ever read its clock elsewhere,
 * these tests would fail, not pass vacuously: they assert the 409 and the count of rival writes.)
 */
class ContentionTest {
    private static final String INCREMENT = "let c = Counter.byId('1')!; c.update({ n: c.n + 1 }).n";

    @TempDir Path dir;
    Store store;
    FqlEngine engine;
    /** Writes the conflicting increment when read while armed; counts them. */
    final RivalWriterClock clock = new RivalWriterClock();

    @BeforeEach
    void open() {
        store = Store.open(StoreConfig.defaults(dir));
        engine = new FqlEngine(store, new EngineConfig(new byte[32], clock));
        assertThat(run(QueryOptions.defaults(), "Collection.create({ name: 'Counter' })")).isInstanceOf(QueryOutcome.Success.class);
        assertThat(run(QueryOptions.defaults(), "Counter.create({ id: '1', n: 0 })")).isInstanceOf(QueryOutcome.Success.class);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private QueryOutcome run(QueryOptions options, String fql) {
        return engine.execute(new QueryRequest(TemplateNode.Fql.of(fql), Map.of(), options));
    }

    private static QueryOptions retries(int n) {
        QueryOptions d = QueryOptions.defaults();
        return new QueryOptions(d.timeout(), d.lastTxnTs(), d.linearized(), d.typecheck(), d.queryTags(), n, d.performanceHints());
    }

    private long counter() {
        Value n = ((QueryOutcome.Success) run(QueryOptions.defaults(), "Counter.byId('1')!.n")).data();
        return n instanceof IntValue i ? i.value() : ((LongValue) n).value();
    }

    private static void assertContended(QueryOutcome outcome, int retries) {
        assertThat(outcome).isInstanceOf(QueryOutcome.Failure.class);
        QueryOutcome.Failure f = (QueryOutcome.Failure) outcome;
        assertThat(f.httpStatus()).isEqualTo(409);
        assertThat(f.code()).isEqualTo("contended_transaction");
        assertThat(f.message()).startsWith("Transaction was aborted due to detection of concurrent modifications");
        assertThat(f.stats().contentionRetries()).as("retries made before giving up").isEqualTo(retries);
    }

    @Test
    void aConflictOnEveryAttemptExhaustsTheRetriesAndWritesNothing() {
        for (int allowed : new int[] {0, 3, 7}) {
            long before = counter();
            clock.arm();
            QueryOutcome outcome = run(retries(allowed), INCREMENT);
            int rivals = clock.disarm();
            assertContended(outcome, allowed);
            assertThat(rivals).as("one attempt, then " + allowed + " retries, each beaten by a rival").isEqualTo(allowed + 1);
            assertThat(counter()).as("only the rivals' increments are there").isEqualTo(before + rivals);
        }
    }

    @Test
    void theAsynchronousPathGivesUpTheSameWay() throws Exception {
        long before = counter();
        clock.arm();
        QueryOutcome outcome;
        try (ExecutorService light = Executors.newSingleThreadExecutor();
             ExecutorService heavy = Executors.newVirtualThreadPerTaskExecutor()) {
            outcome = engine.executeAsync(new QueryRequest(TemplateNode.Fql.of(INCREMENT), Map.of(), retries(2)), light, heavy)
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        int rivals = clock.disarm();
        assertContended(outcome, 2);
        assertThat(rivals).isEqualTo(3);
        assertThat(counter()).isEqualTo(before + 3);
    }

    @Test
    void aConflictOnlyOnTheFirstAttemptIsRetriedAndCommits() {
        long before = counter();
        clock.armOnce();
        QueryOutcome outcome = run(retries(1), INCREMENT);
        assertThat(clock.disarm()).isEqualTo(1);
        assertThat(outcome).isInstanceOf(QueryOutcome.Success.class);
        assertThat(outcome.stats().contentionRetries()).isEqualTo(1);
        assertThat(counter()).as("the rival's increment and the retried one").isEqualTo(before + 2);
    }

    /** A UTC system clock that, while armed, commits a rival increment each time it is read. */
    final class RivalWriterClock extends Clock {
        private final AtomicInteger rivals = new AtomicInteger();
        private volatile int remaining;
        /** The rival's own query reads the clock too: it must not start another rival. */
        private final ThreadLocal<Boolean> inRival = ThreadLocal.withInitial(() -> false);

        void arm() { rivals.set(0); remaining = Integer.MAX_VALUE; }

        void armOnce() { rivals.set(0); remaining = 1; }

        /** Stops the rivals; returns how many committed since arming. */
        int disarm() {
            remaining = 0;
            return rivals.get();
        }

        @Override
        public Instant instant() {
            if (remaining > 0 && !inRival.get()) {
                remaining--;
                inRival.set(true);
                try {
                    assertThat(run(QueryOptions.defaults(), INCREMENT)).as("the rival commits").isInstanceOf(QueryOutcome.Success.class);
                    rivals.incrementAndGet();
                } finally {
                    inRival.set(false);
                }
            }
            return Instant.now();
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException(); }
    }
}
