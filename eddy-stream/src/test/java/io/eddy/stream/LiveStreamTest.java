package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.stream.live.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live subscriptions: replay then live without gap or duplicate, overflow, heartbeats. */
class LiveStreamTest {
    @TempDir Path dir;
    StreamFixture f;

    @AfterEach void close() { if (f != null) f.close(); }

    /** Collects polled events; polls on demand so tests control consumption. */
    static final class Collector {
        final List<String> lines = new ArrayList<>();
        Subscription sub;

        void drain() {
            for (byte[] b = sub.poll(); b != null; b = sub.poll()) lines.add(new String(b, StandardCharsets.UTF_8));
        }

        List<String> types() {
            return lines.stream().map(l -> l.substring(0, l.indexOf('|'))).toList();
        }

        void awaitCount(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                drain();
                if (lines.size() >= n) return;
                Thread.sleep(5);
            }
            throw new AssertionError("expected " + n + " events, got " + lines);
        }
    }

    private Collector subscribe(String token, String cursor) throws Exception {
        Collector c = new Collector();
        c.sub = f.streams.subscribe(f.streams.open(token, cursor, null, true), () -> { });
        return c;
    }

    @Test void replaysHistoryThenGoesLiveWithoutGapOrDuplicate() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Item' })");
        String token = f.token("Item.all().toStream()");
        f.ok("Set.sequence(0, 50).forEach(i => Item.create({ n: i }))");
        Collector c = subscribe(token, null);
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 50; i < 100; i++) f.ok("Item.create({ n: " + i + " })");
        });
        writer.join();
        c.awaitCount(101);
        Thread.sleep(50);
        c.drain();
        assertThat(c.types().get(0)).isEqualTo("status");
        assertThat(c.types().subList(1, c.lines.size())).hasSize(100).allMatch("add"::equals);
        for (int i = 0; i < 100; i++) assertThat(c.lines.get(i + 1)).contains("n=" + i + "}");
        c.sub.close();
    }

    /**
     * A replay that starts late (held back here, as thousands of streams opened at once wait for the
     * replay threads) reads only the history before its stream was registered: what is written after
     * arrives live, and the replay does not read it too.
     */
    @Test void aLateReplayReadsOnlyWhatWasWrittenBeforeRegistration() throws Exception {
        List<Runnable> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        f = new StreamFixture(dir, StreamConfig.defaults(), held::add);
        f.ok("Collection.create({ name: 'Item' })");
        String token = f.token("Item.where(.n == -1).toStream()");
        f.ok("Item.create({ n: -1, at: 'before' })");
        Collector c = subscribe(token, null);
        long scannedBefore = f.streams.logRecordsScanned();
        for (int i = 0; i < 20; i++) f.ok("Set.sequence(0, 100).forEach(i => Item.create({ n: i }))");
        f.ok("Item.create({ n: -1, at: 'after' })");
        assertThat(held).hasSize(1);
        held.forEach(r -> Thread.ofVirtual().start(r));
        c.awaitCount(3);
        Thread.sleep(50);
        c.drain();
        assertThat(c.types()).containsExactly("status", "add", "add");
        assertThat(c.lines.get(1)).contains("at=before");
        assertThat(c.lines.get(2)).contains("at=after");
        assertThat(f.streams.logRecordsScanned() - scannedBefore)
                .as("records the replay read, of the 2,002 written").isLessThan(10);
        c.sub.close();
    }

    /**
     * The seed's way to follow one document, {@code Product.where(.id == 390896421523423744)}, and the
     * same filter with the id as a string are routed by the id's text: both get that document's events
     * live, and nothing of the documents written around them (each stream's last expected event comes
     * after every other write, so anything misrouted would show before it).
     */
    @Test void aStreamOnOneIdGetsItsDocumentWhetherTheIdIsANumberOrAString() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Product' })");
        f.ok("Product.create({ id: '390896421523423744', stock: 20 })");
        f.ok("Product.create({ id: '12', stock: 5 })");
        Collector byNumber = subscribe(f.token("Product.where(.id == 390896421523423744).toStream()"), null);
        Collector byString = subscribe(f.token("Product.where(.id == '390896421523423744').toStream()"), null);
        Collector bySmallNumber = subscribe(f.token("Product.where(.id == 12 && .stock > 0).toStream()"), null);
        f.ok("Product.byId(12)!.update({ stock: 4 })");
        f.ok("Product.byId('390896421523423744')!.update({ stock: 19 })");
        f.ok("Product.create({ stock: 1 })");
        f.ok("Product.byId(12)!.update({ stock: 3 })");
        f.ok("Product.byId(390896421523423744)!.delete()");
        for (Collector c : List.of(byNumber, byString)) {
            c.awaitCount(3);
            assertThat(c.types()).containsExactly("status", "update", "remove");
            assertThat(c.lines.get(1)).contains("390896421523423744").contains("stock=19");
            c.sub.close();
        }
        bySmallNumber.awaitCount(3);
        assertThat(bySmallNumber.types()).containsExactly("status", "update", "update");
        assertThat(bySmallNumber.lines.get(1)).contains("stock=4");
        assertThat(bySmallNumber.lines.get(2)).contains("stock=3");
        bySmallNumber.sub.close();
    }

    @Test void resumingFromACursorYieldsExactlyTheRest() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Item' })");
        String token = f.token("Item.all().toStream()");
        f.ok("Set.sequence(0, 10).forEach(i => Item.create({ n: i }))");
        Collector c = subscribe(token, null);
        c.awaitCount(11);
        String cursor = c.lines.get(5).split("\\|")[1]; // the add of n=4
        c.sub.close();
        Collector resumed = subscribe(token, cursor);
        resumed.awaitCount(6);
        Thread.sleep(100);
        resumed.drain();
        assertThat(resumed.lines).hasSize(6);
        assertThat(resumed.lines.get(1)).contains("n=5}");
        assertThat(resumed.lines.get(5)).contains("n=9}");
        resumed.sub.close();
    }

    @Test void aSlowConsumerOverflowsAndLosesNothingOnResume() throws Exception {
        f = new StreamFixture(dir, new StreamConfig(8, 65_536, Duration.ofMinutes(5), 0, 1024));
        f.ok("Collection.create({ name: 'Item' })");
        String token = f.token("Item.all().toStream()");
        Collector c = subscribe(token, null);
        c.awaitCount(1); // status; replay finds nothing and the stream goes live
        Thread.sleep(100);
        for (int i = 0; i < 40; i++) f.ok("Item.create({ n: " + i + " })");
        Thread.sleep(1000); // let the dispatcher deliver; the consumer reads nothing meanwhile
        c.drain();
        assertThat(c.types()).last().isEqualTo("error");
        assertThat(c.lines.getLast()).endsWith("stream_overflow");
        assertThat(c.lines.size()).isLessThanOrEqualTo(1 + 8 + 1);
        String last = c.lines.get(c.lines.size() - 2).split("\\|")[1];
        Collector resumed = subscribe(token, last);
        int got = c.lines.size() - 2;
        resumed.awaitCount(1 + 40 - got);
        assertThat(resumed.lines.get(1)).contains("n=" + got + "}");
        resumed.sub.close();
    }

    /**
     * Regression: when replay finished with the client's queue almost full, {@code goLive} queued some
     * pending live events, found the queue full, and returned false; replay then re-read from its own
     * position and queued those events a second time.
     */
    @Test void goingLiveWithAnAlmostFullQueueNeitherDuplicatesNorLoses() throws Exception {
        f = new StreamFixture(dir, new StreamConfig(4, 65_536, Duration.ofMinutes(5), 0, 1024));
        f.ok("Collection.create({ name: 'Item' })");
        String token = f.token("Item.all().toStream()");
        for (int i = 0; i < 4; i++) f.ok("Item.create({ n: " + i + " })");
        Collector c = subscribe(token, null);
        Thread.sleep(300); // replay has queued status, n=0, n=1, n=2 (the queue is full) and waits to queue n=3
        for (int i = 4; i < 7; i++) f.ok("Item.create({ n: " + i + " })");
        Thread.sleep(300); // the dispatcher has handed n=4..6 to the replaying subscription (pending)
        synchronized (c.sub) {
            // Make room for two at once: replay queues n=3, then goes live with room for one pending event.
            c.lines.add(new String(c.sub.poll(), StandardCharsets.UTF_8));
            c.lines.add(new String(c.sub.poll(), StandardCharsets.UTF_8));
        }
        Thread.sleep(300); // replay queues n=3 and goes live before the client reads on
        c.awaitCount(8);
        Thread.sleep(200);
        c.drain();
        assertThat(c.types()).containsExactly("status", "add", "add", "add", "add", "add", "add", "add");
        for (int i = 0; i < 7; i++) assertThat(c.lines.get(i + 1)).contains("n=" + i + "}");
        c.sub.close();
    }

    @Test void idleStreamsSendStatusHeartbeats() throws Exception {
        f = new StreamFixture(dir, new StreamConfig(64, 1024, Duration.ofMillis(100), 0, 1024));
        f.ok("Collection.create({ name: 'Item' })");
        Collector c = subscribe(f.token("Item.all().toStream()"), null);
        c.awaitCount(3);
        assertThat(c.types()).containsOnly("status");
        c.sub.close();
    }

    /**
     * A heartbeat names the position the dispatcher has processed, so after writes the stream's filter
     * rejected its cursor moves past them (a client resuming from it does not read them again), and
     * resuming from it yields the next matching change.
     */
    @Test void heartbeatsAdvancePastWritesTheFilterRejected() throws Exception {
        f = new StreamFixture(dir, new StreamConfig(64, 1024, Duration.ofMillis(100), 0, 1024));
        f.ok("Collection.create({ name: 'Item' })");
        String token = f.token("Item.where(.n == 1).toStream()");
        Collector c = subscribe(token, null);
        c.awaitCount(1);
        long rejected = 0;
        for (int i = 2; i < 5; i++) rejected = f.run("Item.create({ n: " + i + " })").txnTs();
        io.eddy.core.changelog.LogPosition past = io.eddy.core.changelog.LogPosition.endOf(rejected);
        assertThat(position(c.lines.getFirst())).as("the first status is the token's creation").isLessThan(past);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (position(c.lines.getLast()).compareTo(past) < 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("no heartbeat past the rejected writes: " + c.lines);
            Thread.sleep(10);
            c.drain();
        }
        assertThat(c.types()).containsOnly("status");
        assertThat(position(c.lines.getLast())).isEqualTo(past);
        String heartbeat = c.lines.getLast().split("\\|")[1];
        c.sub.close();

        Collector resumed = subscribe(token, heartbeat);
        f.ok("Item.create({ n: 1 })");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!resumed.types().contains("add")) {
            if (System.nanoTime() > deadline) throw new AssertionError("no add after resuming: " + resumed.lines);
            Thread.sleep(10);
            resumed.drain();
        }
        // (heartbeats may come in between: this stream is idle too)
        List<String> data = resumed.lines.stream().filter(l -> !l.startsWith("status|")).toList();
        assertThat(data).hasSize(1);
        assertThat(data.getFirst()).startsWith("add|").contains("n=1}");
        resumed.sub.close();
    }

    private static io.eddy.core.changelog.LogPosition position(String line) {
        return io.eddy.stream.event.EventCursor.decode(line.split("\\|")[1]);
    }

    @Test void replayLimitStopsLongReplays() throws Exception {
        f = new StreamFixture(dir, new StreamConfig(1024, 1024, Duration.ofMinutes(5), 5, 1024));
        f.ok("Collection.create({ name: 'Item' })");
        String token = f.token("Item.all().toStream()");
        f.ok("Set.sequence(0, 10).forEach(i => Item.create({ n: i }))");
        Collector c = subscribe(token, null);
        c.awaitCount(7);
        assertThat(c.lines.get(6)).endsWith("stream_replay_volume_exceeded");
    }

    /**
     * A stream opened with a key's secret ends with permission_loss when the key is deleted, after the
     * events committed before; and a stream whose key is already gone when it registers ends at once
     * (the window between authentication and registration).
     */
    @Test void deletingTheKeyEndsItsStreams() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Item' })");
        String token = f.token("Item.all().toStream()");
        String secret = ((io.eddy.core.value.StringValue) ((io.eddy.core.value.DocumentValue) f.ok("Key.create({ role: 'server' })"))
                .data().get("secret")).value();
        io.eddy.fql.api.Principal key = f.engine.keys().authenticate(secret);
        Collector byKey = new Collector();
        byKey.sub = f.streams.subscribe(f.streams.open(token, null, null, true), () -> { }, key);
        Collector byRoot = subscribe(token, null);
        byKey.awaitCount(1);
        f.ok("Item.create({ n: 1 })");
        byKey.awaitCount(2);
        f.ok("Item.create({ n: 2 }); Key.byId('" + key.keyId() + "')!.delete(); Item.create({ n: 3 })");
        byKey.awaitCount(4);
        byRoot.awaitCount(4);
        assertThat(byKey.types()).containsExactly("status", "add", "add", "error");
        assertThat(byKey.lines.get(3)).endsWith("permission_loss");
        assertThat(byKey.sub.isDone()).isTrue();
        assertThat(byRoot.types()).containsExactly("status", "add", "add", "add");

        Collector late = new Collector();
        late.sub = f.streams.subscribe(f.streams.open(token, null, null, true), () -> { }, key);
        late.awaitCount(2);
        assertThat(late.types()).containsExactly("status", "error");
        assertThat(late.lines.get(1)).endsWith("permission_loss");
    }

    /** A key that expires ends the streams it opened with permission_loss (checked every second). */
    @Test void anExpiringKeyEndsItsStreams() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults());
        f.ok("Collection.create({ name: 'Item' })");
        String token = f.token("Item.all().toStream()");
        String secret = ((io.eddy.core.value.StringValue) ((io.eddy.core.value.DocumentValue)
                f.ok("Key.create({ role: 'server', ttl: Time.now().add(2, 'seconds') })")).data().get("secret")).value();
        io.eddy.fql.api.Principal key = f.engine.keys().authenticate(secret);
        assertThat(key).isNotNull();
        Collector byKey = new Collector();
        byKey.sub = f.streams.subscribe(f.streams.open(token, null, null, true), () -> { }, key);
        f.ok("Item.create({ n: 1 })");
        byKey.awaitCount(3);
        assertThat(byKey.types()).containsExactly("status", "add", "error");
        assertThat(byKey.lines.get(2)).endsWith("permission_loss");
        assertThat(f.engine.keys().authenticate(secret)).isNull();
    }
}
