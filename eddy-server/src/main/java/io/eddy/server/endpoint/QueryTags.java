package io.eddy.server.endpoint;

import io.eddy.server.http.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code X-Query-Tags} header: {@code k=v,k2=v2}, echoed back as the {@code query_tags} string.
 * Limits are Fauna's (core: {@code QueryLogTags}, {@code openapi.yml}): keys and values of
 * {@code [a-zA-Z0-9_]}, keys up to {@value #MAX_KEY_BYTES} bytes, values up to
 * {@value #MAX_VALUE_BYTES}, at most {@value #MAX_PAIRS} pairs, at most {@value #MAX_HEADER_BYTES}
 * bytes in all.
 *
 * @param tags the pairs in request order
 */
public record QueryTags(Map<String, String> tags) {
    public static final String HEADER = "x-query-tags";
    public static final int MAX_HEADER_BYTES = 3000;
    public static final int MAX_PAIRS = 25;
    public static final int MAX_KEY_BYTES = 40;
    public static final int MAX_VALUE_BYTES = 80;
    public static final QueryTags NONE = new QueryTags(Map.of());

    private static final Pattern TOKEN = Pattern.compile("[a-zA-Z0-9_]+");

    public QueryTags {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /**
     * Parses the header value; null (header absent) and the empty string give {@link #NONE}.
     *
     * @throws ProtocolException {@code invalid_request}, {@code Invalid header 'x-query-tags': ...}
     */
    public static QueryTags parse(String header) throws ProtocolException {
        if (header == null || header.isEmpty()) {
            return NONE;
        }
        if (header.getBytes(StandardCharsets.UTF_8).length > MAX_HEADER_BYTES) {
            throw invalid("header is longer than " + MAX_HEADER_BYTES + " bytes");
        }
        String[] pairs = header.split(",", -1);
        if (pairs.length > MAX_PAIRS) {
            throw invalid("too many tags (" + pairs.length + "); at most " + MAX_PAIRS + " are allowed");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (eq < 0 || !TOKEN.matcher(key).matches() || !TOKEN.matcher(value).matches()) {
                throw invalid("invalid tag '" + pair + "'; expected key=value with keys and values of [a-zA-Z0-9_]");
            }
            if (key.length() > MAX_KEY_BYTES) {
                throw invalid("tag key '" + key + "' is longer than " + MAX_KEY_BYTES + " bytes");
            }
            if (value.length() > MAX_VALUE_BYTES) {
                throw invalid("value of tag '" + key + "' is longer than " + MAX_VALUE_BYTES + " bytes");
            }
            if (tags.putIfAbsent(key, value) != null) {
                throw invalid("duplicate tag key '" + key + "'");
            }
        }
        return new QueryTags(tags);
    }

    /** Like {@link #parse}, but null instead of an exception: for echoing tags on other errors. */
    public static QueryTags parseOrNull(String header) {
        try {
            return parse(header);
        } catch (ProtocolException e) {
            return null;
        }
    }

    public boolean isEmpty() {
        return tags.isEmpty();
    }

    /** The echo: {@code k=v,k2=v2} in request order, or null when there are no tags (field omitted). */
    public String echo() {
        if (tags.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        tags.forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }

    private static ProtocolException invalid(String reason) {
        return ProtocolException.invalidHeader(HEADER, reason);
    }
}
