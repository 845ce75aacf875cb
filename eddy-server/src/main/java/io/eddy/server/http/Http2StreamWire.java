package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 stream as the wire of its exchange: the request's HEADERS and DATA frames are gathered
 * here (up to the size limit), and the response is written as frames through the connection's
 * {@link Http2RequestHandler} encoder, on the connection's own pipeline. A stream costs this object
 * and Netty's stream state, not a channel and pipeline of its own.
 *
 * <p>Confined to the connection's event loop, except {@link #onClose}, which a streaming writer calls
 * from the endpoint's thread.
 */
final class Http2StreamWire extends ExchangeWire {
    /** How soon a stream waiting for flow-control window to send an event whole tries again. */
    static final long WINDOW_RETRY_MILLIS = 20;

    private final Http2RequestHandler handler;
    private final ChannelHandlerContext ctx;
    private final Http2Stream stream;
    /** The request being received; dropped once it is handed on. */
    private Http2Headers headers;
    private ByteBuf body;
    private long bodyBytes;
    /** Of the connection's budget for gathered bodies ({@link Http2RequestHandler#reserveGathered}). */
    private long reserved;
    private boolean oversized;
    private boolean requestComplete;
    /** The exchange, once the request is complete. */
    private Exchange exchange;
    /** Counted in the connection's active exchanges and not yet finished. */
    private boolean counted;
    /** Guarded by this: the stream closed, and what to run then. */
    private boolean closed;
    private Runnable closeCallback;

    Http2StreamWire(Http2RequestHandler handler, ChannelHandlerContext ctx, Http2Stream stream) {
        this.handler = handler;
        this.ctx = ctx;
        this.stream = stream;
    }

    // ---- receiving the request ----

    void headersRead(Http2Headers h, boolean endOfStream) {
        if (headers == null && !requestComplete) {
            headers = h; // later HEADERS are trailers: nothing Eddy reads
        }
        if (endOfStream) {
            complete();
        }
    }

    void dataRead(ByteBuf data, boolean endOfStream) {
        if (!requestComplete && !oversized) {
            bodyBytes += data.readableBytes();
            if (bodyBytes > handler.maxRequestBytes()) {
                // Answer 413 now; the rest of the body is read and dropped, and the stream reset after.
                oversized = true;
                dropBody();
                complete();
                return;
            } else if (data.isReadable()) {
                if (!handler.reserveGathered(data.readableBytes())) {
                    // The connection holds too many unfinished bodies: refuse this stream (the client
                    // may retry it: REFUSED_STREAM says it was not processed).
                    requestComplete = true;
                    dropBody();
                    handler.resetStream(ctx, stream.id(), Http2Error.REFUSED_STREAM.code(), ctx.newPromise());
                    handler.flush(ctx);
                    return;
                }
                reserved += data.readableBytes();
                append(data.retain());
            }
        }
        if (endOfStream) {
            complete();
        }
    }

    private void append(ByteBuf data) {
        if (body == null) {
            body = data;
        } else if (body instanceof CompositeByteBuf c) {
            c.addComponent(true, data);
        } else {
            CompositeByteBuf c = ctx.alloc().compositeBuffer();
            c.addComponent(true, body);
            c.addComponent(true, data);
            body = c;
        }
    }

    /** The request ended (END_STREAM, or the h2c upgrade request): hands it to the runner. */
    private void complete() {
        if (requestComplete) {
            return;
        }
        requestComplete = true;
        Http2Headers h = headers;
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : body;
        headers = null;
        body = null;
        unreserve(); // handed on: the exchange holds it now, and releases it when its endpoint is done
        try {
            if (h == null) {
                throw Http2Exception.streamError(stream.id(), Http2Error.PROTOCOL_ERROR, "no request headers");
            }
            if (oversized) {
                content.release();
                HttpRequest head = HttpConversionUtil.toHttpRequest(stream.id(), h, true);
                handler.runner().startOversized(this, new OversizedRequest(head.method(), head.uri(),
                        HttpVersion.HTTP_1_1, head.headers(), true, true), this::exchangeCreated);
            } else {
                FullHttpRequest req = HttpConversionUtil.toFullHttpRequest(stream.id(), h, content, true);
                handler.runner().start(this, req, this::exchangeCreated);
            }
        } catch (Http2Exception e) {
            // toFullHttpRequest released the content on failure; the request is malformed.
            handler.resetStream(ctx, stream.id(), Http2Error.PROTOCOL_ERROR.code(), ctx.newPromise());
            handler.flush(ctx);
        }
    }

    private void dropBody() {
        ReferenceCountUtil.release(body);
        body = null;
        unreserve();
    }

    private void unreserve() {
        handler.releaseGathered(reserved);
        reserved = 0;
    }

    /** The h2c upgrade request, which becomes this stream (1). Takes ownership. */
    void upgradeRequest(FullHttpRequest request) {
        requestComplete = true;
        handler.runner().start(this, request, this::exchangeCreated);
    }

