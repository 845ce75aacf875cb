package io.eddy.stream;

import io.eddy.core.changelog.LogPosition;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventCursor;
import io.eddy.stream.event.EventType;
import io.eddy.stream.feed.FeedPage;
import io.eddy.stream.live.Subscription;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded randomized property test of event derivation, feeds and live streams against a plain-Java
 * reference model.
 *
 * <p>A random workload of single- and multi-document transactions runs against a collection
 * {@code Item} (index {@code byKind}: term {@code .kind}, value {@code .score}), some of them also creating
 * documents of a collection {@code Noise}, whose records sit among Item's in the log; event sources of every
 * streamable shape are created at random points. The model keeps the documents, computes each
 * transaction's change records (net effect per document, ordinal = order of first write) and, per
 * Fauna's rules, the events each source must produce: those of the records after the token's creation.
 * For each source the test checks: the feed from the token's creation (random page sizes); a feed polled
 * incrementally during the workload; a live subscription opened at creation; subscriptions resumed from
 * random cursors during the workload (their replay racing live writes); and, at the end, a feed and a
 * stream resumed from a random event's cursor. Feeds also start from {@code start_ts}. One source shape aborts on some documents: its error events
 * must sit at their change's position in feeds (which resume after them) and end streams.
 *
 * <p>Three modes: large subscriber queues, where every stream must deliver exactly the model's events
 * after its status event; tiny queues with clients reading in bursts, which overflow and reconnect from
 * their last cursor (also dropping connections now and then, and resuming from heartbeat status
 * cursors); and a writer thread running the workload while the test thread creates tokens, polls feeds
 * and opens, reads and reconnects streams concurrently.
 *
 * <p>Model choice to note: under {@code changesOn(.score)} an update that moves a document into or out
 * of the set (e.g. {@code kind} a to b for {@code Item.byKind('b').changesOn(.score)}) emits nothing
 * unless the score changed too: "updates only when a watched field changed" is applied to the write,
 * not to the resulting event type. This is what EventDeriver does; Fauna's exact rule is unverified.
 *
 * <p>{@code -Dseed=N} replays a run (the seed is printed and is in every failure message; the concurrent
 * mode is not deterministic beyond its workload); {@code -Dstream.steps=N} lengthens it.
 */
class StreamPropertyTest {
    private static final String[] KINDS = {"a", "b", "c"};
    private static final int SCORES = 10, TAGS = 5, MAX_DOCS = 40;

    enum Mode { EXACT, SLOW_CLIENTS, CONCURRENT }

    @TempDir Path dir;

    private static long seed() {
        return Long.getLong("seed", new SecureRandom().nextLong());
    }

    private static int steps() {
        return Integer.getInteger("stream.steps", 300);
    }

    /** Large subscriber queues: every stream must deliver exactly the model's events after its first status. */
    @Test void eventsMatchTheReferenceModel() throws Exception {
        new Run(dir, seed(), steps(), Mode.EXACT).run();
    }

    /**
     * Tiny subscriber queues and clients that read in random bursts: replay waits for room, live
     * delivery overflows ({@code stream_overflow}), and each client reconnects from its last cursor (data
     * or status event, as the drivers do). Across reconnections every client must see exactly the
     * model's events.
     */
    @Test void slowClientsResumingAfterOverflowSeeEveryEventOnce() throws Exception {
        new Run(dir, seed(), steps(), Mode.SLOW_CLIENTS).run();
    }

    /** A writer thread commits while tokens are created, feeds polled and streams opened and read. */
    @Test void concurrentReadersSeeEveryEventOnce() throws Exception {
        new Run(dir, seed(), steps(), Mode.CONCURRENT).run();
    }

    // ---- reference model -------------------------------------------------------------------------------

    /** A document version: {@code ts} is the commit time of the transaction that wrote it. */
    record MDoc(String id, long ts, String kind, int score, int tag) {
        ObjectValue data() {
            Map<String, Value> m = new LinkedHashMap<>();
            m.put("kind", new StringValue(kind));
            m.put("score", new IntValue(score));
            m.put("tag", new IntValue(tag));
            return new ObjectValue(m);
        }

        DocumentValue value() { return new DocumentValue("Item", id, ts, data()); }
    }

    /** One change-log record as the model expects it. */
    record MRec(LogPosition pos, MDoc before, MDoc after) {}

    /** An event, reduced to what is compared. */
    record Ev(EventType type, LogPosition pos, Value data) {
        static Ev of(Event e) { return new Ev(e.type(), e.position(), e.isError() ? new StringValue(e.error().code()) : e.data()); }

