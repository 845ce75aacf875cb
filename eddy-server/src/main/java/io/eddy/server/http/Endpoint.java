package io.eddy.server.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One route of the API ({@code POST /query/1}, {@code POST /stream/1}, {@code POST /feed/1},
 * {@code GET /ping}).
 *
 * <p>An endpoint is usually a trio, after Fauna core's {@code FQL2Endpoint}/{@code FQL2Request}/
 * {@code FQL2Response}: the endpoint class ({@code QueryEndpoint}) drives the exchange, a request
 * class ({@code QueryHttpRequest}) parses and validates headers and body into a typed value, and a
 * response class ({@code QueryHttpResponse}) renders results and errors.
 *
 * <p>Contract, enforced by {@link RequestDispatcher}:
 * <ul>
 *   <li>Routing and authentication happen before {@link #serve}: an endpoint with
 *       {@link #requiresAuth()} only ever sees requests with a valid secret.</li>
 *   <li>{@link #serve} runs on a virtual thread, so it may block (on the query service, a stream
 *       subscription, ...). It must answer exactly once, with {@link Exchange#respond},
 *       {@link Exchange#respondLater} or {@link Exchange#startStreaming}; returning without answering
 *       is a bug and yields a 500.</li>
 *   <li>A {@link ProtocolException} thrown from {@link #serve} becomes {@link #errorResponse}; any
 *       other exception is logged with its stack trace and becomes a 500 {@code internal_error}.</li>
 *   <li>The request ({@link Exchange#request()}) is released when {@link #serve} returns: an endpoint
 *       that keeps working afterwards (a stream) must copy what it needs first.</li>
 * </ul>
 * Implementations are shared by all connections and must be thread-safe.
 */
public interface Endpoint {

    HttpMethod method();

    /** The exact path, e.g. {@code /query/1}; requests are matched after collapsing double slashes. */
    String path();

    /** Whether a valid {@code Authorization: Bearer} secret is required (all but {@code /ping}). */
    default boolean requiresAuth() {
        return true;
    }

    /** Handles one request; see the interface documentation for the threading and response rules. */
    void serve(Exchange exchange) throws Exception;

    /**
     * On the connection's event loop, before {@link #serve}: answers the request at once if that takes
     * only a little bounded work that never blocks, and returns true; otherwise returns false without
     * answering, and {@link #serve} runs on a virtual thread. Exceptions are handled as for
     * {@link #serve}. By default nothing is served inline.
     */
    default boolean serveInline(Exchange exchange) throws Exception {
        return false;
    }

    /**
     * Renders a protocol error for this endpoint: authentication failures, oversized bodies, bad
     * headers. Endpoints override it to add what their protocol echoes (the query endpoint adds
     * {@code query_tags} and {@code WWW-Authenticate}). Runs on the event loop or a virtual thread;
     * must not block.
     */
    default FullHttpResponse errorResponse(ByteBufAllocator alloc, HttpHeaders requestHeaders, ProtocolException error) {
        return JsonResponses.error(alloc, error);
    }
}