    private void exchangeCreated(Exchange ex) {
        exchange = ex;
        counted = true;
    }

    Exchange exchange() {
        return exchange;
    }

    /** The stream closed (ended both ways, reset, or the connection went away). */
    void streamClosed() {
        dropBody();
        headers = null;
        finishCount();
        Runnable callback;
        synchronized (this) {
            closed = true;
            callback = closeCallback;
            closeCallback = null;
        }
        if (callback != null) {
            callback.run();
        }
    }

    private void finishCount() {
        if (counted) {
            counted = false;
            handler.connectionState().exchangeFinished();
        }
    }

    // ---- the wire ----

    @Override EventExecutor executor() { return ctx.executor(); }

    @Override ByteBufAllocator alloc() { return ctx.alloc(); }

    @Override Connection connection() { return handler.connectionState(); }

    @Override boolean isHttp2() { return true; }

    private Http2ConnectionEncoder encoder() {
        return handler.encoder();
    }

    @Override
    void writeResponse(Exchange ex, FullHttpResponse response) {
        handler.emitDirect(ctx);
        ChannelPromise last = ctx.newPromise();
        ByteBuf content = response.content();
        boolean hasBody = content.isReadable();
        Http2Headers h = HttpConversionUtil.toHttp2Headers(response, true);
        encoder().writeHeaders(ctx, stream.id(), h, 0, !hasBody, hasBody ? ctx.newPromise() : last);
        if (hasBody) {
            handler.dataQueued(content.readableBytes());
            encoder().writeData(ctx, stream.id(), content, 0, true, last); // takes the content
        } else {
            response.release();
        }
        handler.flushSoon(ctx);
        last.addListener(done -> {
            if (!done.isSuccess()) {
                RequestDispatcher.log.debug("Failed to write response to {} {}", ex.method(), ex.path(), done.cause());
            }
            exchangeDone(ex, ex.closeAfterResponse());
        });
    }

    @Override
    void writeHead(Exchange ex, HttpResponse head) {
        handler.emitDirect(ctx);
        encoder().writeHeaders(ctx, stream.id(), HttpConversionUtil.toHttp2Headers(head, true), 0, false, ctx.newPromise());
        handler.flush(ctx);
    }

    @Override
    void writeData(ByteBuf data, boolean flush) {
        if (handler.writeDirect(ctx, stream, data)) {
            if (flush) {
                handler.flush(ctx);
            }
            return;
        }
        handler.emitDirect(ctx); // the stream's earlier DATA first
        handler.dataQueued(data.readableBytes());
        encoder().writeData(ctx, stream.id(), data, 0, false, ctx.newPromise());
        if (flush) {
            handler.flush(ctx);
        }
    }

    @Override
    void writeEvents(byte[][] events, int count, boolean flush, WriteRounds rounds) {
        if (handler.writeDirect(ctx, stream, events, count)) {
            if (flush) {
                handler.flush(ctx);
            }
            return;
        }
        super.writeEvents(events, count, flush, rounds);
    }

    @Override
    ChannelFuture writeEnd() {
        ChannelPromise p = ctx.newPromise();
        handler.emitDirect(ctx);
        encoder().writeData(ctx, stream.id(), Unpooled.EMPTY_BUFFER, 0, true, p);
        handler.flush(ctx);
        return p;
    }

    @Override
    void exchangeDone(Exchange ex, boolean close) {
        finishCount();
        // The response is complete; a client still sending its body (a 413) is told to stop.
        if (close && stream.state() == Http2Stream.State.HALF_CLOSED_LOCAL) {
            handler.resetStream(ctx, stream.id(), Http2Error.NO_ERROR.code(), ctx.newPromise());
            handler.flush(ctx);
        }
    }

    @Override
    void abort() {
        if (stream.state() != Http2Stream.State.CLOSED) {
            handler.resetStream(ctx, stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
            handler.flush(ctx);
        }
    }

    @Override
    boolean isActive() {
        return ctx.channel().isActive() && stream.state().localSideOpen();
    }

    @Override
    boolean isWritable() {
        return isActive() && handler.flow().isWritable(stream);
    }

    @Override
    boolean canSendWhole(int bytes, Runnable retry) {
        if (!isActive()) {
            return true; // closed: the write fails on its own
        }
        Http2RemoteFlowController flow = handler.flow();
        // An event larger than the client's initial window could wait forever: send it in pieces.
        if (bytes > flow.initialWindowSize()
                || (bytes <= flow.windowSize(stream) && !flow.hasFlowControlled(stream) && handler.connectionWindowHolds(bytes))) {
            return true;
        }
        // No event tells a stream that holds nothing back that the window grew: look again shortly.
        ctx.executor().schedule(retry, WINDOW_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        return false;
    }

    @Override
    void onClose(Runnable callback) {
        synchronized (this) {
            if (!closed) {
                closeCallback = callback;
                return;
            }
        }
        callback.run();
    }
}