        @Override public String toString() {
            return type.wire() + "@" + (pos == null ? "-" : pos.txnTs() + "/" + pos.ordinal()) + " " + data;
        }
    }

    enum Kind { ALL, INDEX, SINGLE }

    /** What the source makes of a document: itself, {@code { kind, score }}, its score, or its score unless >= 8 (abort). */
    enum Shape { DOC, PROJECT, MAP_SCORE, MAP_SCORE_OR_ABORT }

    /** The model's {@code abort('high')}. */
    static final class ModelAbort extends RuntimeException {
        ModelAbort() { super(null, null, false, false); }
    }

    /** An event source as the model sees it. */
    record MSource(String fql, Kind kind, String term, String singleId, Predicate<MDoc> where, Shape shape, boolean watchScore) {
        boolean contains(MDoc d) {
            if (d == null) return false;
            return switch (kind) {
                case ALL -> true;
                case INDEX -> d.kind().equals(term);
                case SINGLE -> d.id().equals(singleId);
            };
        }

        Value shape(MDoc d) {
            if (!where.test(d)) return null;
            return switch (shape) {
                case DOC -> d.value();
                case PROJECT -> {
                    Map<String, Value> m = new LinkedHashMap<>();
                    m.put("kind", new StringValue(d.kind()));
                    m.put("score", new IntValue(d.score()));
                    yield new ObjectValue(m);
                }
                case MAP_SCORE -> new IntValue(d.score());
                case MAP_SCORE_OR_ABORT -> {
                    if (d.score() >= 8) throw new ModelAbort();
                    yield new IntValue(d.score());
                }
            };
        }

        /** Fauna's rules, written independently of EventDeriver. */
        Ev derive(MRec r) {
            boolean inB = contains(r.before()), inA = contains(r.after());
            if (!inB && !inA) return null;
            if (r.before() != null && r.after() != null) {
                boolean kindChanged = !r.before().kind().equals(r.after().kind());
                boolean scoreChanged = r.before().score() != r.after().score();
                // index sources: only changes to covered fields (term .kind, value .score) count
                if (kind == Kind.INDEX && inB && inA && !kindChanged && !scoreChanged) return null;
                // changesOn(.score): updates only when the score changed
                if (watchScore && !scoreChanged) return null;
            }
            // (creates and deletes under changesOn(.score) always qualify: every document has a score)
            Value b, a;
            try {
                b = inB ? shape(r.before()) : null;
                a = inA ? shape(r.after()) : null;
            } catch (ModelAbort e) {
                return new Ev(EventType.ERROR, r.pos(), new StringValue("abort"));
            }
            if (a != null && b != null) return new Ev(EventType.UPDATE, r.pos(), a);
            if (a != null) return new Ev(EventType.ADD, r.pos(), a);
            if (b != null) return new Ev(EventType.REMOVE, r.pos(), b);
            return null;
        }
    }

    /** One write of a generated transaction. {@code handle}: "id:123" (existing) or "var:w3" (created here). */
    record Write(char op, String handle, String kind, Integer score, Integer tag) {}

    /** Marks another collection's document among a transaction's first writes. */
    private static final MDoc NOISE = new MDoc("noise", 0, "", 0, 0);

    // ---- the run ---------------------------------------------------------------------------------------

    private static final class Run {
        final Path dir;
        final long seed;
        final int steps;
        final Mode mode;
        /** Drives the clients: page sizes, reads, reconnections, resume points (timing-dependent use). */
        final Random rnd;
        /** Drives the workload: transactions and, when sequential, the steps and new sources (replayable). */
        final Random wrnd;
        /** Drives new sources. */
        final Random srnd;
        final Map<Integer, Event> registry = new ConcurrentHashMap<>();
        final AtomicInteger nextEventId = new AtomicInteger();
        /** Writer-owned document state. */
        final Map<String, MDoc> docs = new LinkedHashMap<>();
        /** Ids of live documents, published by the writer after each transaction. */
        volatile List<String> liveIds = List.of();
        /** Every change record of the workload, in log order. */
        final List<MRec> log = new CopyOnWriteArrayList<>();
        final List<Src> sources = new ArrayList<>();
        final List<LiveCheck> lives = new ArrayList<>();
        StreamFixture f;
        volatile int step;
        long txns, reconnects, fromHeartbeat;

