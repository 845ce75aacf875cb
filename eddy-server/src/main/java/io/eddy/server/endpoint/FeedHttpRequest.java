package io.eddy.server.endpoint;

import io.eddy.server.http.ErrorCode;
import io.eddy.server.http.ProtocolException;
import io.eddy.stream.EventStreams;
import io.eddy.stream.StreamRequestException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;

/**
 * A validated {@code POST /feed/1} request (core: {@code FeedRequest}):
 * {@code {"token": "...", "cursor"?: "...", "start_ts"?: <micros>, "page_size"?: n}} plus the
 * {@code X-Query-Timeout-Ms} header.
 *
 * <p>Validation in core's order, with core's words (ending with a full stop, unlike the stream
 * endpoint's):
 * <ol>
 *   <li>{@code X-Query-Timeout-Ms}: as for queries (1..600000); default {@value #DEFAULT_TIMEOUT_MS} ms,
 *       what both drivers send;</li>
 *   <li>the JSON ({@link EventSourceBodyParser}): missing token, wrong types, unknown fields
 *       ignored;</li>
 *   <li>{@code Invalid request body: can not provide both `start_ts` and `cursor`.};</li>
 *   <li>({@link #open}) {@code Invalid request body: invalid event source provided.},
 *       {@code Error evaluating provided event source, ...},
 *       {@code Invalid request body: invalid event cursor provided.};</li>
 *   <li>{@code page_size} in 1..{@value #MAX_PAGE_SIZE}: {@code Invalid request body: page size must be
 *       greater than zero.} / {@code Invalid request body: page size can not be greater than 16000.}</li>
 * </ol>
 * All are 400 {@code invalid_request}. A {@code start_ts} before the token's creation is allowed on
 * feeds; one before the retained history yields an {@code invalid_stream_start_time} error event.
 *
 * @param pageSize events per page, validated only by {@link #open}
 * @param timeout the request's time budget; polling stops at about 95% of it
 */
public record FeedHttpRequest(String token, String cursor, Long startTs, long pageSize, Duration timeout) {

    public static final int DEFAULT_PAGE_SIZE = 16;
    public static final int MAX_PAGE_SIZE = 16_000;
    public static final long DEFAULT_TIMEOUT_MS = 5_000;

    /** Parses headers and body; the request may be released afterwards. */
    public static FeedHttpRequest parse(HttpHeaders headers, ByteBuf body) throws ProtocolException {
        Duration timeout = QueryHttpRequest.timeout(headers.get(QueryHttpRequest.QUERY_TIMEOUT_MS),
                Duration.ofMillis(DEFAULT_TIMEOUT_MS));
        EventSourceBodyParser.Fields f = EventSourceBodyParser.parse(body, true);
        if (f.cursor() != null && f.startTs() != null) {
            throw ProtocolException.invalidBody(StreamHttpRequest.BOTH_CURSOR_AND_START + ".");
        }
        long pageSize = f.pageSize() == null ? DEFAULT_PAGE_SIZE : f.pageSize();
        return new FeedHttpRequest(f.token(), f.cursor(), f.startTs(), pageSize, timeout);
    }

    /**
     * Resolves the token and start position, then checks the page size (core checks it last). May
     * read the store: call it off the event loop.
     */
    public EventStreams.Opened open(EventStreams streams) throws ProtocolException {
        EventStreams.Opened opened;
        try {
            opened = streams.open(token, cursor, startTs, false);
        } catch (StreamRequestException e) {
            throw rejected(e);
        }
        if (pageSize <= 0) {
            throw ProtocolException.invalidBody("page size must be greater than zero.");
        }
        if (pageSize > MAX_PAGE_SIZE) {
            throw ProtocolException.invalidBody("page size can not be greater than " + MAX_PAGE_SIZE + ".");
        }
        return opened;
    }

    /** Core's feed wording ("event source" where the stream engine says "stream"). */
    static ProtocolException rejected(StreamRequestException e) {
        String m = e.getMessage();
        String streamPrefix = "Error evaluating provided stream, ";
        if (m.startsWith(streamPrefix)) {
            m = "Error evaluating provided event source, " + m.substring(streamPrefix.length());
        }
        return new ProtocolException(ErrorCode.INVALID_REQUEST, m);
    }
}
