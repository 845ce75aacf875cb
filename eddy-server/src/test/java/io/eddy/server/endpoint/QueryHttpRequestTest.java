package io.eddy.server.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.fql.api.QueryOptions;
import io.eddy.server.http.ProtocolException;
import io.eddy.server.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryHttpRequestTest {

    private static QueryHttpRequest parse(String... headerPairs) throws ProtocolException {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(headerPairs[i], headerPairs[i + 1]);
        }
        ByteBuf body = Unpooled.copiedBuffer("{\"query\":\"1\"}", StandardCharsets.UTF_8);
        try {
            return QueryHttpRequest.parse(h, QueryTags.parse(h.get(QueryTags.HEADER)), body);
        } finally {
            body.release();
        }
    }

    @Test
    void defaults() throws Exception {
        QueryHttpRequest r = parse();
        assertThat(r.format()).isEqualTo(WireFormat.SIMPLE);
        QueryOptions o = r.options();
        assertThat(o.timeout()).isEqualTo(QueryOptions.DEFAULT_TIMEOUT);
        assertThat(o.lastTxnTs()).isEqualTo(-1);
        assertThat(o.linearized()).isFalse();
        assertThat(o.typecheck()).isNull();
        assertThat(o.performanceHints()).isFalse();
        assertThat(o.maxContentionRetries()).isEqualTo(QueryOptions.defaults().maxContentionRetries());
        assertThat(o.queryTags()).isEmpty();
    }

    @Test
    void everyHeaderCaseInsensitively() throws Exception {
        QueryHttpRequest r = parse("X-FORMAT", "Tagged", "x-query-timeout-ms", "5000", "X-Last-Txn-Ts", "1728485357000000",
                "x-linearized", "TRUE", "X-Typecheck", "false", "x-performance-hints", "true",
                "X-Max-Contention-Retries", "7", "X-Query-Tags", "a=b", "X-Driver", "Java",
                "X-Driver-Env", "driver=1.0.0", "Traceparent", "00-x", "Accept-Encoding", "gzip");
        assertThat(r.format()).isEqualTo(WireFormat.TAGGED);
        QueryOptions o = r.options();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.lastTxnTs()).isEqualTo(1728485357000000L);
        assertThat(o.linearized()).isTrue();
        assertThat(o.typecheck()).isFalse();
        assertThat(o.performanceHints()).isTrue();
        assertThat(o.maxContentionRetries()).isEqualTo(7);
        assertThat(o.queryTags()).isEqualTo(Map.of("a", "b"));
        assertThat(r.tags().echo()).isEqualTo("a=b");
    }

    @Test
    void lastTxnTsAtOrBelowZeroIsAbsent() throws Exception {
        assertThat(parse("x-last-txn-ts", "-1").options().lastTxnTs()).isEqualTo(-1);
        assertThat(parse("x-last-txn-ts", "0").options().lastTxnTs()).isEqualTo(-1);
        assertThat(parse("x-last-txn-ts", "-9223372036854775808").options().lastTxnTs()).isEqualTo(-1);
        assertThat(parse("x-query-timeout-ms", "600000").options().timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(parse("x-max-contention-retries", "0").options().maxContentionRetries()).isZero();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "X-Format                 | decorated | Invalid header 'x-format': the decorated format is not supported; use 'simple' or 'tagged'",
            "X-Format                 | json      | Invalid header 'x-format': Invalid format 'json'; expected 'simple' or 'tagged'",
            "X-Query-Timeout-Ms       | 0         | Invalid header 'x-query-timeout-ms': Must be greater than 0.",
            "X-Query-Timeout-Ms       | -5        | Invalid header 'x-query-timeout-ms': Must be greater than 0.",
            "X-Query-Timeout-Ms       | 600001    | Invalid header 'x-query-timeout-ms': Must be less than or equal to 600000.",
            "X-Query-Timeout-Ms       | 5s        | Invalid header 'x-query-timeout-ms': Invalid number '5s'.",
            "X-Last-Txn-Ts            | yesterday | Invalid header 'x-last-txn-ts': Invalid timestamp 'yesterday'.",
            "X-Last-Txn-Ts            | 1.5       | Invalid header 'x-last-txn-ts': Invalid timestamp '1.5'.",
            "X-Linearized             | yes       | Invalid header 'x-linearized': Must be a boolean value.",
            "X-Typecheck              | 1         | Invalid header 'x-typecheck': Must be a boolean value.",
            "X-Performance-Hints      | on        | Invalid header 'x-performance-hints': Must be a boolean value.",
            "X-Max-Contention-Retries | 8         | Invalid header 'x-max-contention-retries': Must be between 0 and 7.",
            "X-Max-Contention-Retries | -1        | Invalid header 'x-max-contention-retries': Must be between 0 and 7.",
            "X-Max-Contention-Retries | three     | Invalid header 'x-max-contention-retries': Invalid number 'three'.",
    })
    void badHeaderValues(String header, String value, String message) {
        assertThatThrownBy(() -> parse(header, value)).isInstanceOf(ProtocolException.class).hasMessage(message);
    }
}
