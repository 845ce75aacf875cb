package io.eddy.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * {@link HttpObjectAggregator} whose oversized requests become {@link OversizedRequest}s for the
 * dispatcher (a JSON 413 {@code request_size_exceeded}) instead of Netty's empty 413.
 */
final class BoundedAggregator extends HttpObjectAggregator {

    BoundedAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        OversizedRequest.fire(ctx, oversized);
    }

    /**
     * With {@code Expect: 100-continue} and a too-large {@code Content-Length}, Netty would answer a
     * bare 413 itself; declining here sends the request down the oversized path instead.
     */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
            return null;
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }
}
