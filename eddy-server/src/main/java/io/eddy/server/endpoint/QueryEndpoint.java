package io.eddy.server.endpoint;

import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryService;
import io.eddy.server.http.Endpoint;
import io.eddy.server.http.Exchange;
import io.eddy.server.http.ProtocolException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code POST /query/1}: runs one FQL transaction (core: {@code FQL2Endpoint}).
 *
 * <p>Order of checks: route and secret (by the dispatcher), then {@code X-Query-Tags} (so that every
 * later error can echo them), the other headers, the body; then the query service runs, on this
 * virtual thread, up to its commit, and its outcome is rendered in the requested format.
 *
 * <p>A query with a small body is first tried on the connection's event loop, under the engine's
 * inline budget ({@link QueryService#tryExecuteInline}: a few hundred evaluation steps, a few reads,
 * no schema change); one that needs more is abandoned with nothing done and runs again from the start
 * on a virtual thread. Most writes of an application (create, update or delete one document) and
 * small reads fit, and skip the hand-over to a virtual thread and back.
 *
 * <p>No thread waits for a commit: a query that writes hands its commit over and this virtual thread
 * ends; once the commit is durable, a small outcome (a created document, say) is finished, rendered
 * and written on the connection's event loop, a large one on a new virtual thread. That saves a
 * virtual thread's park and wake-up per write, and one hand-over between threads: the commit's
 * completion goes straight to the thread that writes the response.
 */
public final class QueryEndpoint implements Endpoint {
    public static final String PATH = "/query/1";

    /** Finishes large outcomes and runs queries again after a conflict: work that must not hold an event loop. */
    private static final Executor AFTER_COMMIT = task -> Thread.ofVirtual().name("eddy-query-after-commit").start(task);

    /** Bodies up to this size may be served inline: decoding a larger one is not "a little work". */
    static final int INLINE_MAX_BODY_BYTES = 8 * 1024;

    private final QueryService queryService;

    public QueryEndpoint(QueryService queryService) {
        this.queryService = Objects.requireNonNull(queryService, "queryService");
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
    public boolean serveInline(Exchange exchange) throws Exception {
        if (exchange.body().readableBytes() > INLINE_MAX_BODY_BYTES) {
            return false;
        }
        QueryTags tags = QueryTags.parse(exchange.headers().get(QueryTags.HEADER));
        QueryHttpRequest request = QueryHttpRequest.parse(exchange.headers(), tags, exchange.body());
        CompletionStage<QueryOutcome> outcome = queryService.tryExecuteInline(
                request.toQueryRequest(exchange.principal()), exchange.eventLoop(), AFTER_COMMIT);
        if (outcome == null) {
            return false; // more than a little work: serve() runs it again on a virtual thread
        }
        answer(exchange, outcome, request, tags);
        return true;
    }

    @Override
    public void serve(Exchange exchange) throws Exception {
        QueryTags tags = QueryTags.parse(exchange.headers().get(QueryTags.HEADER));
        QueryHttpRequest request = QueryHttpRequest.parse(exchange.headers(), tags, exchange.body());
        exchange.releaseRequest(); // a big body need not live through a long query
        answer(exchange, queryService.executeAsync(request.toQueryRequest(exchange.principal()), exchange.eventLoop(),
                AFTER_COMMIT), request, tags);
    }

    private static void answer(Exchange exchange, CompletionStage<QueryOutcome> outcome, QueryHttpRequest request,
                               QueryTags tags) {
        ByteBufAllocator alloc = exchange.alloc();
        exchange.respondLater(
                outcome.thenApply(o -> render(alloc, o, request, tags)),
                () -> QueryHttpResponse.protocolError(alloc, ProtocolException.internal(), tags));
    }

    private static FullHttpResponse render(ByteBufAllocator alloc, QueryOutcome outcome, QueryHttpRequest request,
                                           QueryTags tags) {
        try {
            return QueryHttpResponse.render(alloc, Objects.requireNonNull(outcome, "null outcome"), request.format(), tags);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // rendering into memory: a bug, answered as internal_error
        }
    }

    @Override
    public FullHttpResponse errorResponse(ByteBufAllocator alloc, HttpHeaders requestHeaders, ProtocolException error) {
        return QueryHttpResponse.protocolError(alloc, error, QueryTags.parseOrNull(requestHeaders.get(QueryTags.HEADER)));
    }
}
