package io.eddy.server.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every request pipeline (an HTTP/1.1 connection, or one HTTP/2 stream): turns
 * aggregated requests into {@link Exchange}s, routes, authenticates, runs the endpoint on a virtual
 * thread and writes its answer back on the event loop.
 *
 * <p>Invariants:
 * <ul>
 *   <li>All fields are confined to the channel's event loop; endpoints reach back only through
 *       {@link Exchange}, which hops onto the loop.</li>
 *   <li>One exchange at a time per channel. On HTTP/1.1 a pipelined request that arrives while
 *       another is in flight waits in the backlog, and reading stops until the backlog drains, so
 *       responses leave in request order and a client cannot queue unbounded work. (HTTP/2 streams
 *       each have their own dispatcher.)</li>
 *   <li>Every request is released exactly once: by {@link Exchange#releaseRequest} after the
 *       endpoint returns, at once when refused before it, or with the backlog when the channel
 *       closes.</li>
 *   <li>The event loop never blocks: routing, authentication and error rendering are cheap; body
 *       parsing, query execution and response rendering all run on the virtual thread.</li>
 * </ul>
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Router router;
    private final Authenticator authenticator;
    private final Executor executor;
    private final int maxRequestBytes;
    /** Pipelined HTTP/1.1 requests; made on first use (an HTTP/2 stream carries one request only). */
    private ArrayDeque<Object> backlog;
    private ChannelHandlerContext ctx;
    private Exchange current;

    RequestDispatcher(Router router, Authenticator authenticator, Executor executor, int maxRequestBytes) {
        this.router = router;
        this.authenticator = authenticator;
        this.executor = executor;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest) && !(msg instanceof OversizedRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (current != null) {
            if (backlog == null) {
                backlog = new ArrayDeque<>(4);
            }
            backlog.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        begin(msg);
    }

    private void begin(Object msg) {
        Connection.of(ctx.channel()).exchangeStarted();
        if (msg instanceof OversizedRequest o) {
            String path = Router.normalizePath(o.uri());
            Exchange ex = new Exchange(this, ctx, o.method(), path, o.headers(), o.version(), o.keepAlive(), null);
            current = ex;
            if (o.closeConnection()) {
                ex.closeConnectionAfterResponse();
            }
            reject(ex, router.anyAt(path), ProtocolException.tooLarge(maxRequestBytes));
        } else {
            beginRequest((FullHttpRequest) msg);
        }
    }

    private void beginRequest(FullHttpRequest req) {
        Router.Route route = router.route(req.method(), Router.normalizePath(req.uri()));
        // The endpoint's own path string: a stream's exchange lives for hours, its copy need not.
        String path = route instanceof Router.Route.Found f ? f.endpoint().path() : Router.normalizePath(req.uri());
        Exchange ex = new Exchange(this, ctx, req.method(), path, req.headers(), req.protocolVersion(),
                HttpUtil.isKeepAlive(req), req);
        current = ex;
        if (!req.decoderResult().isSuccess()) {
            // The HTTP decoder discards everything after a bad message: this connection is done.
            ex.closeConnectionAfterResponse();
            reject(ex, null, ProtocolException.malformed(describe(req.decoderResult().cause())));
            return;
        }
        switch (route) {
            case Router.Route.NotFound nf -> reject(ex, null, ProtocolException.notFound(path));
            case Router.Route.WrongMethod wm -> {
                FullHttpResponse r = errorResponse(null, ex,
                        ProtocolException.methodNotAllowed(req.method().name(), path));
                r.headers().set(HttpHeaderNames.ALLOW,
                        wm.allowed().stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
                ex.releaseRequest();
                ex.respond(r);
            }
            case Router.Route.Found found -> {
                Endpoint endpoint = found.endpoint();
                if (endpoint.requiresAuth()) {
                    try {
                        ex.principal(authenticator.authenticate(req.headers()));
                    } catch (ProtocolException e) {
                        reject(ex, endpoint, e);
                        return;
                    }
                }
                submit(endpoint, ex);
            }
        }
    }

    private void submit(Endpoint endpoint, Exchange ex) {
        try {
            executor.execute(() -> serve(endpoint, ex));
        } catch (RejectedExecutionException e) {
            ex.closeConnectionAfterResponse();
            reject(ex, endpoint, ProtocolException.unavailable());
        }
    }

    /** On a virtual thread: runs the endpoint and makes sure the exchange is answered. */
    private void serve(Endpoint endpoint, Exchange ex) {
        try {
            endpoint.serve(ex);
            if (!ex.hasResponded()) {
                throw new IllegalStateException("endpoint " + endpoint.method() + " " + endpoint.path()
                        + " returned without answering");
            }
        } catch (ProtocolException e) {
            answerWithError(endpoint, ex, e);
        } catch (Throwable t) {
            log.error("Unexpected error serving {} {}", ex.method(), ex.path(), t);
            answerWithError(endpoint, ex, ProtocolException.internal());
        } finally {
            ex.releaseRequest();
        }
    }

    private void answerWithError(Endpoint endpoint, Exchange ex, ProtocolException e) {
        if (ex.hasResponded()) {
            // Too late for an error response: the endpoint answered, then failed. A complete response
            // stands; a stream cut short must not look complete, so its connection (or HTTP/2 stream)
            // is closed.
            log.debug("Error after answering {} {}: {}", ex.method(), ex.path(), e.getMessage());
            if (ex.isStreaming()) {
                ex.onEventLoop(() -> ctx.channel().close(), null);
            }
            return;
        }
        ex.respond(errorResponse(endpoint, ex, e));
    }

    /** Answers at once with an error, before or instead of any endpoint. */
    private void reject(Exchange ex, Endpoint endpoint, ProtocolException e) {
        FullHttpResponse r = errorResponse(endpoint, ex, e);
        ex.releaseRequest();
        ex.respond(r);
    }

    private FullHttpResponse errorResponse(Endpoint endpoint, Exchange ex, ProtocolException e) {
        if (endpoint != null) {
            try {
                return endpoint.errorResponse(ctx.alloc(), ex.headers(), e);
            } catch (RuntimeException bug) {
                log.error("Endpoint {} failed to render an error response", endpoint.path(), bug);
            }
        }
        return JsonResponses.error(ctx.alloc(), e);
    }

    /** On the event loop: writes a complete response, then moves on to the next request. */
    void writeResponse(Exchange ex, FullHttpResponse response) {
        boolean close;
        if (isHttp2Stream()) {
            close = ex.closeAfterResponse(); // closing a stream channel resets only that stream
        } else {
            close = ex.closeAfterResponse() || !ex.keepAlive() || Connection.of(ctx.channel()).draining();
            HttpUtil.setKeepAlive(response.headers(), ex.version(), !close);
        }
        ChannelFuture f = ctx.writeAndFlush(response);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                log.debug("Failed to write response to {} {}", ex.method(), ex.path(), done.cause());
            }
            exchangeDone(ex, close || !done.isSuccess());
        });
    }

    /** On the event loop: the exchange's last byte is written (or failed). */
    void exchangeDone(Exchange ex, boolean close) {
        if (current != ex) {
            return;
        }
        current = null;
        Connection conn = Connection.of(ctx.channel());
        conn.exchangeFinished();
        if (close || (conn.draining() && !isHttp2Stream())) {
            ctx.channel().close();
            return;
        }
        Object next = backlog == null ? null : backlog.poll();
        if (next != null) {
            begin(next);
        } else if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private boolean isHttp2Stream() {
        return ctx.channel() instanceof Http2StreamChannel;
    }

    /**
     * The channel's outbound buffer crossed a water mark (or, for an HTTP/2 stream, its flow-control
     * window opened or closed): a stream that paused for a slow client may write again.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (current != null) {
            current.writabilityChanged();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseBacklog();
        if (current != null) {
            // The client left mid-exchange; the endpoint's eventual write will fail harmlessly.
            current = null;
            Connection.of(ctx.channel()).exchangeFinished();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBacklog();
    }

    private void releaseBacklog() {
        Object m;
        while (backlog != null && (m = backlog.poll()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("Connection error on {}: {}", ctx.channel(), cause.toString());
        } else {
            log.warn("Unexpected error on {}, closing it", ctx.channel(), cause);
        }
        ctx.close();
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unreadable request";
        }
        String m = cause.getMessage();
        return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
    }
}
