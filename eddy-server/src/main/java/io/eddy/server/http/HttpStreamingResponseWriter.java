package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
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
 * {@link #write} is its own {@code writeAndFlush}, so each event is its own chunk or frame and its
 * own socket write.
 */
final class HttpStreamingResponseWriter implements StreamingResponseWriter {
    private final Exchange exchange;
    private final ChannelHandlerContext ctx;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    HttpStreamingResponseWriter(Exchange exchange, ChannelHandlerContext ctx) {
        this.exchange = exchange;
        this.ctx = ctx;
        ctx.channel().closeFuture().addListener(f -> closed.complete(null));
    }

    /** On the event loop: sends the head so the client sees the status before the first event. */
    void start(HttpResponse head) {
        if (!exchange.isHttp2()) {
            HttpUtil.setTransferEncodingChunked(head, true);
            HttpUtil.setKeepAlive(head.headers(), exchange.version(), exchange.keepAlive());
        }
        ctx.writeAndFlush(head);
    }

    @Override
    public CompletionStage<Void> write(ByteBuf event) {
        if (finished.get()) {
            event.release();
            return CompletableFuture.failedFuture(new IllegalStateException("stream already finished"));
        }
        return toStage(ctx.writeAndFlush(new DefaultHttpContent(event)));
    }

    @Override
    public CompletionStage<Void> finish() {
        if (!finished.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        ChannelFuture f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        f.addListener(done -> exchange.dispatcher().exchangeDone(exchange, !done.isSuccess() || !exchange.keepAlive()));
        return toStage(f);
    }

    @Override
    public boolean isOpen() {
        return !finished.get() && ctx.channel().isActive();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closed;
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
