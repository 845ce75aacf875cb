package io.eddy.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Stands in for a request whose body exceeded the size limit. The aggregators emit it instead of
 * writing their own bare 413, so that the 413 goes through {@link RequestDispatcher} like any other
 * response: in order behind pipelined requests, as JSON, in the endpoint's error shape.
 *
 * @param closeConnection whether the connection must close after the 413: true when body bytes were
 *     already consumed (the rest cannot be skipped reliably) or the client will not keep it alive;
 *     otherwise the aggregator discards the rest of the body and the connection carries on
 */
record OversizedRequest(HttpMethod method, String uri, HttpVersion version, HttpHeaders headers,
                        boolean keepAlive, boolean closeConnection) {

    /** Called from an aggregator's {@code handleOversizedMessage}; mirrors Netty's close rules. */
    static void fire(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest req)) {
            ctx.close(); // a server never aggregates responses
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean close = oversized instanceof FullHttpMessage
                || !ctx.channel().config().isAutoRead()
                || (!HttpUtil.is100ContinueExpected(req) && !keepAlive);
        // The message is released by the aggregator once this returns: keep copies only.
        ctx.fireChannelRead(new OversizedRequest(req.method(), req.uri(), req.protocolVersion(),
                req.headers().copy(), keepAlive, close));
    }
}
