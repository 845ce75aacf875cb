package io.eddy.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections that have neither read nor written anything for the idle timeout, but only
 * when no exchange is in flight: a long query or an open event stream (which writes at least a
 * status event every few minutes) is never cut off for being quiet.
 */
final class ConnectionGuard extends IdleStateHandler {

    ConnectionGuard(Duration idleTimeout) {
        super(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (Connection.of(ctx.channel()).activeExchanges() == 0) {
            // From the tail, so an HTTP/2 codec sees the close and sends GOAWAY first.
            ctx.channel().close();
        }
    }
}
