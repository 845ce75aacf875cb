package io.eddy.server.endpoint;

import io.eddy.server.http.StreamingResponseWriter;
import io.eddy.stream.live.Subscription;
import io.eddy.stream.live.SubscriptionSink;

/**
 * Moves one subscription's encoded events onto its HTTP response, on the connection's event loop.
 *
 * <p>Flow control is end to end, and nothing in between grows without bound:
 * <pre>
 *   dispatcher / replay ─► Subscription queue (bounded; overflow ends the stream with stream_overflow)
 *        ─► drain(), in the connection's write round, only while the channel is writable
 *        ─► Netty outbound buffer (stops at the write-buffer high-water mark / HTTP/2 window)
 *        ─► one flush per round for all the connection's streams ─► socket
 * </pre>
 * <ul>
 *   <li>{@link #wakeUp()} (any thread, from the engine) asks the writer for a run of {@link #run drain}
 *       in the connection's next write round; wake-ups before it runs coalesce.</li>
 *   <li>A drain writes for as long as the channel is writable and the queue has events. For the JVM
 *       driver, which reads one event per delivered buffer, it writes one event and asks for the next
 *       round: each event leaves in its own socket write (shared with other streams' events, never
 *       with its own stream's next one), and only once the HTTP/2 flow-control window holds it whole
 *       ({@link StreamingResponseWriter#canSendWhole}). For other clients up to {@link #MAX_BATCH_EVENTS} queued
 *       events go out together as one chunk or as few DATA frames as fit. When the channel turns unwritable it
 *       stops with events still queued; the engine does not wake a sink that has not emptied the
 *       queue, so the writer runs the drain again once the channel is writable. A client that stops
 *       reading thus leaves events in the bounded queue, where the engine's overflow rule takes over,
 *       rather than in Netty's buffers.</li>
 *   <li>When the subscription is done (its terminal error event sent), the response is finished;
 *       whenever the response is over (finished, client gone, server shutting down), the
 *       subscription is closed, so the engine stops routing events to it.</li>
 * </ul>
 */
final class SubscriptionPump implements SubscriptionSink, Runnable {
    /** Upper bound of events coalesced into one write for clients that split lines themselves. */
    static final int MAX_BATCH_EVENTS = 64;

    /**
     * The events of one write, on this event loop: a drain never outlives its call, so the loop's
     * streams share one array rather than each idle stream keeping its own.
     */
    private static final ThreadLocal<byte[][]> BATCH = ThreadLocal.withInitial(() -> new byte[MAX_BATCH_EVENTS][]);

    private final boolean onePerWrite;
    private volatile StreamingResponseWriter writer;
    private volatile Subscription subscription;
    /** Event-loop confined: the response has been finished or abandoned. */
    private boolean ended;

    /** @param onePerWrite send each event in its own socket write (clients that parse one event per read) */
    SubscriptionPump(boolean onePerWrite) {
        this.onePerWrite = onePerWrite;
    }

    /**
     * Connects the subscription to its response and starts draining. Wake-ups that came before
     * (the engine queues the first status event while subscribing) are covered by the run this
     * requests.
     */
    void attach(StreamingResponseWriter writer, Subscription subscription) {
        this.subscription = subscription;
        this.writer = writer;
        writer.onReady(this);
        writer.onClose(subscription::close);
        writer.requestWrite();
    }

    @Override
    public void wakeUp() {
        StreamingResponseWriter w = writer;
        if (w != null) {
            w.requestWrite();
        }
    }

    /** The writer's producer: drains, on the event loop, in a write round. */
    @Override
    public void run() {
        if (ended) {
            return;
        }
        StreamingResponseWriter w = writer;
        Subscription s = subscription;
        boolean oneWritten = false;
        while (w.isOpen() && w.isWritable()) {
            if (onePerWrite) {
                // The event must also arrive whole: wait for flow-control window rather than have it cut.
                byte[] next = s.peek();
                if (next != null && !w.canSendWhole(next.length)) {
                    break;
                }
            }
            byte[][] batch = BATCH.get();
            int n = 0;
            while (n < (onePerWrite ? 1 : MAX_BATCH_EVENTS) && (batch[n] = s.poll()) != null) {
                n++;
            }
            if (n == 0) {
                break;
            }
            // The bytes are shared with other subscribers of the same source: only read, never kept.
            w.writeShared(batch, n);
            java.util.Arrays.fill(batch, 0, n, null);
            if (onePerWrite) {
                // The next one (or the end of the response) after this round's flush. The queue may
                // hold more: the engine wakes only a sink that emptied it, so ask for the run here.
                w.requestWrite();
                oneWritten = true;
                break;
            }
            if (n < MAX_BATCH_EVENTS) {
                break;
            }
        }
        if (!w.isOpen()) {
            ended = true;
            s.close();
        } else if (!oneWritten && s.isDone()) {
            ended = true;
            w.finish();
            s.close();
        }
    }
}
