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
 * event loop, after the loop has run this thread's earlier writes (a task on the loop, waited for):
 * a stale answer then costs one more wait of {@value #WRITABLE_POLL_MILLIS} ms at most, never a lost or
 * reordered byte (every write goes through the event loop, in order).
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
    }

    /** Sends the end of the page (takes it) and finishes the response. */
    void end(ByteBuf end) {
        writer.write(end);
        writer.finish();
    }

    private void awaitWritable() {
        long since = System.nanoTime();
        // Writes from this thread are tasks on the connection's event loop: until the loop has run them,
        // the connection does not count their bytes, and a check now would see too much room.
        try {
            CompletableFuture.runAsync(() -> { }, exchange.eventLoop()).get(stallLimitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientGone();
        } catch (ExecutionException | RejectedExecutionException | TimeoutException e) {
            throw new ClientGone(); // the connection's event loop is gone or stuck: nobody is reading
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
