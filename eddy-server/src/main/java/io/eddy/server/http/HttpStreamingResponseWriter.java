package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponse;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link StreamingResponseWriter} over an {@link ExchangeWire}: HTTP/1.1 chunked transfer, or DATA
 * frames of one HTTP/2 stream written through the connection's HTTP/2 encoder. Every {@link #write}
 * is its own chunk or frame; its producer runs in the connection's {@link WriteRounds}, which flush
 * once per round for all the connection's streams.
 *
 * <p>The writer registers with its {@link Connection} while open, so that a server shutdown can end
 * it ({@link #endForShutdown}); writability changes reach it through the {@link Exchange}.
 */
final class HttpStreamingResponseWriter implements StreamingResponseWriter, WriteRounds.Stream {
    // An idle stream can stay open for hours, thousands per connection: its state is plain fields
    // (flags through VarHandles, the close callback under this object's monitor), not atomics and
    // futures of their own.
    private static final VarHandle FINISHED;
    private static final VarHandle WRITE_REQUESTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FINISHED = lookup.findVarHandle(HttpStreamingResponseWriter.class, "finished", boolean.class);
            WRITE_REQUESTED = lookup.findVarHandle(HttpStreamingResponseWriter.class, "writeRequested", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Exchange exchange;
    private final ExchangeWire wire;
    private final WriteRounds rounds;
    private volatile boolean finished;
    /** Queued in {@link #rounds} and not yet run: requests coalesce until the producer runs. */
    private volatile boolean writeRequested;
    private volatile Runnable producer;
    /** Guarded by this: the response is over, and what to run then (if not run yet). */
    private boolean closed;
    private Runnable closeCallback;
    /** Event-loop confined: neighbours in the connection's list of open streams ({@link Connection}). */
    HttpStreamingResponseWriter previousOpen;
    HttpStreamingResponseWriter nextOpen;
    /** Event-loop confined: the head has been written; no event may go before it. */
    private boolean started;
    /** Event-loop confined: a round came before the head did, so the producer is owed a run. */
    private boolean runOwed;

    /** An event stream (ended by a server shutdown), not a body of known end. */
    private final boolean endless;

    HttpStreamingResponseWriter(Exchange exchange, ExchangeWire wire, boolean endless) {
        this.exchange = exchange;
        this.wire = wire;
        this.endless = endless;
        this.rounds = wire.connection().writeRounds();
        wire.onClose(this::wireClosed);
    }

    /** The HTTP/2 stream or the HTTP/1.1 connection closed. */
    private void wireClosed() {
        wire.connection().streamEnded(this);
        markClosed();
    }

    private void markClosed() {
        Runnable callback;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            callback = closeCallback;
            closeCallback = null;
        }
        if (callback != null) {
            callback.run();
        }
    }

    @Override
    public void onClose(Runnable callback) {
        synchronized (this) {
            if (!closed) {
                closeCallback = callback;
                return;
            }
        }
        callback.run();
    }

    /** On the event loop: sends the head so the client sees the status before the first event. */
    void start(HttpResponse head) {
        if (endless && wire.isActive()) {
            wire.connection().streamStarted(this); // listed to be ended when the server shuts down
        }
        wire.writeHead(exchange, head);
        started = true;
        if (runOwed) {
            runOwed = false;
            requestWrite();
        }
    }

    @Override
    public void onReady(Runnable producer) {
        this.producer = producer;
    }

    @Override
    public void requestWrite() {
        if (!finished && WRITE_REQUESTED.compareAndSet(this, false, true)) {
            rounds.request(this);
        }
    }

    @Override
    public void runProducer() {
        writeRequested = false;
        if (!started) {
            // The connection's round was already queued when this stream's head was: wait for it.
            runOwed = true;
            return;
        }
        Runnable p = producer;
        if (p != null && !finished) {
            p.run();
        }
    }

    @Override
    public void abort() {
        finished = true;
        wire.abort();
    }

    @Override
    public void writeShared(byte[][] events, int count) {
        if (finished || count == 0) {
            return;
        }
        if (wire.executor().inEventLoop()) {
            wire.writeEvents(events, count, !rounds.inRound(), rounds);
        } else {
            // A wrapper over the arrays (never changed), queued ahead of any finish() this thread calls next.
            ByteBuf all = Unpooled.wrappedBuffer(java.util.Arrays.copyOf(events, count));
            exchange.onEventLoop(() -> wire.writeData(all, true), all);
        }
    }

    @Override
    public void write(ByteBuf event) {
        if (finished) {
            event.release();
            return;
        }
        // Inside a round the round's flush sends it (with the other streams' events); outside, at once.
        if (wire.executor().inEventLoop()) {
            wire.writeData(event, !rounds.inRound());
        } else {
            // Queued ahead of any finish() this thread calls next, so it goes out before the end.
            exchange.onEventLoop(() -> wire.writeData(event, true), event);
        }
    }

    @Override
    public CompletionStage<Void> finish() {
        if (!FINISHED.compareAndSet(this, false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> stage = new CompletableFuture<>();
        Runnable end = () -> wire.writeEnd().addListener(done -> {
            wire.connection().streamEnded(this);
            wire.exchangeDone(exchange, !done.isSuccess());
            markClosed();
            if (done.isSuccess()) {
                stage.complete(null);
            } else {
                stage.completeExceptionally(done.cause());
            }
        });
        if (wire.executor().inEventLoop()) {
            end.run();
        } else {
            try {
                wire.executor().execute(end);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The event loop is gone, and the connection with it: the response is over.
                markClosed();
                stage.completeExceptionally(e);
            }
        }
        return stage;
    }

    @Override
    public boolean isOpen() {
        return !finished && wire.isActive();
    }

    @Override
    public boolean canSendWhole(int bytes) {
        return wire.canSendWhole(bytes, this::requestWrite);
    }

    @Override
    public boolean isWritable() {
        return wire.isWritable();
    }


    /** On the event loop, from the dispatcher: the channel's writability changed. */
    void writabilityChanged() {
        if (wire.isWritable()) {
            requestWrite();
        }
    }

    /**
     * On the event loop, when the server shuts down: ends the response so the connection can close
     * without waiting out the grace period. A client that keeps up gets a clean end (last chunk or
     * END_STREAM) and resumes elsewhere from its last cursor; one that does not read would hold the
     * final frame in Netty's buffers until the grace period ran out, so its HTTP/2 stream is reset
     * (or its HTTP/1.1 connection closed) instead.
     */
    void endForShutdown() {
        if (finished) {
            return;
        }
        if (wire.isWritable()) {
            finish();
        } else {
            finished = true;
            wire.abort();
        }
    }

}
