package io.eddy.server.endpoint;

import io.eddy.server.http.StreamingResponseWriter;
import io.eddy.stream.live.Subscription;
import io.eddy.stream.live.SubscriptionSink;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves one subscription's encoded events onto its HTTP response, on the connection's event loop.
 *
 * <p>Flow control is end to end, and nothing in between grows without bound:
 * <pre>
 *   dispatcher / replay ─► Subscription queue (bounded; overflow ends the stream with stream_overflow)
 *        ─► drain(), on the event loop, only while the channel is writable
 *        ─► Netty outbound buffer (stops at the write-buffer high-water mark / HTTP/2 window) ─► socket
 * </pre>
 * <ul>
 *   <li>{@link #wakeUp()} (any thread, from the engine) schedules one drain on the event loop;
 *       wake-ups while one is already scheduled coalesce.</li>
 *   <li>A drain writes and flushes events for as long as the channel is writable and the queue has
 *       events: one event per write (each its own chunk or DATA frame) for the JVM driver, which
 *       reads one event per delivered buffer; for other clients up to {@link #MAX_BATCH_EVENTS}
 *       queued events go out together in one write and flush, which costs far fewer syscalls and
 *       frames when events arrive faster than they can be sent one by one. When the channel turns unwritable it stops with events still queued;
 *       the engine does not wake a sink that has not emptied the queue, so the drain resumes from
 *       the writer's {@link StreamingResponseWriter#onWritable} callback instead. A client that
 *       stops reading thus leaves events in the bounded queue, where the engine's overflow rule
 *       takes over, rather than in Netty's buffers.</li>
 *   <li>When the subscription is done (its terminal error event sent), the response is finished;
 *       whenever the response is over (finished, client gone, server shutting down), the
 *       subscription is closed, so the engine stops routing events to it.</li>
 * </ul>
 */
final class SubscriptionPump implements SubscriptionSink {
    /** Upper bound of events coalesced into one write for clients that split lines themselves. */
    static final int MAX_BATCH_EVENTS = 64;

    private final boolean onePerWrite;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile StreamingResponseWriter writer;
    private volatile Subscription subscription;
    /** Event-loop confined: the response has been finished or abandoned. */
    private boolean ended;

    /** @param onePerWrite send each event in its own write (clients that parse one event per read) */
    SubscriptionPump(boolean onePerWrite) {
        this.onePerWrite = onePerWrite;
    }

    /**
     * Connects the subscription to its response and starts draining. Wake-ups that came before
     * (the engine queues the first status event while subscribing) are covered by the drain this
     * schedules.
     */
    void attach(StreamingResponseWriter writer, Subscription subscription) {
        this.subscription = subscription;
        this.writer = writer;
        writer.onWritable(this::drain);
        writer.closeFuture().whenComplete((ignored, error) -> subscription.close());
        schedule();
    }

    @Override
    public void wakeUp() {
        schedule();
    }

    private void schedule() {
        StreamingResponseWriter w = writer;
        if (w != null && scheduled.compareAndSet(false, true)) {
            w.execute(() -> {
                scheduled.set(false);
                drain();
            });
        }
    }

    /** On the event loop. */
    private void drain() {
        if (ended) {
            return;
        }
        StreamingResponseWriter w = writer;
        Subscription s = subscription;
        while (w.isOpen() && w.isWritable()) {
            byte[] event = s.poll();
            if (event == null) {
                break;
            }
            // The bytes are shared with other subscribers of the same source: wrapped, never copied
            // or modified here.
            if (onePerWrite) {
                w.write(Unpooled.wrappedBuffer(event));
                continue;
            }
            CompositeByteBuf batch = Unpooled.compositeBuffer(MAX_BATCH_EVENTS);
            batch.addComponent(true, Unpooled.wrappedBuffer(event));
            for (int n = 1; n < MAX_BATCH_EVENTS; n++) {
                byte[] next = s.poll();
                if (next == null) break;
                batch.addComponent(true, Unpooled.wrappedBuffer(next));
            }
            w.write(batch);
        }
        if (!w.isOpen()) {
            ended = true;
            s.close();
        } else if (s.isDone()) {
            ended = true;
            w.finish();
            s.close();
        }
    }
}
