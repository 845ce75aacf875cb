package io.eddy.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.changelog.LogPosition;
import io.eddy.core.storage.Store;
import io.eddy.core.storage.StoreConfig;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.EventSourceValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.fql.EngineConfig;
import io.eddy.fql.FqlEngine;
import io.eddy.fql.api.QueryOptions;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.TemplateNode;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventCursor;
import io.eddy.stream.event.EventType;
import io.eddy.stream.feed.FeedPage;
import io.eddy.stream.live.Subscription;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of feeds and streams: a child JVM creates a token and commits writes in a loop, reporting
 * each acknowledged write; the test kills it with SIGKILL mid-loop, reopens the store in-process and
 * reads the feed (from the token's creation and from a cursor saved earlier) and a stream. Every
 * acknowledged write appears exactly once, in commit order; at most the one write in flight at the kill
 * may appear beyond them. Twice: kill, reopen and check, write more in a new child, kill again, check.
 *
 * <p>Each child transaction {@code i} creates a document {@code {n: i}}; every third one also updates
 * the document of transaction {@code i - 1} ({@code {m: i}}), so a transaction has one or two change
 * records. The expected feed of {@code Item.all()} is therefore fully determined by the last committed
 * {@code i}. {@code -Dseed=N} replays the kill points.
 */
class StreamRestartTest {
    private static final String ACK = "@@ack ";
    private static final String READY = "@@ready";

    @TempDir Path dir;

    private Path data() { return dir.resolve("data"); }

    /** The child process: {@code Child <dataDir> <firstN> <setup>}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path data = Path.of(args[0]);
            int from = Integer.parseInt(args[1]);
            boolean setup = Boolean.parseBoolean(args[2]);
            Store store = Store.open(StoreConfig.defaults(data));
            FqlEngine engine = new FqlEngine(store, new EngineConfig(EngineConfig.loadOrCreateKey(data), Clock.systemUTC()));
            if (setup) {
                run(engine, "Collection.create({ name: 'Item' })");
                String token = ((EventSourceValue) run(engine, "Item.all().toStream()").data()).token();
                Path tmp = data.resolve("token.tmp");
                Files.writeString(tmp, token);
                Files.move(tmp, data.resolve("token"), StandardCopyOption.ATOMIC_MOVE);
            }
            System.out.println(READY);
            System.out.flush();
            String prev = null;
            for (int i = from; ; i++) {
                String q = "[Item.create({ n: " + i + " }).id"
                        + (prev != null && i % 3 == 0 ? ", Item.byId('" + prev + "')!.update({ m: " + i + " }).id" : "") + "]";
                QueryOutcome.Success out = run(engine, q);
                prev = ((StringValue) ((ArrayValue) out.data()).elements().get(0)).value();
                System.out.println(ACK + i + " " + prev + " " + out.txnTs());
                System.out.flush();
            }
        }

        private static QueryOutcome.Success run(FqlEngine engine, String fql) {
            QueryOutcome o = engine.execute(new QueryRequest(TemplateNode.Fql.of(fql), Map.of(), QueryOptions.defaults()));
            if (o instanceof QueryOutcome.Failure f) throw new IllegalStateException(f.code() + ": " + f.message());
            return (QueryOutcome.Success) o;
        }
    }

    /** An acknowledged write: its number, the created document's id, its commit time. */
    record Ack(int n, String id, long txnTs) {}

    /** One expected or actual event, reduced: type, document id, the {@code n} or {@code m} it carries. */
    record Ev(EventType type, String id, int n, Integer m, LogPosition pos) {}

    @Test void acknowledgedWritesSurviveKillMinus9ExactlyOnceInOrder() throws Exception {
        long seed = Long.getLong("seed", new SecureRandom().nextLong());
        Random rnd = new Random(seed);
        String ctx = "[seed=" + seed + "] ";
        System.out.println("StreamRestartTest seed=" + seed);

        // Round 1: set up, write, kill.
        List<Ack> acked1 = runChildAndKill(0, true, 30 + rnd.nextInt(60), ctx + "round 1: ");
        String token = Files.readString(data().resolve("token"));
        String midCursor, endCursor;
        int lastCommitted;
        try (Reopened r = new Reopened(data())) {
            List<Ev> events = r.feed(token, null, rnd);
            lastCommitted = checkHistory(ctx + "round 1, feed from creation: ", events, acked1, -1);
            int mid = rnd.nextInt(events.size());
            midCursor = EventCursor.encode(events.get(mid).pos());
            assertThat(r.feed(token, midCursor, rnd)).as(ctx + "round 1, feed after event #" + mid)
                    .isEqualTo(events.subList(mid + 1, events.size()));
            assertThat(r.stream(token, null)).as(ctx + "round 1, stream from creation").isEqualTo(events);
            endCursor = r.lastFeedCursor;
            assertThat(r.feed(token, endCursor, rnd)).as(ctx + "round 1, feed after the last page").isEmpty();
        }

        // Round 2: a new child writes more, and is killed too.
        List<Ack> acked2 = runChildAndKill(lastCommitted + 1, false, 30 + rnd.nextInt(60), ctx + "round 2: ");
        assertThat(acked2.getFirst().txnTs()).as(ctx + "commit times keep growing across restarts")
                .isGreaterThan(acked1.getLast().txnTs());
        List<Ack> all = new ArrayList<>(acked1);
        // the write in flight at the first kill may have committed: it is part of the history now
        all.addAll(acked2);
        try (Reopened r = new Reopened(data())) {
            List<Ev> events = r.feed(token, null, rnd);
            checkHistory(ctx + "round 2, feed from creation: ", events, all, lastCommitted);
            List<Ev> afterMid = r.feed(token, midCursor, rnd);
            List<Ev> tail = events.subList(events.size() - afterMid.size(), events.size());
            assertThat(afterMid).as(ctx + "round 2, feed after the cursor saved in round 1").isEqualTo(tail);
            assertThat(afterMid.getFirst().pos()).isGreaterThan(EventCursor.decode(midCursor));
            assertThat(events.get(events.size() - afterMid.size() - 1).pos()).isEqualTo(EventCursor.decode(midCursor));
            List<Ev> afterEnd = r.feed(token, endCursor, rnd);
            assertThat(afterEnd).as(ctx + "round 2, feed after round 1's last page: exactly round 2's writes")
                    .isEqualTo(events.stream().filter(e -> e.n() > lastCommitted).toList());
            assertThat(r.stream(token, midCursor)).as(ctx + "round 2, stream after the cursor saved in round 1").isEqualTo(tail);
            int last2 = events.stream().filter(e -> e.type() == EventType.ADD).mapToInt(Ev::n).max().orElseThrow();
            System.out.println("StreamRestartTest seed=" + seed + ": round 1 acknowledged " + acked1.size() + " writes"
                    + (lastCommitted > acked1.getLast().n() ? " (+1 in flight committed)" : "") + ", round 2 " + acked2.size()
                    + (last2 > acked2.getLast().n() ? " (+1 in flight committed)" : "") + "; " + events.size() + " events: OK");
        }
    }

    /**
     * Checks a feed of {@code Item.all()}: exactly the events of transactions 0..k in order, for the
     * last acknowledged transaction a and k in {a, a + 1}. {@code inFlightBefore} is the last write
     * committed by an earlier round (its successor may or may not be there). Returns k.
     */
    private static int checkHistory(String ctx, List<Ev> events, List<Ack> acked, int inFlightBefore) {
        int lastAcked = acked.getLast().n();
        int k = events.stream().filter(e -> e.type() == EventType.ADD).mapToInt(Ev::n).max().orElse(-1);
        assertThat(k).as(ctx + "last write in the feed (last acknowledged " + lastAcked + ")").isBetween(lastAcked, lastAcked + 1);
        // Rebuild the expected events: transaction i adds {n: i} and, if i % 3 == 0 and i > first of its round,
        // updates the document of i - 1.
        List<Ev> expected = new ArrayList<>();
        Map<Integer, String> idOf = new ConcurrentHashMap<>();
        for (Ack a : acked) idOf.put(a.n(), a.id());
        for (Ev e : events) if (e.type() == EventType.ADD) idOf.putIfAbsent(e.n(), e.id());
        int firstOfRound2 = inFlightBefore + 1;
        for (int i = 0; i <= k; i++) {
            String id = idOf.get(i);
            if (id == null) throw new AssertionError(ctx + "write " + i + " is missing from the feed: " + events);
            expected.add(new Ev(EventType.ADD, id, i, null, null));
            boolean updatesPrev = i % 3 == 0 && i > 0 && i != firstOfRound2;
            if (updatesPrev) expected.add(new Ev(EventType.UPDATE, idOf.get(i - 1), i - 1, i, null));
        }
        List<Ev> actual = events.stream().map(e -> new Ev(e.type(), e.id(), e.n(), e.m(), null)).toList();
        assertThat(actual).as(ctx + "every acknowledged write exactly once, in commit order").isEqualTo(expected);
        // commit order: positions strictly increase, and acknowledged commit times match the events'
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).pos()).as(ctx + "event " + i + " position").isGreaterThan(events.get(i - 1).pos());
        }
        for (Ev e : events) {
            if (e.type() != EventType.ADD) continue;
            Ack a = acked.stream().filter(x -> x.n() == e.n()).findFirst().orElse(null);
            if (a != null) {
                assertThat(e.pos().txnTs()).as(ctx + "commit time of write " + e.n()).isEqualTo(a.txnTs());
                assertThat(e.id()).as(ctx + "document of write " + e.n()).isEqualTo(a.id());
            }
        }
        return k;
    }

    /** Starts a child, lets it acknowledge at least {@code killAfter} writes, then kills it with SIGKILL. */
    private List<Ack> runChildAndKill(int from, boolean setup, int killAfter, String ctx) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Child.class.getName());
        cmd.add(data().toString());
        cmd.add(Integer.toString(from));
        cmd.add(Boolean.toString(setup));
        Path log = dir.resolve("child-" + from + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        List<Ack> acked = new CopyOnWriteArrayList<>();
        AtomicBoolean ready = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals(READY)) ready.set(true);
                    if (line.startsWith(ACK)) {
                        String[] f = line.substring(ACK.length()).split(" ");
                        acked.add(new Ack(Integer.parseInt(f[0]), f[1], Long.parseLong(f[2])));
                        // Through the handle: Process.destroyForcibly() also closes the pipe, and acknowledgements
                        // the child printed after this one (it keeps committing until the signal lands) would be lost
                        // to the reader, so the check would see writes beyond the "last acknowledged" one.
                        if (acked.size() >= killAfter) p.toHandle().destroyForcibly();
                    }
                }
            } catch (Exception e) {
                // the stream breaks when the child dies
            }
        });
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        if (!exited) p.destroyForcibly().waitFor();
        reader.join(10_000);
        String childLog = Files.exists(log) ? Files.readString(log) : "";
        assertThat(ready).as(ctx + "the child opened the store; child log:\n" + childLog).isTrue();
        assertThat(acked.size()).as(ctx + "acknowledged writes before the kill; child log:\n" + childLog).isGreaterThanOrEqualTo(killAfter);
        assertThat(p.exitValue()).as(ctx + "the child was killed, it did not exit on its own").isEqualTo(137);
        for (int i = 0; i < acked.size(); i++) assertThat(acked.get(i).n()).isEqualTo(from + i);
        return new ArrayList<>(acked);
    }

    /** The store reopened in this JVM, with the data folder's signing key. */
    private static final class Reopened implements AutoCloseable {
        final Map<Integer, Event> registry = new ConcurrentHashMap<>();
        final AtomicInteger ids = new AtomicInteger();
        final StreamFixture f;
        String lastFeedCursor;

        Reopened(Path dir) throws Exception {
            f = new StreamFixture(dir, new StreamConfig(1_000_000, 65_536, Duration.ofHours(1), 0, 7), e -> {
                int id = ids.getAndIncrement();
                registry.put(id, e);
                return ByteBuffer.allocate(4).putInt(id).array();
            }, EngineConfig.loadOrCreateKey(dir));
        }

        List<Ev> feed(String token, String cursor, Random rnd) throws Exception {
            List<Ev> out = new ArrayList<>();
            for (int guard = 0; guard < 100_000; guard++) {
                FeedPage p = f.streams.feed(f.streams.open(token, cursor, null, false), 1 + rnd.nextInt(20),
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
                for (Event e : p.events()) out.add(reduce(e));
                cursor = p.cursor();
                if (!p.hasNext()) {
                    lastFeedCursor = cursor;
                    return out;
                }
            }
            throw new AssertionError("feed never ends");
        }

        /** A stream's events after its status event, once it has been quiet for a while. */
        List<Ev> stream(String token, String cursor) throws Exception {
            EventStreams.Opened o = f.streams.open(token, cursor, null, true);
            Subscription sub = f.streams.subscribe(o, () -> { });
            List<Event> got = new ArrayList<>();
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(500)) {
                byte[] b = sub.poll();
                if (b == null) {
                    Thread.sleep(5);
                    continue;
                }
                got.add(registry.get(ByteBuffer.wrap(b).getInt()));
                quietSince = System.nanoTime();
            }
            sub.close();
            assertThat(got).isNotEmpty();
            assertThat(got.getFirst().type()).isEqualTo(EventType.STATUS);
            assertThat(got.getFirst().position()).isEqualTo(o.start());
            return got.subList(1, got.size()).stream().map(Reopened::reduce).toList();
        }

        static Ev reduce(Event e) {
            if (!(e.data() instanceof DocumentValue d)) throw new AssertionError("unexpected event " + e);
            Value n = d.data().get("n"), m = d.data().get("m");
            return new Ev(e.type(), d.id(), ((IntValue) n).value(), m instanceof IntValue i ? i.value() : null, e.position());
        }

        @Override public void close() {
            f.close();
        }
    }
}
