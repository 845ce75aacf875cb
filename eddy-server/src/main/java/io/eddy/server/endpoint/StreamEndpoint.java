package io.eddy.server.endpoint;

import io.eddy.server.http.Endpoint;
import io.eddy.server.http.Exchange;
import io.eddy.server.http.ProtocolException;
import io.eddy.server.http.StreamingResponseWriter;
import io.eddy.stream.EventStreams;
import io.eddy.stream.live.Subscription;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Objects;

/**
 * {@code POST /stream/1}: an event stream, a response that stays open and carries one event per
 * line (core: {@code StreamEndpoint}).
 *
 * <p>The exchange, on the request's virtual thread:
 * <ol>
 *   <li>parse and validate the body ({@link StreamHttpRequest}); refusals are 400
 *       {@code invalid_request} before anything is sent;</li>
 *   <li>resolve token and start position ({@link EventStreams#open}) and subscribe
 *       ({@link EventStreams#subscribe}); both may read RocksDB, hence here and not on the event
 *       loop. The engine queues the first event, {@code status} at the start position, then replays
 *       history after it on its own thread, then follows live commits;</li>
 *   <li>send the head (200, {@code application/json;charset=utf-8}, chunked on HTTP/1.1) and hand
 *       the subscription to a {@link SubscriptionPump}, which drains it onto the connection on the
 *       event loop, one event per write and flush, only while the client keeps up;</li>
 *   <li>return: the virtual thread is not held for the stream's lifetime.</li>
 * </ol>
 * The stream ends after an error event ({@code stream_overflow}, an FQL error from the source's
 * projection, ...). The subscription is closed whenever the response is over: finished, the client
 * gone (connection closed, HTTP/2 stream reset), or the server shutting down, which ends open
 * streams cleanly so that clients resume elsewhere from their last cursor.
 */
public final class StreamEndpoint implements Endpoint {
    public static final String PATH = "/stream/1";

    private final EventStreams streams;

    public StreamEndpoint(EventStreams streams) {
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public void serve(Exchange exchange) throws Exception {
        StreamHttpRequest request = StreamHttpRequest.parse(exchange.body());
        exchange.releaseRequest(); // the stream may live for hours; its request need not
        EventStreams.Opened opened = request.open(streams);
        // The JVM driver parses one event per delivered buffer and sends `X-Driver: Java`; other
        // clients (the JS driver splits lines) get events batched into fewer, larger writes.
        boolean onePerWrite = "java".equalsIgnoreCase(exchange.headers().get("x-driver"));
        SubscriptionPump pump = new SubscriptionPump(onePerWrite);
        Subscription subscription = streams.subscribe(opened, pump, exchange.principal());
        StreamingResponseWriter writer;
        try {
            writer = exchange.startStreaming(StreamHttpResponse.head());
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
        pump.attach(writer, subscription);
    }

    @Override
    public FullHttpResponse errorResponse(ByteBufAllocator alloc, HttpHeaders requestHeaders, ProtocolException error) {
        return StreamHttpResponse.protocolError(alloc, error);
    }
}
