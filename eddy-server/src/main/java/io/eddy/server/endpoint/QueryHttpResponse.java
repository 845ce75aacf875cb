package io.eddy.server.endpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.core.value.NullValue;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryStats;
import io.eddy.server.http.ErrorCode;
import io.eddy.server.http.JsonResponses;
import io.eddy.server.http.ProtocolException;
import io.eddy.server.wire.TaggedJson;
import io.eddy.server.wire.WireFormat;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders {@code /query/1} answers (core: {@code FQL2Response}).
 *
 * <ul>
 *   <li>Success, 200: {@code data}, {@code static_type} (only when typechecking ran), {@code summary},
 *       {@code txn_ts}, {@code stats}, {@code query_tags} (only with tags), {@code schema_version}.</li>
 *   <li>Query failure, the failure's status (400 for query errors): {@code error} ({@code code},
 *       {@code message}, {@code abort} for aborts) then the same metadata; never {@code data}, which
 *       the JS driver takes as success.</li>
 *   <li>Protocol error: {@code error} ({@code code}, {@code message}) and {@code query_tags} only;
 *       401s carry {@code WWW-Authenticate: Bearer}.</li>
 * </ul>
 * Field names are exactly those the JVM driver accepts (it rejects any other); {@code stats} is
 * always a full object, since the JVM driver mis-reads {@code "stats": null}.
 */
public final class QueryHttpResponse {
    private static final Logger log = LoggerFactory.getLogger(QueryHttpResponse.class);

    private QueryHttpResponse() {}

    public static FullHttpResponse render(ByteBufAllocator alloc, QueryOutcome outcome, WireFormat format, QueryTags tags)
            throws IOException {
        return switch (outcome) {
            case QueryOutcome.Success s -> success(alloc, s, format, tags);
            case QueryOutcome.Failure f -> failure(alloc, f, format, tags);
        };
    }

    static FullHttpResponse success(ByteBufAllocator alloc, QueryOutcome.Success s, WireFormat format, QueryTags tags)
            throws IOException {
        return JsonResponses.json(alloc, HttpResponseStatus.OK, g -> {
            g.writeStartObject();
            g.writeFieldName("data");
            TaggedJson.write(g, s.data(), format, s.txnTs());
            if (s.staticType() != null) {
                g.writeStringField("static_type", s.staticType());
            }
            writeInfo(g, s.summary(), s.txnTs(), s.stats(), tags, s.schemaVersion());
            g.writeEndObject();
        });
    }

    static FullHttpResponse failure(ByteBufAllocator alloc, QueryOutcome.Failure f, WireFormat format, QueryTags tags)
            throws IOException {
        int status = f.httpStatus();
        if (status < 400 || status > 599) {
            log.error("Query failure with non-error status {} (code {}); answering 500", status, f.code());
            status = 500;
        }
        String code = f.code() == null ? ErrorCode.INTERNAL_ERROR.code() : f.code();
        return JsonResponses.json(alloc, HttpResponseStatus.valueOf(status), g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            g.writeStringField("message", f.message() == null ? "" : f.message());
            // The JS driver's AbortError needs the field even for abort(null).
            if (f.abort() != null || "abort".equals(code)) {
                g.writeFieldName("abort");
                TaggedJson.write(g, f.abort() == null ? NullValue.NULL : f.abort(), format, f.txnTs());
            }
            g.writeEndObject();
            writeInfo(g, f.summary(), f.txnTs(), f.stats(), tags, f.schemaVersion());
            g.writeEndObject();
        });
    }

    /** A protocol error on this endpoint: echoes valid tags, and asks for a bearer token on 401. */
    public static FullHttpResponse protocolError(ByteBufAllocator alloc, ProtocolException error, QueryTags tags) {
        FullHttpResponse r = JsonResponses.error(alloc, error, tags == null ? null : tags.echo());
        if (error.code() == ErrorCode.UNAUTHORIZED) {
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        return r;
    }

    private static void writeInfo(JsonGenerator g, String summary, long txnTs, QueryStats stats, QueryTags tags,
                                  long schemaVersion) throws IOException {
        g.writeStringField("summary", summary == null ? "" : summary);
        g.writeNumberField("txn_ts", txnTs);
        g.writeFieldName("stats");
        writeStats(g, stats == null ? QueryStats.ZERO : stats);
        String echo = tags == null ? null : tags.echo();
        if (echo != null) {
            g.writeStringField("query_tags", echo);
        }
        g.writeNumberField("schema_version", schemaVersion);
    }

    /** Query stats in core's field order; {@code rate_limits_hit} is empty (Eddy has no rate limits). */
    static void writeStats(JsonGenerator g, QueryStats s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("compute_ops", s.computeOps());
        g.writeNumberField("read_ops", s.readOps());
        g.writeNumberField("write_ops", s.writeOps());
        g.writeNumberField("query_time_ms", s.queryTimeMs());
        g.writeNumberField("contention_retries", s.contentionRetries());
        g.writeNumberField("storage_bytes_read", s.storageBytesRead());
        g.writeNumberField("storage_bytes_write", s.storageBytesWrite());
        g.writeArrayFieldStart("rate_limits_hit");
        g.writeEndArray();
        g.writeEndObject();
    }
}
