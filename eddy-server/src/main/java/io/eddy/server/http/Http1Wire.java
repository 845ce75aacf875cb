package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;

/**
 * An HTTP/1.1 connection as the wire of its exchanges, one at a time: responses and chunks go
 * through the connection's pipeline ({@code HttpServerCodec}); when an exchange is done its
 * {@link RequestDispatcher} starts the next pipelined request or closes the connection.
 */
final class Http1Wire extends ExchangeWire {
    private final ChannelHandlerContext ctx;
    private final RequestDispatcher dispatcher;

    Http1Wire(ChannelHandlerContext ctx, RequestDispatcher dispatcher) {
        this.ctx = ctx;
        this.dispatcher = dispatcher;
    }

    @Override EventExecutor executor() { return ctx.executor(); }

    @Override ByteBufAllocator alloc() { return ctx.alloc(); }

    @Override Connection connection() { return Connection.of(ctx.channel()); }

    @Override boolean isHttp2() { return false; }

    @Override
    void writeResponse(Exchange ex, FullHttpResponse response) {
        boolean close = ex.closeAfterResponse() || !ex.keepAlive() || connection().draining();
        HttpUtil.setKeepAlive(response.headers(), ex.version(), !close);
        ctx.writeAndFlush(response).addListener(done -> {
            if (!done.isSuccess()) {
                RequestDispatcher.log.debug("Failed to write response to {} {}", ex.method(), ex.path(), done.cause());
            }
            exchangeDone(ex, close || !done.isSuccess());
        });
    }

    @Override
    void writeHead(Exchange ex, HttpResponse head) {
        HttpUtil.setTransferEncodingChunked(head, true);
        HttpUtil.setKeepAlive(head.headers(), ex.version(), ex.keepAlive());
        ctx.writeAndFlush(head);
    }

    @Override
    void writeData(ByteBuf data, boolean flush) {
        if (flush) {
            ctx.writeAndFlush(new DefaultHttpContent(data));
        } else {
            ctx.write(new DefaultHttpContent(data));
        }
    }

    @Override
    ChannelFuture writeEnd() {
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Override
    void exchangeDone(Exchange ex, boolean close) {
        dispatcher.exchangeDone(ex, close || !ex.keepAlive());
    }

    @Override
    void abort() {
        ctx.channel().close();
    }

    @Override boolean isActive() { return ctx.channel().isActive(); }

    @Override boolean isWritable() { return ctx.channel().isWritable(); }

    @Override boolean canSendWhole(int bytes, Runnable retry) { return true; }

    @Override
    void onClose(Runnable callback) {
        ctx.channel().closeFuture().addListener(f -> callback.run());
    }
}