        Run(Path dir, long seed, int steps, Mode mode) {
            this.dir = dir;
            this.seed = seed;
            this.steps = steps;
            this.mode = mode;
            // the modes explore different runs of one seed
            long mixed = seed ^ (0x9E3779B97F4A7C15L * (mode.ordinal() + 1));
            this.rnd = new Random(~mixed);
            this.wrnd = new Random(mixed);
            this.srnd = mode == Mode.CONCURRENT ? rnd : wrnd;
        }

        boolean reconnecting() { return mode != Mode.EXACT; }

        /** A source under test and its incremental feed poller. */
        final class Src {
            final MSource model;
            final String token;
            final LogPosition created;
            String pollCursor;
            final List<Ev> polled = new ArrayList<>();
            List<Ev> expected;

            Src(MSource model, String token, LogPosition created) {
                this.model = model;
                this.token = token;
                this.created = created;
            }

            /** The model's events for this source among the records logged so far. */
            List<Ev> expectedSoFar() {
                List<Ev> out = new ArrayList<>();
                for (MRec r : log) {
                    if (r.pos().compareTo(created) <= 0) continue;
                    Ev e = model.derive(r);
                    if (e != null) out.add(e);
                }
                return out;
            }

            /** The events a feed returns after {@code p}. */
            List<Ev> after(LogPosition p) {
                return expected.stream().filter(e -> e.pos().compareTo(p) > 0).toList();
            }

            /** The events a stream delivers after {@code p}: an error event ends it. */
            List<Ev> streamAfter(LogPosition p) {
                List<Ev> out = new ArrayList<>();
                for (Ev e : after(p)) {
                    out.add(e);
                    if (e.type() == EventType.ERROR) break;
                }
                return out;
            }
        }

        /**
         * A client of a live stream: the events it must deliver after its first status event. When
         * reconnecting, the client resumes from its last cursor after {@code stream_overflow}; each
         * connection must start with a status event at the position it resumed from.
         */
        final class LiveCheck {
            final String what;
            final Src src;
            final LogPosition from; // events strictly after this
            /** Released by the subscription's sink when it has events after being drained. */
            final Semaphore wake = new Semaphore(0);
            Subscription sub;
            LogPosition start; // of the current connection
            final List<Ev> got = new ArrayList<>(); // every event but the connections' first status events
            LogPosition last; // resume point: the last data or status event's position
            boolean lastIsHeartbeat;
            /** A terminal error (not an overflow) was received: the stream is over, nothing may follow. */
            boolean ended;
            boolean awaitingStatus = true;
            int connections = 1;

            LiveCheck(String what, Src src, EventStreams.Opened opened) {
                this.what = what;
                this.src = src;
                this.from = opened.start();
                this.start = opened.start();
                this.sub = f.streams.subscribe(opened, wake::release);
            }

            void drain() throws Exception {
                drain(Integer.MAX_VALUE);
            }

            void drain(int budget) throws Exception {
                for (int i = 0; i < budget; i++) {
                    byte[] b = sub.poll();
                    if (b == null) return;
                    Event e = decode(b);
                    if (awaitingStatus) {
                        if (e.type() != EventType.STATUS || !start.equals(e.position())) {
                            throw new AssertionError(ctx() + what + " of `" + src.model.fql() + "`, connection " + connections
                                    + ": the first event must be a status at " + start + ", got " + e);
                        }
                        awaitingStatus = false;
                        last = start;
                        lastIsHeartbeat = false;
                    } else if (reconnecting() && e.type() == EventType.STATUS) {
                        if (e.position().compareTo(last) < 0) {
                            throw new AssertionError(ctx() + what + " of `" + src.model.fql() + "`: status at " + e.position()
                                    + " is behind the last event at " + last);
                        }
                        last = e.position();
                        lastIsHeartbeat = true;
                    } else if (reconnecting() && e.isError() && e.error().code().equals("stream_overflow")) {
                        if (!sub.isDone()) throw new AssertionError(ctx() + what + ": events after stream_overflow");
                        reconnect();
                    } else {
                        if (ended) throw new AssertionError(ctx() + what + " of `" + src.model.fql() + "`: event after the error: " + e);
                        got.add(Ev.of(e));
                        if (e.position() != null) last = e.position();
                        lastIsHeartbeat = false;
                        if (e.isError()) ended = true;
                    }
                }
            }

