package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the event streams of one connection share its socket: in write rounds, each ending in one flush.
 *
 * <p>A stream with something to send asks for a round ({@link #request}, from any thread). One task on
 * the connection's event loop then runs the producer of every stream that asked, each once, and
 * flushes the connection once at the end. When one commit reaches the 250 streams of an HTTP/2
 * connection, that is one socket write carrying 250 DATA frames, not 250 socket writes.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A round runs only the streams that asked before it began; a stream that asks again while it
 *       runs (or whose producer stopped early on purpose) runs in the next round, after this round's
 *       flush. So a producer that writes one event per round puts each of its events in its own socket
 *       write, which is what the JVM driver needs (one event per delivered buffer), while its
 *       neighbours' events still share that write.</li>
 *   <li>Every round ends with a flush, so nothing written in a round waits for a later event.</li>
 *   <li>Requests coalesce: at most one round task is queued on the event loop at a time, and a stream
 *       is queued at most once per round (its writer keeps the flag).</li>
 *   <li>{@link #inRound()} and the round itself are confined to the event loop; {@link #request} is
 *       thread-safe and never blocks.</li>
 * </ul>
 */
final class WriteRounds {
    private static final Logger log = LoggerFactory.getLogger(WriteRounds.class);

    /** One event stream of the connection, as the rounds see it. */
    interface Stream {
        /** On the event loop, in a round: writes what the stream has (without flushing). */
        void runProducer();

        /** On the event loop: the producer threw; end the stream, its state is unknown. */
        void abort();
    }

    /**
     * The dispatcher's delivery batch on this thread: connections whose rounds were asked for during
     * it and are scheduled when it ends ({@link WriteRoundBatching}).
     */
    private static final class Batch {
        boolean active;
        final ArrayList<WriteRounds> pending = new ArrayList<>();
    }

    /** Set only on threads that batch (the dispatcher's); other threads see null and skip it. */
    private static final ThreadLocal<Batch> BATCH = new ThreadLocal<>();

    private final Channel connection;
    /** Listed in the current batch of the (one) batching thread; only that thread touches it. */
    private boolean batched;
    /**
     * Many producers (the engine's threads), one consumer (the event loop). Grows in small chunks: an
     * HTTP/1.1 connection carries one stream, an HTTP/2 one up to its concurrent-stream limit.
     */
    private final Queue<Stream> ready = PlatformDependent.newMpscQueue(16, 1 << 30);
    private final AtomicBoolean roundQueued = new AtomicBoolean();
    private final Runnable round = this::runRound;
    private boolean inRound;
    /** The current round's copies of shared event bytes, by array identity; made on first use. */
    private IdentityHashMap<byte[], ByteBuf> sharedCopies;

    /** @param connection the TCP connection's channel (flushing it writes every stream's pending frames) */
    WriteRounds(Channel connection) {
        this.connection = connection;
    }

    /**
     * Queues {@code stream} for the next round. The caller ensures a stream is queued at most once.
     * Within a delivery batch on this thread the round is scheduled when the batch ends, so that one
     * commit's events for a connection's streams go out in one round.
     */
    void request(Stream stream) {
        ready.offer(stream);
        Batch batch = BATCH.get();
        if (batch != null && batch.active) {
            if (!batched) {
                batched = true;
                batch.pending.add(this);
            }
            return;
        }
        scheduleRound();
    }

    /** Starts a delivery batch on this thread. */
    static void beginBatch() {
        Batch batch = BATCH.get();
        if (batch == null) {
            BATCH.set(batch = new Batch());
        }
        batch.active = true;
    }

    /** Ends this thread's delivery batch: schedules the rounds asked for during it. */
    static void endBatch() {
        Batch batch = BATCH.get();
        if (batch == null) {
            return;
        }
        batch.active = false;
        for (WriteRounds rounds : batch.pending) {
            rounds.batched = false;
            rounds.scheduleRound();
        }
        batch.pending.clear();
    }

    private void scheduleRound() {
        if (roundQueued.compareAndSet(false, true)) {
            try {
                connection.eventLoop().execute(round);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The event loop is shutting down with the connection; nothing left to send.
                ready.clear();
            }
        }
    }

    /**
     * On the event loop: a buffer over {@code bytes}, which other streams may send too and nobody changes.
     * In a round, the bytes are copied into the transport's (direct) memory once per round, however many
     * of the connection's streams send them, and each stream gets a duplicate; otherwise a plain wrapper
     * (which the transport copies when it writes it). One commit reaching the 250 streams of a connection
     * is then one copy, not 250.
     */
    ByteBuf shared(byte[] bytes) {
        if (!inRound) {
            return Unpooled.wrappedBuffer(bytes);
        }
        if (sharedCopies == null) {
            sharedCopies = new IdentityHashMap<>();
        }
        ByteBuf copy = sharedCopies.get(bytes);
        if (copy == null) {
            copy = connection.alloc().directBuffer(bytes.length, bytes.length).writeBytes(bytes);
            sharedCopies.put(bytes, copy);
        }
        return copy.retainedDuplicate();
    }

    /** At the end of a round: this round's own references to its copies (the written duplicates keep theirs). */
    private void releaseSharedCopies() {
        if (sharedCopies != null && !sharedCopies.isEmpty()) {
            sharedCopies.values().forEach(ByteBuf::release);
            sharedCopies.clear();
        }
    }

    /** On the event loop: whether a round is running now (writes may then leave the flush to it). */
    boolean inRound() {
        return inRound;
    }

    private void runRound() {
        // Cleared first: a request arriving from here on queues the next round.
        roundQueued.set(false);
        int streams = ready.size();
        inRound = true;
        try {
            for (int i = 0; i < streams; i++) {
                Stream stream = ready.poll();
                if (stream == null) {
                    break;
                }
                try {
                    stream.runProducer();
                } catch (RuntimeException e) {
                    log.error("An event stream's producer failed; ending that stream", e);
                    stream.abort();
                }
            }
        } finally {
            inRound = false;
            releaseSharedCopies();
        }
        connection.flush();
    }
}
