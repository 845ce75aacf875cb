package io.eddy.server.endpoint;

import static io.eddy.server.testing.WireAssertions.assertDriverCompatible;
import static io.eddy.server.testing.WireAssertions.assertNoRawNumbers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.SetPageValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryStats;
import io.eddy.server.http.JsonResponses;
import io.eddy.server.http.ProtocolException;
import io.eddy.server.testing.StubQueryService;
import io.eddy.server.testing.WireAssertions;
import io.eddy.server.wire.WireFormat;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryHttpResponseTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private record Rendered(int status, String contentType, String wwwAuthenticate, JsonNode body, String raw) {}

    private static Rendered render(FullHttpResponse r) {
        try {
            String raw = r.content().toString(StandardCharsets.UTF_8);
            assertThat(r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(r.content().readableBytes());
            return new Rendered(r.status().code(), r.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    r.headers().get(HttpHeaderNames.WWW_AUTHENTICATE), WireAssertions.parse(raw), raw);
        } finally {
            r.release();
        }
    }

    private static ObjectValue fields() {
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("name", new StringValue("p1"));
        m.put("qty", new IntValue(3));
        return new ObjectValue(m);
    }

    @Test
    void successTagged() throws Exception {
        var page = new SetPageValue(List.of(new DocumentValue("Product", "401", 1728485357620000L, fields())), "AFTER1");
        var outcome = new QueryOutcome.Success(page, "Set<Product>", "", 1728485357000000L,
                new QueryStats(1, 1, 0, 3, 0, 120, 0), 1718034700060000L);
        Rendered r = render(QueryHttpResponse.render(ALLOC, outcome, WireFormat.TAGGED, QueryTags.parse("a=b")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json;charset=utf-8");
        assertThat(r.raw()).isEqualTo("{\"data\":{\"@set\":{\"data\":[{\"@doc\":{\"id\":\"401\",\"coll\":{\"@mod\":\"Product\"},"
                + "\"ts\":{\"@time\":\"2024-10-09T14:49:17.620Z\"},\"name\":\"p1\",\"qty\":{\"@int\":\"3\"}}}],\"after\":\"AFTER1\"}},"
                + "\"static_type\":\"Set<Product>\",\"summary\":\"\",\"txn_ts\":1728485357000000,"
                + "\"stats\":{\"compute_ops\":1,\"read_ops\":1,\"write_ops\":0,\"query_time_ms\":3,\"contention_retries\":0,"
                + "\"storage_bytes_read\":120,\"storage_bytes_write\":0,\"rate_limits_hit\":[]},"
                + "\"query_tags\":\"a=b\",\"schema_version\":1718034700060000}");
        assertDriverCompatible(r.body());
        assertNoRawNumbers(r.body().get("data"));
    }

    @Test
    void successSimpleOmitsStaticTypeAndTags() throws Exception {
        var outcome = new QueryOutcome.Success(new IntValue(2), null, null, 5, null, 6);
        Rendered r = render(QueryHttpResponse.render(ALLOC, outcome, WireFormat.SIMPLE, QueryTags.NONE));
        assertThat(r.raw()).startsWith("{\"data\":2,\"summary\":\"\",\"txn_ts\":5,\"stats\":{\"compute_ops\":0,");
        assertThat(r.body().has("static_type")).isFalse();
        assertThat(r.body().has("query_tags")).isFalse();
        assertThat(r.body().get("stats").size()).as("stats never null, always complete").isEqualTo(8);
        assertDriverCompatible(r.body());
    }

    @Test
    void abortFailure() throws Exception {
        var outcome = new QueryOutcome.Failure(400, "abort", "Query aborted.", "error: Query aborted.\nat *query*:1:6",
                new IntValue(42), 7, StubQueryService.STATS, 8);
        Rendered r = render(QueryHttpResponse.render(ALLOC, outcome, WireFormat.TAGGED, QueryTags.parse("x=1")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.raw()).startsWith("{\"error\":{\"code\":\"abort\",\"message\":\"Query aborted.\",\"abort\":{\"@int\":\"42\"}},"
                + "\"summary\":\"error: Query aborted.\\nat *query*:1:6\",\"txn_ts\":7,\"stats\":{");
        assertThat(r.body().get("query_tags").asText()).isEqualTo("x=1");
        assertThat(r.body().get("schema_version").asLong()).isEqualTo(8);
        assertDriverCompatible(r.body());
    }

    @Test
    void abortWithNullValueStillHasTheField() throws Exception {
        var outcome = new QueryOutcome.Failure(400, "abort", "Query aborted.", "", null, 7, null, 8);
        Rendered r = render(QueryHttpResponse.render(ALLOC, outcome, WireFormat.TAGGED, QueryTags.NONE));
        assertThat(r.body().get("error").has("abort")).isTrue();
        assertThat(r.body().get("error").get("abort").isNull()).isTrue();
    }

    @Test
    void otherFailuresKeepTheirStatusAndHaveNoAbort() throws Exception {
        var contended = new QueryOutcome.Failure(409, "contended_transaction", "Transaction was aborted", "", null, 7, null, 8);
        Rendered r = render(QueryHttpResponse.render(ALLOC, contended, WireFormat.TAGGED, QueryTags.NONE));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body().get("error").has("abort")).isFalse();
        var timeout = new QueryOutcome.Failure(440, "time_out", "Query timed out.", "", null, 7, null, 8);
        assertThat(render(QueryHttpResponse.render(ALLOC, timeout, WireFormat.SIMPLE, QueryTags.NONE)).status()).isEqualTo(440);
        var bogus = new QueryOutcome.Failure(200, null, null, null, null, 7, null, 8);
        Rendered b = render(QueryHttpResponse.render(ALLOC, bogus, WireFormat.SIMPLE, QueryTags.NONE));
        assertThat(b.status()).as("a failure never answers 2xx").isEqualTo(500);
        assertThat(b.body().get("error").get("code").asText()).isEqualTo("internal_error");
        assertDriverCompatible(b.body());
    }

    @Test
    void protocolErrors() throws Exception {
        Rendered r = render(QueryHttpResponse.protocolError(ALLOC, ProtocolException.missingToken(), QueryTags.parse("t=1")));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.wwwAuthenticate()).isEqualTo("Bearer");
        assertThat(r.raw()).isEqualTo("{\"error\":{\"code\":\"unauthorized\",\"message\":\"Access token required\"},\"query_tags\":\"t=1\"}");

        Rendered bad = render(QueryHttpResponse.protocolError(ALLOC, ProtocolException.noBody(), null));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.wwwAuthenticate()).isNull();
        assertThat(bad.raw()).isEqualTo("{\"error\":{\"code\":\"invalid_request\",\"message\":\"No request body provided\"}}");
        assertDriverCompatible(bad.body());

        Rendered tooBig = render(JsonResponses.error(ALLOC, ProtocolException.tooLarge(1024)));
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.body().get("error").get("code").asText()).isEqualTo("request_size_exceeded");
    }
}