            /** Closes the connection and opens a new one from the last event or status seen (as a driver does). */
            void reconnect() throws Exception {
                if (awaitingStatus || ended) return; // no cursor from this connection yet, or the stream is over
                sub.close();
                connections++;
                reconnects++;
                if (lastIsHeartbeat) fromHeartbeat++;
                start = last;
                awaitingStatus = true;
                sub = f.streams.subscribe(f.streams.open(src.token, EventCursor.encode(last), null, true), wake::release);
            }

            /** Reads until every expected event is in, or nothing arrives for 30 seconds. */
            void await() throws Exception {
                int wanted = src.streamAfter(from).size();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int seen = -1;
                while (true) {
                    drain();
                    if (!awaitingStatus && got.size() >= wanted) return;
                    if (got.size() != seen) {
                        seen = got.size();
                        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    } else if (System.nanoTime() > deadline) {
                        return;
                    }
                    wake.tryAcquire(5, TimeUnit.MILLISECONDS);
                }
            }

            void check() {
                if (awaitingStatus) {
                    throw new AssertionError(ctx() + what + " of `" + src.model.fql() + "`, connection " + connections
                            + ": no status event at " + start);
                }
                compare(what + (connections > 1 ? " (" + connections + " connections)" : ""), src, src.streamAfter(from), got);
                if (ended && !sub.isDone()) throw new AssertionError(ctx() + what + " of `" + src.model.fql() + "`: not finished after its error");
            }
        }

        byte[] encode(Event e) {
            int id = nextEventId.getAndIncrement();
            registry.put(id, e);
            return ByteBuffer.allocate(4).putInt(id).array();
        }

        Event decode(byte[] b) {
            return registry.get(ByteBuffer.wrap(b).getInt());
        }

        String ctx() {
            return "[seed=" + seed + " steps=" + steps + " mode=" + mode + " step=" + step + "] ";
        }

        void run() throws Exception {
            System.out.println("StreamPropertyTest " + mode + " seed=" + seed + " steps=" + steps + " (replay with -Dseed=" + seed + ")");
            int queue = switch (mode) {
                case EXACT -> 1_000_000;
                case SLOW_CLIENTS -> 2 + wrnd.nextInt(15);
                case CONCURRENT -> 4 + wrnd.nextInt(200);
            };
            // Reconnecting clients also get heartbeats, and resume from status cursors too (as drivers do).
            Duration heartbeat = reconnecting() ? Duration.ofMillis(10 + wrnd.nextInt(60)) : Duration.ofHours(1);
            StreamConfig config = new StreamConfig(queue, 1_000_000, heartbeat, 0, 1 + wrnd.nextInt(64));
            f = new StreamFixture(dir, config, this::encode, new byte[32]);
            try {
                f.ok("Collection.create({ name: 'Item', indexes: { byKind: { terms: [{ field: '.kind' }], values: [{ field: '.score' }] } } })");
                f.ok("Collection.create({ name: 'Noise' })");
                if (mode == Mode.CONCURRENT) runConcurrently();
                else runSequentially();
                verify();
                System.out.println("StreamPropertyTest " + mode + " seed=" + seed + ": " + txns + " transactions, " + log.size()
                        + " change records, " + sources.size() + " sources, " + lives.size() + " subscriptions ("
                        + reconnects + " reconnections, " + fromHeartbeat + " from a heartbeat's cursor), "
                        + sources.stream().mapToInt(s -> s.expected.size()).sum() + " expected events ("
                        + sources.stream().flatMap(s -> s.expected.stream()).filter(e -> e.type() == EventType.ERROR).count()
                        + " errors): OK");
            } finally {
                f.close();
            }
        }

        void runSequentially() throws Exception {
            for (step = 0; step < steps; step++) {
                int r = wrnd.nextInt(100);
                if (step < 3 || r < 8) {
                    newSource();
                } else if (r < 12) {
                    pollSomeFeed();
                } else if (r < 15) {
                    resumeSomeStream();
                } else {
                    transaction();
                }
                if (mode == Mode.SLOW_CLIENTS) {
                    for (LiveCheck l : lives) {
                        if (rnd.nextInt(4) == 0) l.drain(rnd.nextInt(12));
                        if (rnd.nextInt(l.lastIsHeartbeat ? 10 : 200) == 0) l.reconnect(); // the connection drops
                    }
                } else if (step % 16 == 0) {
                    for (LiveCheck l : lives) l.drain();
                }
            }
        }

