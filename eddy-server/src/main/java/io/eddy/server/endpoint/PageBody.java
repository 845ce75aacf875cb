package io.eddy.server.endpoint;

import io.eddy.server.http.Exchange;
import io.eddy.server.http.StreamingResponseWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * The body of a feed page sent in pieces ({@link FeedEndpoint}): the head ({@code 200}) and
 * {@code {"events":[} before the first slice, a comma between slices, then the end. Used by the
 * request's thread only.
 *
 * <p>Back-pressure: before each slice the thread waits while the connection holds more than its
 * high-water mark of unsent bytes (or the HTTP/2 window is used up), so a slow reader holds the page
 * read back instead of letting rendered pages pile up in memory. The thread reads writability off the
 * event loop, once the loop has run this thread's earlier writes: each slice's writes are followed by a
 * probe, an empty task on the loop, and the next slice first waits for that probe. The probe is sent a
 * whole chunk of reading earlier, so it has nearly always run by then and the wait costs nothing (a
 * probe sent just before the check would park the thread on every slice until the loop, often busy
 * writing the last slice, got to it). A stale answer costs one more wait of
 * {@value #WRITABLE_POLL_MILLIS} ms at most, never a lost or reordered byte (every write goes through
 * the event loop, in order).
 */
final class PageBody {
    /** The client is gone: the page need not be read on. */
    static final class ClientGone extends RuntimeException {
        ClientGone() {
            super("the client closed the feed request", null, false, false);
        }
    }

    /** The client read nothing of the page for {@link #stallLimitNanos}: the response is to be cut off. */
    static final class ClientStalled extends RuntimeException {
        ClientStalled() {
            super("the client stopped reading the feed page", null, false, false);
        }
    }

    /** How long one wait for writability lasts before the connection is looked at again. */
    private static final long WRITABLE_POLL_MILLIS = 50;

    private final Exchange exchange;
    /**
     * How long one wait for the client to read may last (the request's timeout). The page read waits
     * inside its transaction, whose snapshot keeps old versions from being compacted away, so a client
     * that stops reading must not hold it for ever; one that reads frees room well within it.
     */
    private final long stallLimitNanos;
    private final Semaphore writable = new Semaphore(0);
    private StreamingResponseWriter writer;
    /** Completes once the event loop has run every write made before the last slice's end; null before. */
    private CompletableFuture<Void> writesCounted;

    PageBody(Exchange exchange, Duration stallLimit) {
        this.exchange = exchange;
        this.stallLimitNanos = stallLimit.toNanos();
    }

    boolean started() {
        return writer != null;
    }

    /** Sends the next rendered slice (takes it). */
    void send(ByteBuf slice) {
        if (writer == null) {
            writer = exchange.startBody(StreamHttpResponse.head());
            writer.onReady(writable::release);
            writer.write(Unpooled.wrappedBuffer(FeedHttpResponse.HEAD));
        } else {
            writer.write(Unpooled.wrappedBuffer(FeedHttpResponse.COMMA));
        }
        try {
            awaitWritable();
        } catch (RuntimeException | Error e) {
            slice.release();
            throw e;
        }
        writer.write(slice);
        writesCounted = probe();
    }

    /** A task on the event loop that completes once the loop has run every write queued before it. */
    private CompletableFuture<Void> probe() {
        try {
            return CompletableFuture.runAsync(() -> { }, exchange.eventLoop());
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e); // the loop is gone: the next wait says so
        }
    }

    /** Sends the end of the page (takes it) and finishes the response. */
    void end(ByteBuf end) {
        writer.write(end);
        writer.finish();
    }

    private void awaitWritable() {
        long since = System.nanoTime();
        // Writes from this thread are tasks on the connection's event loop: until the loop has run them,
        // the connection does not count their bytes, and a check before would see too much room.
        if (writesCounted != null) {
            try {
                writesCounted.get(stallLimitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientGone();
            } catch (ExecutionException | TimeoutException e) {
                throw new ClientGone(); // the connection's event loop is gone or stuck: nobody is reading
            }
        }
        while (!writer.isWritable()) {
            if (!writer.isOpen()) {
                throw new ClientGone();
            }
            if (System.nanoTime() - since > stallLimitNanos) {
                throw new ClientStalled();
            }
            writer.requestWrite(); // the writer runs its producer, which signals, when it can send
            try {
                writable.tryAcquire(WRITABLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientGone();
            }
        }
        if (!writer.isOpen()) {
            throw new ClientGone();
        }
    }
}
