package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link StreamingResponseWriter} over Netty HTTP objects: HTTP/1.1 chunked transfer, or HTTP/2 DATA
 * frames through {@code Http2StreamFrameToHttpObjectCodec} (which drops the chunked header). Every
 * {@link #write} is its own chunk or frame; its producer runs in the connection's {@link WriteRounds},
 * which flush once per round for all the connection's streams.
 *
 * <p>The writer registers with its {@link Connection} while open, so that a server shutdown can end
 * it ({@link #endForShutdown}); writability changes reach it from the {@link RequestDispatcher}
 * through the {@link Exchange}.
 */
final class HttpStreamingResponseWriter implements StreamingResponseWriter, WriteRounds.Stream {
    private final Exchange exchange;
    private final ChannelHandlerContext ctx;
    private final WriteRounds rounds;
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Queued in {@link #rounds} and not yet run: requests coalesce until the producer runs. */
    private final AtomicBoolean writeRequested = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Runnable producer;
    /** Event-loop confined: the head has been written; no event may go before it. */
    private boolean started;
    /** Event-loop confined: a round came before the head did, so the producer is owed a run. */
    private boolean runOwed;

    HttpStreamingResponseWriter(Exchange exchange, ChannelHandlerContext ctx) {
        this.exchange = exchange;
        this.ctx = ctx;
        this.rounds = Connection.of(ctx.channel()).writeRounds();
        ctx.channel().closeFuture().addListener(f -> {
            Connection.of(ctx.channel()).streamEnded(this);
            closed.complete(null);
        });
    }

    /** On the event loop: sends the head so the client sees the status before the first event. */
    void start(HttpResponse head) {
        if (!exchange.isHttp2()) {
            HttpUtil.setTransferEncodingChunked(head, true);
            HttpUtil.setKeepAlive(head.headers(), exchange.version(), exchange.keepAlive());
        }
        if (ctx.channel().isActive()) {
            Connection.of(ctx.channel()).streamStarted(this);
        }
        if (exchange.isHttp2()) {
            // An HTTP/2 stream carries one request, already aggregated: its aggregator has nothing
            // left to do for the hours the stream may stay open.
            ChannelPipeline p = ctx.pipeline();
            if (p.get(HttpChannelInitializer.STREAM_AGGREGATOR) != null) {
                p.remove(HttpChannelInitializer.STREAM_AGGREGATOR);
            }
        }
        ctx.writeAndFlush(head);
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
        if (!finished.get() && writeRequested.compareAndSet(false, true)) {
            rounds.request(this);
        }
    }

    @Override
    public void runProducer() {
        writeRequested.set(false);
        if (!started) {
            // The connection's round was already queued when this stream's head was: wait for it.
            runOwed = true;
            return;
        }
        Runnable p = producer;
        if (p != null && !finished.get()) {
            p.run();
        }
    }

    @Override
    public void abort() {
        finished.set(true);
        ctx.channel().close();
    }

    @Override
    public void write(ByteBuf event) {
        if (finished.get()) {
            event.release();
            return;
        }
        // Inside a round the round's flush sends it (with the other streams' events); outside, at once.
        if (ctx.executor().inEventLoop() && rounds.inRound()) {
            ctx.write(new DefaultHttpContent(event));
        } else {
            ctx.writeAndFlush(new DefaultHttpContent(event));
        }
    }

    @Override
    public CompletionStage<Void> finish() {
        if (!finished.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        ChannelFuture f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        f.addListener(done -> {
            Connection.of(ctx.channel()).streamEnded(this);
            exchange.dispatcher().exchangeDone(exchange, !done.isSuccess() || !exchange.keepAlive());
            closed.complete(null);
        });
        return toStage(f);
    }

    @Override
    public boolean isOpen() {
        return !finished.get() && ctx.channel().isActive();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closed;
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
        if (finished.get()) {
            return;
        }
        if (ctx.channel().isWritable()) {
            finish();
        } else {
            finished.set(true);
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
