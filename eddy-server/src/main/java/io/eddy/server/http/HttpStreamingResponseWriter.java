package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@link StreamingResponseWriter} over Netty HTTP objects: HTTP/1.1 chunked transfer, or, for HTTP/2,
 * the head through {@code Http2StreamFrameToHttpObjectCodec} and then DATA frames written directly
 * (the stream's codec and aggregator are removed once the head is out). Every
 * {@link #write} is its own chunk or frame; its producer runs in the connection's {@link WriteRounds},
 * which flush once per round for all the connection's streams.
 *
 * <p>The writer registers with its {@link Connection} while open, so that a server shutdown can end
 * it ({@link #endForShutdown}); writability changes reach it from the {@link RequestDispatcher}
 * through the {@link Exchange}.
 */
final class HttpStreamingResponseWriter implements StreamingResponseWriter, WriteRounds.Stream, ChannelFutureListener {
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

    /** How soon a stream waiting for flow-control window to send an event whole tries again. */
    static final long WINDOW_RETRY_MILLIS = 20;

    private final Exchange exchange;
    private final ChannelHandlerContext ctx;
    private final WriteRounds rounds;
    /** The HTTP/2 connection's state and this stream's id, for its flow-control windows; null for HTTP/1.1. */
    private final Http2Connection h2;
    private final int h2StreamId;
    /** Writes DATA frames itself once the head is out (the stream's HTTP codec is then removed). */
    private final boolean http2;
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

    HttpStreamingResponseWriter(Exchange exchange, ChannelHandlerContext ctx) {
        this.exchange = exchange;
        this.ctx = ctx;
        this.rounds = Connection.of(ctx.channel()).writeRounds();
        this.http2 = exchange.isHttp2();
        Http2FrameCodec codec = http2 ? ctx.channel().parent().pipeline().get(Http2FrameCodec.class) : null;
        this.h2 = codec == null ? null : codec.connection();
        this.h2StreamId = codec == null ? 0 : ((Http2StreamChannel) ctx.channel()).stream().id();
        ctx.channel().closeFuture().addListener(this);
    }

    /** The channel (HTTP/2 stream or HTTP/1.1 connection) closed. */
    @Override
    public void operationComplete(ChannelFuture channelClosed) {
        Connection.of(ctx.channel()).streamEnded(this);
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
        if (!http2) {
            HttpUtil.setTransferEncodingChunked(head, true);
            HttpUtil.setKeepAlive(head.headers(), exchange.version(), exchange.keepAlive());
        }
        if (ctx.channel().isActive()) {
            Connection.of(ctx.channel()).streamStarted(this);
        }
        ctx.writeAndFlush(head);
        if (http2) {
            // An HTTP/2 stream carries one request, already aggregated, and the head has just been
            // converted to its HEADERS frame: the aggregator and the HTTP-object codec have nothing
            // left to do for the hours the stream may stay open. Events are written as DATA frames.
            ChannelPipeline p = ctx.pipeline();
            for (String name : new String[] {HttpChannelInitializer.STREAM_AGGREGATOR, HttpChannelInitializer.STREAM_CODEC}) {
                if (p.get(name) != null) {
                    p.remove(name);
                }
            }
        }
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
        ctx.channel().close();
    }

    @Override
    public void write(ByteBuf event) {
        if (finished) {
            event.release();
            return;
        }
        // Inside a round the round's flush sends it (with the other streams' events); outside, at once.
        Object chunk = http2 ? new DefaultHttp2DataFrame(event) : new DefaultHttpContent(event);
        if (ctx.executor().inEventLoop() && rounds.inRound()) {
            ctx.write(chunk);
        } else {
            ctx.writeAndFlush(chunk);
        }
    }

    @Override
    public CompletionStage<Void> finish() {
        if (!FINISHED.compareAndSet(this, false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        ChannelFuture f = ctx.writeAndFlush(http2 ? new DefaultHttp2DataFrame(true) : LastHttpContent.EMPTY_LAST_CONTENT);
        f.addListener(done -> {
            Connection.of(ctx.channel()).streamEnded(this);
            exchange.dispatcher().exchangeDone(exchange, !done.isSuccess() || !exchange.keepAlive());
            markClosed();
        });
        return toStage(f);
    }

    @Override
    public boolean isOpen() {
        return !finished && ctx.channel().isActive();
    }

    @Override
    public boolean canSendWhole(int bytes) {
        if (h2 == null) {
            return true;
        }
        Http2Stream stream = h2.stream(h2StreamId);
        if (stream == null) {
            return true; // closed: the write fails on its own
        }
        Http2RemoteFlowController flow = h2.remote().flowController();
        int window = Math.min(flow.windowSize(stream), flow.windowSize(h2.connectionStream()));
        // An event larger than the client's initial window could wait forever: send it in pieces.
        if ((bytes <= window && !flow.hasFlowControlled(stream)) || bytes > flow.initialWindowSize()) {
            return true;
        }
        // No event tells a stream that holds nothing back that the window grew: look again shortly.
        ctx.executor().schedule(this::requestWrite, WINDOW_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        return false;
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }


    /** On the event loop, from the dispatcher: the channel's writability changed. */
    void writabilityChanged() {
        if (ctx.channel().isWritable()) {
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
        if (ctx.channel().isWritable()) {
            finish();
        } else {
            finished = true;
            ctx.channel().close();
        }
    }

    private static CompletionStage<Void> toStage(ChannelFuture f) {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        f.addListener(done -> {
            if (done.isSuccess()) {
                stage.complete(null);
            } else {
                stage.completeExceptionally(done.cause());
            }
        });
        return stage;
    }
}
