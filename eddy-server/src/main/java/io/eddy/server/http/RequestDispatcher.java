package io.eddy.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an HTTP/1.1 connection's pipeline: hands aggregated requests, one at a time and
 * in order, to the {@link ExchangeRunner}, with the connection as their {@link Http1Wire}.
 *
 * <p>Invariants:
 * <ul>
 *   <li>All fields are confined to the channel's event loop; endpoints reach back only through
 *       {@link Exchange}, which hops onto the loop.</li>
 *   <li>One exchange at a time. A pipelined request that arrives while another is in flight waits in
 *       the backlog, and reading stops until the backlog drains, so responses leave in request order
 *       and a client cannot queue unbounded work.</li>
 *   <li>Every request is released exactly once: by the runner, or with the backlog when the channel
 *       closes.</li>
 * </ul>
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
    static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final ExchangeRunner runner;
    /** Pipelined requests; made on first use. */
    private ArrayDeque<Object> backlog;
    private ChannelHandlerContext ctx;
    private Http1Wire wire;
    private Exchange current;

    RequestDispatcher(Router router, Authenticator authenticator, Executor executor, int maxRequestBytes) {
        this(new ExchangeRunner(router, authenticator, executor, maxRequestBytes));
    }

    RequestDispatcher(ExchangeRunner runner) {
        this.runner = runner;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.wire = new Http1Wire(ctx, this);
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
        if (msg instanceof OversizedRequest o) {
            runner.startOversized(wire, o, this::setCurrent);
        } else {
            runner.start(wire, (FullHttpRequest) msg, this::setCurrent);
        }
    }

    private void setCurrent(Exchange ex) {
        current = ex;
    }

    /** On the event loop: the exchange's last byte is written (or failed). */
    void exchangeDone(Exchange ex, boolean close) {
        if (current != ex) {
            return;
        }
        current = null;
        Connection conn = Connection.of(ctx.channel());
        conn.exchangeFinished();
        if (close || conn.draining()) {
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

    /**
     * The channel's outbound buffer crossed a water mark: a stream that paused for a slow client may
     * write again.
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
}
