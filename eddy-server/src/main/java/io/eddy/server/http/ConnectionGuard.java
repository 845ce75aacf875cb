package io.eddy.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that have been idle for the idle timeout: nothing read for that long, no
 * exchange in flight, and none finished within it. A long query or an open event stream is never
 * cut off for being quiet.
 *
 * <p>Only reads are watched by the timer. Watching writes too would put a listener on every write,
 * and an event stream writes one frame per event; writes happen only for exchanges, and the end of
 * the last one is recorded by {@link Connection#exchangeFinished}, which is all the rule needs.
 */
final class ConnectionGuard extends IdleStateHandler {
    private final long idleNanos;

    ConnectionGuard(Duration idleTimeout) {
        super(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS);
        this.idleNanos = idleTimeout.toNanos();
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        Connection c = Connection.of(ctx.channel());
        if (c.activeExchanges() == 0 && System.nanoTime() - c.lastExchangeFinishedNanos() >= idleNanos) {
            // From the tail, so an HTTP/2 codec sees the close and sends GOAWAY first.
            ctx.channel().close();
        }
    }
}
