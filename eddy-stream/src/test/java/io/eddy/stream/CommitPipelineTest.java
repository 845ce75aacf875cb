package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.changelog.CommittedTxn;
import io.eddy.core.storage.WriteFaults;
import io.eddy.fql.api.QueryOptions;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.TemplateNode;
import io.eddy.stream.LiveStreamTest.Collector;
import io.eddy.stream.live.Dispatcher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live path's overlap with the synced write: a commit's events are derived while it is written and
 * released only once it is durable. A listener registered after the dispatcher holds the commit thread
 * in {@code preparing} until the dispatcher has derived the batch, which forces the order the overlap is
 * for (the derivation finishing before the write) instead of leaving it to the machine's timing.
 */
class CommitPipelineTest {
    @TempDir Path dir;
    StreamFixture f;
    AutoCloseable gate;

    @AfterEach void close() throws Exception {
        if (gate != null) gate.close();
        if (f != null) f.close();
    }

    private Dispatcher dispatcher() { return f.streams.dispatcher(); }

    /** Holds every commit in {@code preparing} until the dispatcher has tried to derive it, then runs {@code meanwhile}. */
    private void holdEachWriteUntilDerived(Runnable meanwhile) {
        gate = f.store.changeLog().addListener(new ChangeLog.CommitListener() {
            @Override public void preparing(List<CommittedTxn> group) {
                long ts = group.getLast().txnTs();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (dispatcher().pipelineCounts().lastTriedWhileSyncingTs() < ts) {
                    if (System.nanoTime() > deadline) throw new AssertionError("the dispatcher did not derive " + ts);
                    Thread.onSpinWait();
                }
                meanwhile.run();
            }

            @Override public void committed(List<CommittedTxn> group) { }
        });
    }

    private Collector subscribe(String token) throws Exception {
        Collector c = new Collector();
        c.sub = f.streams.subscribe(f.streams.open(token, null, null, true), () -> { });
        c.awaitCount(1);
        return c;
    }

    @Test void eventsDerivedDuringTheWriteAreReleasedByTheCommitThreadOnceDurable() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Item' })");
        Collector c = subscribe(f.token("Item.where(.n >= 0).toStream()"));
        Dispatcher.PipelineCounts before = dispatcher().pipelineCounts();
        holdEachWriteUntilDerived(() -> { });
        for (int i = 0; i < 10; i++) f.ok("Item.create({ n: " + i + " })");
        c.awaitCount(11);
        Thread.sleep(50);
        c.drain();
        assertThat(c.types()).containsExactly("status", "add", "add", "add", "add", "add", "add", "add", "add", "add", "add");
        for (int i = 0; i < 10; i++) assertThat(c.lines.get(i + 1)).contains("n=" + i + "}");
        Dispatcher.PipelineCounts after = dispatcher().pipelineCounts();
        assertThat(after.speculated() - before.speculated()).isEqualTo(10);
        assertThat(after.releasedByCommitThread() - before.releasedByCommitThread()).isEqualTo(10);
        assertThat(after.rederived() - before.rederived()).isZero();
    }

    /**
     * A group commit whose synced write fails (RocksDB refuses it) after the dispatcher derived its
     * events: the events are dropped, never delivered, and the stream goes on with the next commit.
     */
    @Test void eventsOfAWriteThatFailsAreNeverDelivered() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Item' })");
        Collector c = subscribe(f.token("Item.where(.n >= 0).toStream()"));
        Dispatcher.PipelineCounts before = dispatcher().pipelineCounts();
        holdEachWriteUntilDerived(() -> { });
        createOneWhoseWriteFailsThenOne(c);
        Dispatcher.PipelineCounts after = dispatcher().pipelineCounts();
        assertThat(after.speculated() - before.speculated()).as("both derived during their write").isEqualTo(2);
        assertThat(after.releasedByCommitThread() - before.releasedByCommitThread()).isEqualTo(1);
    }

    /**
     * The other order: the write fails while the dispatcher is still deriving (a filter that takes a
     * while to evaluate, while RocksDB refuses the write at once): the dispatcher finds the batch
     * abandoned when it is done and drops it.
     */
    @Test void aWriteThatFailsWhileItsEventsAreDerivedIsNeverDelivered() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Item' })");
        Collector c = subscribe(f.token("Item.where(.n >= 0 && Set.sequence(0, 200000).count() > 0).toStream()"));
        createOneWhoseWriteFailsThenOne(c);
    }

    /**
     * Creates an item whose write RocksDB refuses, then one that commits: the stream {@code c} must
     * get the second one only (had the failed write's event been released, it would come first).
     */
    private void createOneWhoseWriteFailsThenOne(Collector c) throws Exception {
        try (WriteFaults faults = WriteFaults.install(f.store, g -> true)) {
            QueryOutcome failed = f.engine.execute(new QueryRequest(TemplateNode.Fql.of("Item.create({ n: 1 })"), Map.of(),
                    QueryOptions.defaults()));
            assertThat(failed).isInstanceOf(QueryOutcome.Failure.class);
            assertThat(faults.failed()).isEqualTo(1);
        }
        f.ok("Item.create({ n: 2 })");
        c.awaitCount(2);
        assertThat(c.types()).containsExactly("status", "add");
        assertThat(c.lines.get(1)).contains("n=2}");
    }

    /**
     * A derivation that reads (here: the document the same transaction creates) cannot run before the
     * commit is visible: it would see the database without it. It is done again once the commit is durable.
     */
    @Test void aDerivationThatReadsWaitsUntilTheCommitIsVisible() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Item' })");
        f.ok("Collection.create({ name: 'Label' })");
        Collector c = subscribe(f.token("Item.all().map(x => { n: x.n, label: Label.byId(x.label)!.text }).toStream()"));
        long fellBack = dispatcher().pipelineCounts().fellBack();
        holdEachWriteUntilDerived(() -> { });
        f.ok("let l = Label.create({ text: 'fresh' }); Item.create({ n: 1, label: l.id })");
        c.awaitCount(2);
        Thread.sleep(50);
        c.drain();
        assertThat(c.types()).containsExactly("status", "add");
        assertThat(c.lines.get(1)).contains("label=fresh");
        assertThat(dispatcher().pipelineCounts().fellBack()).isGreaterThan(fellBack);
    }

    /**
     * A stream registered while a commit is being written, after its events were derived, reads its
     * history only up to the commit before (the commit is not durable yet), so the commit must reach it
     * live: the batch is derived again for the new registry.
     */
    @Test void aStreamRegisteredDuringTheWriteGetsTheCommitLive() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Item' })");
        Collector first = subscribe(f.token("Item.all().toStream()"));
        String lateToken = f.token("Item.where(.n == 1).toStream()");
        CountDownLatch derived = new CountDownLatch(1), registered = new CountDownLatch(1);
        holdEachWriteUntilDerived(() -> {
            derived.countDown();
            await(registered);
        });
        long rederived = dispatcher().pipelineCounts().rederived();
        Thread writer = Thread.ofPlatform().start(() -> f.ok("Item.create({ n: 1 })"));
        await(derived);
        Collector late = subscribe(lateToken);
        registered.countDown();
        writer.join();
        late.awaitCount(2);
        first.awaitCount(2);
        Thread.sleep(100);
        late.drain();
        first.drain();
        assertThat(late.types()).containsExactly("status", "add");
        assertThat(first.types()).containsExactly("status", "add");
        assertThat(dispatcher().pipelineCounts().rederived()).isGreaterThan(rederived);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("timed out");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

}
