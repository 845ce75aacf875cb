package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.value.DocumentValue;
import io.eddy.stream.event.EventType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a write costs the live path (ARCHITECTURE.md, "Live dispatch"): it is derived only for the
 * subscription groups routing finds for it, not for every open stream, and the subscribers of one
 * token share one derivation and one encoding of each event (the very same bytes). Counted through the
 * dispatcher's derivation count and an encoder that counts what it encodes.
 */
class DispatchCostTest {
    @TempDir Path dir;
    StreamFixture f;
    final AtomicLong encodedDataEvents = new AtomicLong();
    final List<LiveStreamTest.Collector> bystanders = new ArrayList<>();
    final List<LiveStreamTest.Collector> hot = new ArrayList<>();

    @AfterEach void close() { if (f != null) f.close(); }

    private LiveStreamTest.Collector subscribe(String token) throws Exception {
        LiveStreamTest.Collector c = new LiveStreamTest.Collector();
        c.sub = f.streams.subscribe(f.streams.open(token, null, null, true), () -> { });
        c.awaitCount(1);
        return c;
    }

    private long derivations() {
        return f.streams.dispatcher().pipelineCounts().derivations();
    }

    /** Writes a document every hot subscriber sees, and waits until each has it: earlier commits are dispatched. */
    private void sentinel(int n) throws Exception {
        f.ok("Item.create({ kind: 'hot', n: " + n + " })");
        for (LiveStreamTest.Collector c : hot) c.awaitCount(1 + n);
    }

    @Test void aWriteIsDerivedOnlyForItsCandidateGroupsAndOncePerToken() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults(), e -> {
            if (e.type() != EventType.STATUS && e.type() != EventType.ERROR) encodedDataEvents.incrementAndGet();
            return StreamFixture.encode(e);
        }, new byte[32]);
        f.ok("Collection.create({ name: 'Item', indexes: { byKind: { terms: [{ field: '.kind' }] } } })");
        f.ok("Collection.create({ name: 'Other' })");
        List<String> docIds = new ArrayList<>();
        for (int i = 0; i < 10; i++) docIds.add(((DocumentValue) f.ok("Item.create({ kind: 'solo', n: " + i + " })")).id());
        // 61 groups beside the hot one, each routed by something else: index terms, document ids, a
        // leading field equality, another collection.
        for (int i = 0; i < 30; i++) bystanders.add(subscribe(f.token("Item.byKind('k" + i + "').toStream()")));
        for (String id : docIds) bystanders.add(subscribe(f.token("Set.single(Item.byId('" + id + "')).toStream()")));
        for (int i = 0; i < 20; i++) bystanders.add(subscribe(f.token("Item.where(.color == 'c" + i + "' && .n > 0).toStream()")));
        bystanders.add(subscribe(f.token("Other.all().toStream()")));
        String hotToken = f.token("Item.byKind('hot').toStream()");
        for (int i = 0; i < 5; i++) hot.add(subscribe(hotToken));
        assertThat(f.streams.dispatcher().subscriptionCount()).isEqualTo(66);

        long derived = derivations(), encoded = encodedDataEvents.get();
        sentinel(1);
        assertThat(derivations() - derived).as("derivations of one write to the hot token's five streams").isEqualTo(1);
        assertThat(encodedDataEvents.get() - encoded).as("encodings").isEqualTo(1);

        // Writes that concern no open stream cost no derivation; one that concerns one group costs one.
        derived = derivations();
        encoded = encodedDataEvents.get();
        f.ok("Item.create({ kind: 'nobody', n: 0 })");
        f.ok("Item.create({ kind: 'nobody', color: 'c3', n: 0 })"); // routed to `.color == 'c3'`, filtered out by `.n > 0`
        f.ok("Item.create({ kind: 'k7', n: 0 })");
        f.ok("Item.byId('" + docIds.get(4) + "')!.update({ n: 40 })");
        f.ok("Other.create({ n: 0 })");
        sentinel(2);
        assertThat(derivations() - derived).as("c3, k7, the single document, Other and the sentinel").isEqualTo(5);
        assertThat(encodedDataEvents.get() - encoded).as("k7, the single document, Other and the sentinel").isEqualTo(4);
        int withEvents = 0;
        for (LiveStreamTest.Collector c : bystanders) {
            c.drain();
            if (c.lines.size() > 1) withEvents++;
        }
        assertThat(withEvents).isEqualTo(3);
    }

    /** The subscribers of one token are handed the same encoded bytes, not copies. */
    @Test void subscribersOfOneTokenShareTheEncodedEvent() throws Exception {
        f = new StreamFixture(dir, StreamConfig.defaults(), e -> {
            if (e.type() != EventType.STATUS && e.type() != EventType.ERROR) encodedDataEvents.incrementAndGet();
            return StreamFixture.encode(e);
        }, new byte[32]);
        f.ok("Collection.create({ name: 'Item', indexes: { byKind: { terms: [{ field: '.kind' }] } } })");
        String token = f.token("Item.byKind('hot').toStream()");
        List<io.eddy.stream.live.Subscription> subs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            io.eddy.stream.live.Subscription s = f.streams.subscribe(f.streams.open(token, null, null, true), () -> { });
            subs.add(s);
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        for (io.eddy.stream.live.Subscription s : subs) assertThat(s.poll()).isNotNull(); // status
        long encoded = encodedDataEvents.get();
        f.ok("Item.create({ kind: 'hot', n: 1 })");
        List<byte[]> got = new ArrayList<>();
        for (io.eddy.stream.live.Subscription s : subs) {
            byte[] b;
            while ((b = s.poll()) == null) {
                if (System.nanoTime() > deadline) throw new AssertionError("no event");
                Thread.sleep(5);
            }
            got.add(b);
        }
        assertThat(encodedDataEvents.get() - encoded).isEqualTo(1);
        for (byte[] b : got) assertThat(b).isSameAs(got.getFirst());
        subs.forEach(io.eddy.stream.live.Subscription::close);
    }
}
