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
import java.util.Objects;

/**
 * {@code POST /query/1}: runs one FQL transaction (core: {@code FQL2Endpoint}).
 *
 * <p>Order of checks: route and secret (by the dispatcher), then {@code X-Query-Tags} (so that every
 * later error can echo them), the other headers, the body; then the query service runs, on this
 * virtual thread, and its outcome is rendered in the requested format.
 */
public final class QueryEndpoint implements Endpoint {
    public static final String PATH = "/query/1";

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
    public void serve(Exchange exchange) throws Exception {
        QueryTags tags = QueryTags.parse(exchange.headers().get(QueryTags.HEADER));
        QueryHttpRequest request = QueryHttpRequest.parse(exchange.headers(), tags, exchange.body());
        exchange.releaseRequest(); // a big body need not live through a long query
        QueryOutcome outcome = Objects.requireNonNull(queryService.execute(request.toQueryRequest(exchange.principal())),
                "QueryService.execute returned null");
        exchange.respond(QueryHttpResponse.render(exchange.alloc(), outcome, request.format(), tags));
    }

    @Override
    public FullHttpResponse errorResponse(ByteBufAllocator alloc, HttpHeaders requestHeaders, ProtocolException error) {
        return QueryHttpResponse.protocolError(alloc, error, QueryTags.parseOrNull(requestHeaders.get(QueryTags.HEADER)));
    }
}
