package io.eddy.server.endpoint;

import io.eddy.core.changelog.LogPosition;
import io.eddy.server.http.ErrorCode;
import io.eddy.server.http.ProtocolException;
import io.eddy.stream.EventStreams;
import io.eddy.stream.StreamRequestException;
import io.netty.buffer.ByteBuf;

/**
 * A validated {@code POST /stream/1} request (core: {@code StreamRequest}):
 * {@code {"token": "...", "cursor"?: "...", "start_ts"?: <micros>}}.
 *
 * <p>Validation happens in core's order, with core's words (which, unlike the feed endpoint's, end
 * without a full stop):
 * <ol>
 *   <li>the JSON itself ({@link EventSourceBodyParser}): {@code No request body provided},
 *       {@code Invalid request body: Value for key token not found.},
 *       {@code Invalid request body: Unexpected string value '1'.}, ...; unknown fields ignored;</li>
 *   <li>both {@code cursor} and {@code start_ts}: {@code Invalid request body: can not provide both
 *       `start_ts` and `cursor`};</li>
 *   <li>({@link #open}) the token: {@code Invalid request body: invalid event source provided}, or
 *       {@code Error evaluating provided stream, ...} when its set no longer resolves;</li>
 *   <li>the cursor: {@code Invalid request body: invalid event cursor provided};</li>
 *   <li>a start before the token was created ({@code start_ts} or a cursor): {@code Invalid stream
 *       start time: Stream start time can not be before the stream create time.}</li>
 * </ol>
 * All are 400 {@code invalid_request}, as in core ({@code FQL2StreamSpec} asserts that code for the
 * start-time case too, although {@link EventStreams} reports it as {@code invalid_stream_start_time}).
 * {@code X-Format} and the other query headers are ignored: streams are always tagged.
 *
 * @param token the event source token, as sent
 * @param cursor resume strictly after this event cursor, or null
 * @param startTs start after this transaction time (microseconds), or null
 */
public record StreamHttpRequest(String token, String cursor, Long startTs) {

    static final String BOTH_CURSOR_AND_START = "can not provide both `start_ts` and `cursor`";
    static final String START_BEFORE_CREATION =
            "Invalid stream start time: Stream start time can not be before the stream create time.";

    /** Parses the body; the request may be released afterwards. */
    public static StreamHttpRequest parse(ByteBuf body) throws ProtocolException {
        EventSourceBodyParser.Fields f = EventSourceBodyParser.parse(body, false);
        if (f.cursor() != null && f.startTs() != null) {
            throw ProtocolException.invalidBody(BOTH_CURSOR_AND_START);
        }
        return new StreamHttpRequest(f.token(), f.cursor(), f.startTs());
    }

    /**
     * Resolves the token and start position against the database. May read the store: call it off
     * the event loop.
     */
    public EventStreams.Opened open(EventStreams streams) throws ProtocolException {
        EventStreams.Opened opened;
        try {
            opened = streams.open(token, cursor, startTs, true);
        } catch (StreamRequestException e) {
            throw rejected(e);
        }
        // EventStreams checks start_ts against the token's creation; core checks any override,
        // a cursor included (StreamEndpoint: cursorOverride.ts < streamIR.start).
        LogPosition start = opened.start();
        if (cursor != null && start.txnTs() < opened.source().createdTs()) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, START_BEFORE_CREATION);
        }
        return opened;
    }

    /** Core's stream wording for a refusal the stream engine phrased for feeds. */
    static ProtocolException rejected(StreamRequestException e) {
        String m = e.getMessage();
        if ("invalid_stream_start_time".equals(e.code())) {
            return new ProtocolException(ErrorCode.INVALID_REQUEST, START_BEFORE_CREATION);
        }
        if (m.startsWith("Invalid request body: invalid event ") && m.endsWith(".")) {
            m = m.substring(0, m.length() - 1); // "... invalid event source provided", no full stop
        }
        return new ProtocolException(ErrorCode.INVALID_REQUEST, m);
    }
}
