package io.eddy.server.endpoint;

import io.eddy.core.value.Value;
import io.eddy.fql.api.QueryOptions;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.TemplateNode;
import io.eddy.server.http.ProtocolException;
import io.eddy.server.wire.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.Map;

/**
 * A validated {@code POST /query/1} request: its headers (core: {@code RequestParams}) and body,
 * parsed into the types the query service takes.
 *
 * <p>Header rules (names match case-insensitively; a bad value is 400 {@code invalid_request},
 * {@code Invalid header '<name>': <reason>}):
 * <ul>
 *   <li>{@code X-Format}: {@code simple} (default) or {@code tagged}; {@code decorated} is refused.</li>
 *   <li>{@code X-Query-Timeout-Ms}: an integer in 1..600000 (10 minutes); default 2 minutes.</li>
 *   <li>{@code X-Last-Txn-Ts}: any long, microseconds; values {@code <= 0} mean absent (the JVM
 *       driver sends {@code -1} before its first response).</li>
 *   <li>{@code X-Linearized}, {@code X-Typecheck}, {@code X-Performance-Hints}: {@code true} or
 *       {@code false}, any case.</li>
 *   <li>{@code X-Max-Contention-Retries}: an integer in 0..7.</li>
 *   <li>{@code X-Query-Tags}: see {@link QueryTags}.</li>
 * </ul>
 * {@code X-Driver}, {@code X-Driver-Env}, {@code Traceparent}, {@code Content-Type} and
 * {@code Accept-Encoding} are ignored: the drivers send them inconsistently (the JS HTTP/2 client
 * sends no content type) and the answer is never compressed.
 *
 * @param format the response format, also the format of {@code arguments}
 * @param tags the query tags, echoed in every response
 */
public record QueryHttpRequest(WireFormat format, QueryTags tags, QueryOptions options, TemplateNode.Fql query,
                               Map<String, Value> arguments) {

    public static final String FORMAT = "x-format";
    public static final String QUERY_TIMEOUT_MS = "x-query-timeout-ms";
    public static final String LAST_TXN_TS = "x-last-txn-ts";
    public static final String LINEARIZED = "x-linearized";
    public static final String TYPECHECK = "x-typecheck";
    public static final String PERFORMANCE_HINTS = "x-performance-hints";
    public static final String MAX_CONTENTION_RETRIES = "x-max-contention-retries";
    public static final int MAX_CONTENTION_RETRIES_LIMIT = 7;

    public QueryHttpRequest {
        arguments = Map.copyOf(arguments);
    }

    /** The request for {@link io.eddy.fql.api.QueryService#execute}, run as {@code principal}. */
    public QueryRequest toQueryRequest(io.eddy.fql.api.Principal principal) {
        return new QueryRequest(query, arguments, options, principal);
    }

    /**
     * Parses headers then body; the first problem found is thrown.
     *
     * @param tags the already parsed {@code X-Query-Tags} (parsed first so that every later error
     *     can echo them)
     */
    public static QueryHttpRequest parse(HttpHeaders headers, QueryTags tags, ByteBuf body) throws ProtocolException {
        WireFormat format = format(headers.get(FORMAT));
        QueryOptions defaults = QueryOptions.defaults();
        Duration timeout = timeout(headers.get(QUERY_TIMEOUT_MS), defaults.timeout());
        long lastTxnTs = lastTxnTs(headers.get(LAST_TXN_TS));
        boolean linearized = bool(LINEARIZED, headers.get(LINEARIZED), false);
        String typecheckHeader = headers.get(TYPECHECK);
        Boolean typecheck = typecheckHeader == null ? null : bool(TYPECHECK, typecheckHeader, false);
        boolean hints = bool(PERFORMANCE_HINTS, headers.get(PERFORMANCE_HINTS), false);
        int retries = contentionRetries(headers.get(MAX_CONTENTION_RETRIES), defaults.maxContentionRetries());
        QueryOptions options = new QueryOptions(timeout, lastTxnTs, linearized, typecheck, tags.tags(), retries, hints);

        QueryBodyParser.QueryBody parsed = QueryBodyParser.parse(body, format);
        return new QueryHttpRequest(format, tags, options, parsed.query(), parsed.arguments());
    }

    static WireFormat format(String value) throws ProtocolException {
        if (value == null) {
            return WireFormat.SIMPLE;
        }
        return WireFormat.parse(value).orElseThrow(() -> ProtocolException.invalidHeader(FORMAT,
                value.strip().equalsIgnoreCase("decorated")
                        ? "the decorated format is not supported; use 'simple' or 'tagged'"
                        : "Invalid format '" + value + "'; expected 'simple' or 'tagged'"));
    }

    static Duration timeout(String value, Duration dflt) throws ProtocolException {
        if (value == null) {
            return dflt;
        }
        long ms = parseLong(QUERY_TIMEOUT_MS, value, "Invalid number '" + value + "'.");
        if (ms <= 0) {
            throw ProtocolException.invalidHeader(QUERY_TIMEOUT_MS, "Must be greater than 0.");
        }
        long max = QueryOptions.MAX_TIMEOUT.toMillis();
        if (ms > max) {
            throw ProtocolException.invalidHeader(QUERY_TIMEOUT_MS, "Must be less than or equal to " + max + ".");
        }
        return Duration.ofMillis(ms);
    }

    static long lastTxnTs(String value) throws ProtocolException {
        if (value == null) {
            return -1;
        }
        long ts = parseLong(LAST_TXN_TS, value, "Invalid timestamp '" + value + "'.");
        return ts <= 0 ? -1 : ts;
    }

    static boolean bool(String header, String value, boolean dflt) throws ProtocolException {
        if (value == null) {
            return dflt;
        }
        String v = value.strip();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw ProtocolException.invalidHeader(header, "Must be a boolean value.");
    }

    static int contentionRetries(String value, int dflt) throws ProtocolException {
        if (value == null) {
            return dflt;
        }
        long n = parseLong(MAX_CONTENTION_RETRIES, value, "Invalid number '" + value + "'.");
        if (n < 0 || n > MAX_CONTENTION_RETRIES_LIMIT) {
            throw ProtocolException.invalidHeader(MAX_CONTENTION_RETRIES, "Must be between 0 and " + MAX_CONTENTION_RETRIES_LIMIT + ".");
        }
        return (int) n;
    }

    private static long parseLong(String header, String value, String error) throws ProtocolException {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ProtocolException.invalidHeader(header, error);
        }
    }
}