        void runConcurrently() throws Exception {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            newSource();
            Thread writer = Thread.ofPlatform().name("workload").start(() -> {
                try {
                    for (int i = 0; i < steps; i++) {
                        transaction();
                        step = i + 1;
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            while (writer.isAlive()) {
                int r = rnd.nextInt(100);
                if (r < 10) newSource();
                else if (r < 25) pollSomeFeed();
                else if (r < 35) resumeSomeStream();
                for (LiveCheck l : lives) {
                    if (rnd.nextInt(3) == 0) l.drain(rnd.nextInt(64));
                    if (rnd.nextInt(l.lastIsHeartbeat ? 20 : 500) == 0) l.reconnect(); // the connection drops
                }
                Thread.sleep(rnd.nextInt(3));
            }
            writer.join();
            if (failure.get() != null) throw new AssertionError(ctx() + "the workload failed", failure.get());
        }

        // ---- workload ----

        void transaction() {
            int n = wrnd.nextInt(100) < 75 ? 1 : 2 + wrnd.nextInt(4);
            // generation state: handle -> current version (null once deleted in this transaction)
            Map<String, MDoc> gen = new LinkedHashMap<>();
            for (MDoc d : docs.values()) gen.put("id:" + d.id(), d);
            List<Write> writes = new ArrayList<>();
            // Now and then a transaction also writes (or only writes) another collection's documents: they
            // take ordinals among the Item records and sit between them in the change log, and no Item
            // source may see them.
            boolean onlyNoise = wrnd.nextInt(12) == 0;
            int noiseOdds = onlyNoise ? 1 : wrnd.nextInt(3) == 0 ? 3 : 0;
            for (int i = 0; i < n; i++) {
                if (noiseOdds > 0 && wrnd.nextInt(noiseOdds) == 0) {
                    writes.add(new Write('n', "noise:" + writes.size(), null, wrnd.nextInt(SCORES), null));
                }
                if (onlyNoise) continue;
                List<String> live = gen.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
                int op = wrnd.nextInt(100);
                boolean create = live.isEmpty() || (live.size() < MAX_DOCS && op < 35) || live.size() < 4 && op < 70;
                if (create) {
                    MDoc d = new MDoc("?", 0, KINDS[wrnd.nextInt(3)], wrnd.nextInt(SCORES), wrnd.nextInt(TAGS));
                    String h = "var:w" + writes.size();
                    writes.add(new Write('c', h, d.kind(), d.score(), d.tag()));
                    gen.put(h, d);
                } else {
                    String h = live.get(wrnd.nextInt(live.size()));
                    MDoc cur = gen.get(h);
                    if (op < 47) {
                        writes.add(new Write('d', h, null, null, null));
                        gen.put(h, null);
                    } else if (op < 55) {
                        // leaves the document unchanged: no fields, or every field set to its value
                        writes.add(wrnd.nextBoolean() ? new Write('u', h, null, null, null)
                                : new Write('u', h, cur.kind(), cur.score(), cur.tag()));
                    } else {
                        String kind = null;
                        Integer score = null, tag = null;
                        while (kind == null && score == null && tag == null) {
                            if (wrnd.nextInt(3) == 0) kind = wrnd.nextInt(4) == 0 ? cur.kind() : KINDS[wrnd.nextInt(3)];
                            if (wrnd.nextInt(2) == 0) score = wrnd.nextInt(4) == 0 ? cur.score() : wrnd.nextInt(SCORES);
                            if (wrnd.nextInt(2) == 0) tag = wrnd.nextInt(4) == 0 ? cur.tag() : wrnd.nextInt(TAGS);
                        }
                        writes.add(new Write('u', h, kind, score, tag));
                        gen.put(h, new MDoc(cur.id(), cur.ts(), kind != null ? kind : cur.kind(),
                                score != null ? score : cur.score(), tag != null ? tag : cur.tag()));
                    }
                }
            }
            StringBuilder q = new StringBuilder();
            List<String> created = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                Write w = writes.get(i);
                q.append("let w").append(i).append(" = ");
                switch (w.op()) {
                    case 'c' -> {
                        q.append("Item.create({ kind: '").append(w.kind()).append("', score: ").append(w.score())
                                .append(", tag: ").append(w.tag()).append(" })");
                        created.add(w.handle().substring(4));
                    }
                    case 'u' -> {
                        List<String> fields = new ArrayList<>();
                        if (w.kind() != null) fields.add("kind: '" + w.kind() + "'");
                        if (w.score() != null) fields.add("score: " + w.score());
                        if (w.tag() != null) fields.add("tag: " + w.tag());
                        q.append(ref(w.handle())).append(".update({ ").append(String.join(", ", fields)).append(" })");
                    }
                    case 'n' -> q.append("Noise.create({ x: ").append(w.score()).append(" })");
                    default -> q.append(ref(w.handle())).append(".delete()");
                }
                q.append('\n');
            }
            q.append('[').append(String.join(", ", created.stream().map(v -> v + ".id").toList())).append(']');
            QueryOutcome.Success out = f.run(q.toString());
            List<Value> ids = ((ArrayValue) out.data()).elements();
            Map<String, String> varIds = new HashMap<>();
            for (int i = 0; i < created.size(); i++) varIds.put(created.get(i), ((StringValue) ids.get(i)).value());
            applyToModel(writes, varIds, out.txnTs());
        }

        private static String ref(String handle) {
            return handle.startsWith("id:") ? "Item.byId('" + handle.substring(3) + "')!" : "Item.byId(" + handle.substring(4) + ".id)!";
        }

        void applyToModel(List<Write> writes, Map<String, String> varIds, long txnTs) {
            txns++;
            LinkedHashMap<String, MDoc> before = new LinkedHashMap<>(); // first-write order, value = version at start
            for (Write w : writes) {
                if (w.op() == 'n') {
                    before.put(w.handle(), NOISE); // another collection's record: an ordinal, no Item event
                    continue;
                }
                String id = w.handle().startsWith("id:") ? w.handle().substring(3) : varIds.get(w.handle().substring(4));
                if (!before.containsKey(id)) before.put(id, docs.get(id));
                switch (w.op()) {
                    case 'c' -> docs.put(id, new MDoc(id, txnTs, w.kind(), w.score(), w.tag()));
                    case 'u' -> {
                        MDoc c = docs.get(id);
                        docs.put(id, new MDoc(id, txnTs, w.kind() != null ? w.kind() : c.kind(),
                                w.score() != null ? w.score() : c.score(), w.tag() != null ? w.tag() : c.tag()));
                    }
                    default -> docs.remove(id);
                }
            }
            int ordinal = 0;
            List<MRec> recs = new ArrayList<>();
            for (Map.Entry<String, MDoc> e : before.entrySet()) {
                if (e.getValue() == NOISE) {
                    ordinal++;
                    continue;
                }
                MDoc b = e.getValue(), a = docs.get(e.getKey());
                if (b == null && a == null) continue; // created and deleted in one transaction: no record
                recs.add(new MRec(new LogPosition(txnTs, ordinal++), b, a));
            }
            log.addAll(recs);
            liveIds = List.copyOf(docs.keySet());
        }

        void newSource() throws Exception {
            int k = srnd.nextInt(11);
            String kind = KINDS[srnd.nextInt(3)];
            int score = srnd.nextInt(SCORES), tag = srnd.nextInt(TAGS);
            Predicate<MDoc> any = d -> true;
            List<String> ids = liveIds;
            MSource all = new MSource("Item.all().toStream()", Kind.ALL, null, null, any, Shape.DOC, false);
            MSource m = switch (k) {
                case 0 -> all;
                case 1 -> new MSource("Item.where(.score > " + score + ").toStream()", Kind.ALL, null, null,
                        d -> d.score() > score, Shape.DOC, false);
                case 2 -> new MSource("Item.byKind('" + kind + "').toStream()", Kind.INDEX, kind, null, any, Shape.DOC, false);
                case 3 -> new MSource("Item.byKind('" + kind + "').where(.tag == " + tag + ").toStream()", Kind.INDEX, kind, null,
                        d -> d.tag() == tag, Shape.DOC, false);
                case 4 -> {
                    // (the document may be deleted concurrently in concurrent mode: then the query fails)
                    if (ids.isEmpty() || mode == Mode.CONCURRENT) yield all;
                    String id = ids.get(srnd.nextInt(ids.size()));
                    yield new MSource("Set.single(Item.byId('" + id + "')).toStream()", Kind.SINGLE, null, id, any, Shape.DOC, false);
                }
                case 5 -> new MSource("Item.all().changesOn(.score)", Kind.ALL, null, null, any, Shape.DOC, true);
                case 6 -> new MSource("Item.byKind('" + kind + "').changesOn(.score)", Kind.INDEX, kind, null, any, Shape.DOC, true);
                case 7 -> new MSource(srnd.nextBoolean() ? "Item.where(.tag < " + tag + ").toStream() { kind, score }"
                        : "Item.where(.tag < " + tag + ") { kind, score }.toStream()", Kind.ALL, null, null,
                        d -> d.tag() < tag, Shape.PROJECT, false);
                case 8 -> new MSource("Item.where(.tag < " + (tag + 1) + ").map(d => if (d.score >= 8) abort('high') else d.score).toStream()",
                        Kind.ALL, null, null, d -> d.tag() < tag + 1, Shape.MAP_SCORE_OR_ABORT, false);
                case 9 -> switch (srnd.nextInt(5)) {
                    // Filters that start with an equality are routed by the field's value.
                    case 0 -> new MSource("Item.where(.tag == " + tag + ").toStream()", Kind.ALL, null, null,
                            d -> d.tag() == tag, Shape.DOC, false);
                    case 1 -> new MSource("Item.where(" + tag + " == .tag && .score > " + score + ").toStream()", Kind.ALL, null, null,
                            d -> d.tag() == tag && d.score() > score, Shape.DOC, false);
                    case 2 -> new MSource("let k = '" + kind + "'\nItem.where(.kind == k && .tag < " + tag + ").toStream()", Kind.ALL, null, null,
                            d -> d.kind().equals(kind) && d.tag() < tag, Shape.DOC, false);
                    case 3 -> new MSource("Item.where(.score > " + score + " && .tag == " + tag + ").toStream()", Kind.ALL, null, null,
                            d -> d.score() > score && d.tag() == tag, Shape.DOC, false);
                    default -> new MSource("Item.where(.tag == " + tag + ".0).map(.score).toStream()", Kind.ALL, null, null,
                            d -> d.tag() == tag, Shape.MAP_SCORE, false);
                };
                default -> switch (srnd.nextInt(3)) {
                    case 0 -> new MSource("Item.all().map(.score).toStream()", Kind.ALL, null, null, any, Shape.MAP_SCORE, false);
                    case 1 -> new MSource("Item.where(.score > " + score + ").map(.score).toStream()", Kind.ALL, null, null,
                            d -> d.score() > score, Shape.MAP_SCORE, false);
                    default -> new MSource("Item.byKind('" + kind + "').map(.score).toStream()", Kind.INDEX, kind, null, any,
                            Shape.MAP_SCORE, false);
                };
            };
            String token = f.token(m.fql());
            EventStreams.Opened opened = f.streams.open(token, null, null, true);
            Src s = new Src(m, token, opened.start());
            sources.add(s);
            lives.add(new LiveCheck("live stream from creation", s, opened));
        }

        /** Polls one source's feed from its last cursor until it has nothing more, as a client would. */
        void pollSomeFeed() throws Exception {
            if (sources.isEmpty()) return;
            poll(sources.get(rnd.nextInt(sources.size())));
        }

        void poll(Src s) throws Exception {
            for (int guard = 0; ; guard++) {
                if (guard > 100_000) throw new AssertionError(ctx() + "feed never ends: " + s.model.fql());
                EventStreams.Opened o = f.streams.open(s.token, s.pollCursor, null, false);
                FeedPage p = f.streams.feed(o, 1 + rnd.nextInt(20), deadline());
                for (Event e : p.events()) s.polled.add(Ev.of(e));
                if (p.cursor() == null) throw new AssertionError(ctx() + "feed page without a cursor: " + s.model.fql());
                s.pollCursor = p.cursor();
                if (!p.hasNext()) return;
            }
        }

        /** Opens a stream from a random past event's cursor while the workload goes on. */
        void resumeSomeStream() throws Exception {
            if (sources.isEmpty()) return;
            Src s = sources.get(rnd.nextInt(sources.size()));
            List<Ev> sofar = s.expectedSoFar();
            if (sofar.isEmpty()) return;
            int i = rnd.nextInt(sofar.size());
            String cursor = EventCursor.encode(sofar.get(i).pos());
            lives.add(new LiveCheck("stream resumed mid-workload after event " + sofar.get(i), s,
                    f.streams.open(s.token, cursor, null, true)));
        }

        static long deadline() {
            return System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        }

        // ---- checks ----

        void verify() throws Exception {
            for (Src s : sources) s.expected = s.expectedSoFar();
            // Streams first: they have been delivering while the workload ran.
            for (LiveCheck l : lives) l.await();
            Thread.sleep(200); // anything beyond the expected events would show up now
            for (LiveCheck l : lives) {
                l.drain();
                l.check();
                l.sub.close();
            }
            for (Src s : sources) {
                // the whole feed from the token's creation, random page sizes
                compare("feed from creation", s, s.expected, feedFrom(s, null));
                // the feed polled during the workload, finished now
                poll(s);
                compare("feed polled during the workload", s, s.expected, s.polled);
                // nothing after the end
                EventStreams.Opened o = f.streams.open(s.token, s.pollCursor, null, false);
                FeedPage tail = f.streams.feed(o, 16, deadline());
                compare("feed after its last cursor", s, List.of(), tail.events().stream().map(Ev::of).toList());
                // a feed from start_ts: the token's creation time, and a random event's commit time
                compare("feed from start_ts = creation", s, s.expected, feedFrom(s, null, s.created.txnTs()));
                if (!s.expected.isEmpty()) {
                    long ts = s.expected.get(rnd.nextInt(s.expected.size())).pos().txnTs();
                    compare("feed from start_ts = " + ts, s, s.expected.stream().filter(e -> e.pos().txnTs() > ts).toList(),
                            feedFrom(s, null, ts));
                }
                // resume from a random event's cursor: feed and stream
                if (!s.expected.isEmpty()) {
                    int i = rnd.nextInt(s.expected.size());
                    String cursor = EventCursor.encode(s.expected.get(i).pos());
                    compare("feed resumed after expected event #" + i, s, s.expected.subList(i + 1, s.expected.size()),
                            feedFrom(s, cursor));
                    LiveCheck l = new LiveCheck("stream resumed at the end after expected event #" + i, s,
                            f.streams.open(s.token, cursor, null, true));
                    if (!l.start.equals(s.expected.get(i).pos())) throw new AssertionError(ctx() + "cursor decodes to " + l.start);
                    l.await();
                    Thread.sleep(20);
                    l.drain();
                    l.check();
                    l.sub.close();
                }
                // resume from every event's cursor: the first event after it is the model's next one (with the
                // whole-feed comparisons above, resuming anywhere yields exactly the rest)
                for (int i = 0; i < s.expected.size(); i++) {
                    compare("first event after expected event #" + i, s,
                            s.expected.subList(i + 1, Math.min(i + 2, s.expected.size())),
                            firstEventAfter(s, EventCursor.encode(s.expected.get(i).pos())));
                }
            }
        }

        /** The first event of the feed after {@code cursor} (none at the end), in pages of one event. */
        List<Ev> firstEventAfter(Src s, String cursor) throws Exception {
            for (int guard = 0; guard < 100_000; guard++) {
                FeedPage p = f.streams.feed(f.streams.open(s.token, cursor, null, false), 1, deadline());
                if (!p.events().isEmpty()) return p.events().stream().map(Ev::of).toList();
                if (!p.hasNext()) return List.of();
                cursor = p.cursor();
            }
            throw new AssertionError(ctx() + "feed never ends: " + s.model.fql());
        }

        List<Ev> feedFrom(Src s, String cursor) throws Exception {
            return feedFrom(s, cursor, null);
        }

        /** Pages a feed to its end: the first request with {@code cursor} or {@code startTs}, then the pages' cursors. */
        List<Ev> feedFrom(Src s, String cursor, Long startTs) throws Exception {
            List<Ev> out = new ArrayList<>();
            for (int guard = 0; ; guard++) {
                if (guard > 100_000) throw new AssertionError(ctx() + "feed never ends: " + s.model.fql());
                FeedPage p = f.streams.feed(f.streams.open(s.token, cursor, guard == 0 ? startTs : null, false),
                        1 + rnd.nextInt(20), deadline());
                for (Event e : p.events()) out.add(Ev.of(e));
                cursor = p.cursor();
                if (!p.hasNext()) return out;
            }
        }

        void compare(String what, Src s, List<Ev> expected, List<Ev> actual) {
            if (expected.equals(actual)) return;
            int i = 0;
            while (i < expected.size() && i < actual.size() && expected.get(i).equals(actual.get(i))) i++;
            StringBuilder m = new StringBuilder(ctx()).append(what).append(" of `").append(s.model.fql())
                    .append("` (created at ").append(s.created).append(") differs from the model at event #").append(i)
                    .append(": expected ").append(expected.size()).append(" events, got ").append(actual.size())
                    .append("\n  expected: ").append(i < expected.size() ? expected.get(i) : "(end)")
                    .append("\n  actual:   ").append(i < actual.size() ? actual.get(i) : "(end)")
                    .append("\n  expected around: ").append(expected.subList(Math.max(0, i - 2), Math.min(expected.size(), i + 3)))
                    .append("\n  actual around:   ").append(actual.subList(Math.max(0, i - 2), Math.min(actual.size(), i + 3)));
            throw new AssertionError(m.toString());
        }
    }
}
