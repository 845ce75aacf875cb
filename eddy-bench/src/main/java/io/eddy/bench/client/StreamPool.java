package io.eddy.bench.client;

import io.eddy.bench.workload.Clock;
import io.eddy.bench.workload.Latency;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many live {@code /stream/1} subscriptions over a few HTTP/2 connections, {@code perConnection} streams
 * each (kept below the server's {@code maxConcurrentStreams}). Every data event's latency from its send,
 * now minus the document's {@code sent_ns}, goes into the current {@link #latency} and its latency from the
 * commit, the wall clock minus the event's {@code txn_ts}, into {@link #commitLatency}; status, error and
 * ended streams are counted. Events are scanned with {@link EventScan}, not parsed.
 */
public final class StreamPool implements AutoCloseable {
    private final EddyClient client;
    private final int perConnection;
    private final List<H2Connection> connections = new ArrayList<>();
    private final LongAdder started = new LongAdder();
    /** Data events received, per connection: counted by the connection's event loop alone. */
    private final List<Tally> tallies = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final LongAdder errors = new LongAdder();
    private final LongAdder ended = new LongAdder();
    private final LongAdder failedBeforeStart = new LongAdder();
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private volatile Latency latency = new Latency();
    /** Null unless a scenario asks for it: finding {@code txn_ts} deep in every event costs the client. */
    private volatile Latency commitLatency;

    public StreamPool(EddyClient client, int perConnection) {
        this.client = client;
        this.perConnection = perConnection;
    }

    /** Where data events' latencies go from now on. */
    public void latency(Latency l) { this.latency = l; }

    /** Where data events' commit-to-delivery latencies go from now on (null: not measured). */
    public void commitLatency(Latency l) { this.commitLatency = l; }

    public long started() { return started.sum(); }

    public long events() {
        long sum = 0;
        for (Tally t : tallies) sum += t.get();
        return sum;
    }

    /**
     * A counter that one thread increments and any thread reads. A shared {@code LongAdder} bounced its
     * cells between the client's event loops a million times a second (a fifth of the client's time).
     */
    private static final class Tally {
        private static final java.lang.invoke.VarHandle COUNT;
        static {
            try {
                COUNT = java.lang.invoke.MethodHandles.lookup().findVarHandle(Tally.class, "count", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        @SuppressWarnings("unused") private long count;

        /** By the owning event loop only. */
        void increment() { COUNT.setOpaque(this, (long) COUNT.getOpaque(this) + 1); }

        long get() { return (long) COUNT.getOpaque(this); }
    }

    public long errors() { return errors.sum(); }

    public long ended() { return ended.sum(); }

    public int connections() { return connections.size(); }

    /** Up to three error events or failures, for the report. */
    public List<String> errorSamples() { return List.copyOf(errorSamples); }

    /**
     * Opens one stream per token and waits (up to {@code timeoutSeconds}) until every stream has received
     * its first {@code status} event, i.e. is live.
     */
    public void open(List<String> tokens, int timeoutSeconds) throws IOException, InterruptedException {
        long target = started.sum() + tokens.size();
        List<CompletableFuture<Integer>> opening = new ArrayList<>();
        H2Connection conn = null;
        Tally tally = null;
        LineSplitter.Scratch scratch = null;
        for (String token : tokens) {
            if (conn == null || countOn(conn) >= perConnection) {
                conn = client.newConnection();
                connections.add(conn);
                tallies.add(tally = new Tally());
                scratch = new LineSplitter.Scratch(); // the connection's event loop alone uses it
            }
            byte[] body = ("{\"token\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
            opening.add(conn.request("/stream/1", body, new Subscriber(tally, scratch)));
            assigned.merge(conn, 1, Integer::sum);
            if (opening.size() % 500 == 0) Thread.sleep(5); // let the server keep up with the opens
        }
        for (CompletableFuture<Integer> f : opening) EddyClient.await(f, 60);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (started.sum() < target) {
            if (System.nanoTime() > deadline || started.sum() + failedBeforeStart.sum() >= target) {
                throw new IOException("only " + started.sum() + " of " + target + " streams started (errors "
                        + errors.sum() + ", ended " + ended.sum() + "): " + errorSamples());
            }
            Thread.sleep(10);
        }
    }

    private final java.util.Map<H2Connection, Integer> assigned = new java.util.IdentityHashMap<>();

    private int countOn(H2Connection c) {
        return assigned.getOrDefault(c, 0);
    }

    /** Waits until {@code events()} reaches {@code expected} or {@code seconds} pass; returns the count. */
    public long awaitEvents(long expected, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long last = -1;
        long lastChange = System.nanoTime();
        while (events() < expected && System.nanoTime() < deadline) {
            long now = events();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 3_000_000_000L) {
                break; // nothing for 3 s: the rest is not coming
            }
            Thread.sleep(5);
        }
        return events();
    }

    private void sample(String s) {
        if (errorSamples.size() < 3) errorSamples.add(s.length() > 300 ? s.substring(0, 300) : s);
    }

    private final class Subscriber implements H2Connection.BodyHandler, LineSplitter.LineHandler {
        private final LineSplitter lines = new LineSplitter();
        private final Tally tally;
        private final LineSplitter.Scratch scratch;
        private int status;

        Subscriber(Tally tally, LineSplitter.Scratch scratch) {
            this.tally = tally;
            this.scratch = scratch;
        }

        @Override public void onHeaders(int s) { status = s; }

        @Override public void onData(ByteBuf data) {
            lines.feed(data, this, scratch);
        }

        @Override public void onLine(byte[] b, int off, int len) {
            if (status != 200) {
                sample("HTTP " + status + ": " + new String(b, off, len, StandardCharsets.UTF_8));
                return;
            }
            switch (EventScan.type(b, off, len)) {
                case STATUS -> {
                    if (this.seenStatus) return;
                    this.seenStatus = true;
                    started.increment();
                }
                case ADD, UPDATE, REMOVE -> {
                    long sent = EventScan.sentNs(b, off, len);
                    if (sent >= 0) latency.recordNanos(Clock.now() - sent);
                    Latency fromCommit = commitLatency;
                    if (fromCommit != null) {
                        long committed = EventScan.commitMicros(b, off, len);
                        if (committed >= 0) fromCommit.recordNanos((Clock.wallMicros() - committed) * 1000);
                    }
                    tally.increment();
                }
                case ERROR -> {
                    errors.increment();
                    if (!seenStatus) failedBeforeStart.increment();
                    seenStatus = true;
                    sample(new String(b, off, len, StandardCharsets.UTF_8));
                }
                case OTHER -> sample("unexpected: " + new String(b, off, Math.min(len, 200), StandardCharsets.UTF_8));
            }
        }

        private boolean seenStatus;

        @Override public void onEnd() {
            ended.increment();
            if (status != 200) {
                errors.increment();
                sample("HTTP " + status);
            }
            if (!seenStatus) failedBeforeStart.increment();
            seenStatus = true;
        }

        @Override public void onFailure(Throwable t) {
            ended.increment();
            sample(t.toString());
            if (!seenStatus) failedBeforeStart.increment();
            seenStatus = true;
        }
    }

    /** Closes the connections, which ends every stream on them. */
    @Override
    public void close() {
        for (H2Connection c : connections) c.close();
        connections.clear();
        assigned.clear();
    }
}
