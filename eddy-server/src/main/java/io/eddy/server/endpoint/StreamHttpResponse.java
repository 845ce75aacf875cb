package io.eddy.server.endpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.eddy.server.http.ErrorCode;
import io.eddy.server.http.JsonResponses;
import io.eddy.server.http.ProtocolException;
import io.eddy.server.wire.WireJson;
import io.eddy.stream.event.Event;
import io.eddy.stream.live.EventEncoder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.eddy.server.wire.JsonBytes;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders {@code /stream/1} answers (core: {@code StreamResponse}).
 *
 * <ul>
 *   <li>Success: the head, 200 with {@value JsonResponses#CONTENT_TYPE} ({@link #head()}), sent at
 *       once; then events, each one compact JSON object followed by {@code \r\n} (core's
 *       {@code EventSeparator}) and never a blank line (the JS driver would {@code JSON.parse("")}
 *       it, fail and reconnect). The shape of an event is {@link EventJson}'s.</li>
 *   <li>Refusal before the stream starts: the protocol error body
 *       {@code {"error":{"code","message"}}} with its status; a missing or wrong secret is always
 *       {@code Invalid token, unable to authenticate request}, core's stream and feed wording.</li>
 * </ul>
 *
 * <p>{@link #encoder()} is the {@link EventEncoder} the stream engine is built with: the engine
 * encodes each event once and shares the bytes among all subscribers of its source, so an event's
 * wire form is computed on the dispatcher (or replay) thread, never on an event loop.
 */
public final class StreamHttpResponse {
    private static final EventEncoder ENCODER = StreamHttpResponse::encode;
    /** The encoding thread's buffer (the dispatcher's, a replay's): an event's bytes are copied out of it. */
    private static final ThreadLocal<JsonBytes> SCRATCH = ThreadLocal.withInitial(() -> new JsonBytes(1024));
    private static final int MAX_KEPT_SCRATCH = 64 << 10;

    private StreamHttpResponse() {}

    /** The engine's encoder: tagged JSON plus {@code \r\n}. Thread-safe. */
    public static EventEncoder encoder() {
        return ENCODER;
    }

    /** One event as it goes on the wire: compact JSON, then {@code \r\n}. */
    public static byte[] encode(Event event) {
        JsonBytes direct = SCRATCH.get();
        if (EventJson.writeDirect(direct, event)) {
            direct.raw((byte) '\r').raw((byte) '\n');
            byte[] line = java.util.Arrays.copyOf(direct.array(), direct.length());
            if (direct.array().length > MAX_KEPT_SCRATCH) {
                SCRATCH.remove(); // one large document does not keep its buffer on the thread
            }
            return line;
        }
        try (ByteArrayBuilder out = new ByteArrayBuilder(256)) {
            try (JsonGenerator g = WireJson.FACTORY.createGenerator(out)) {
                EventJson.write(g, event);
                g.writeRaw("\r\n");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    /** The response head: 200 and core's content type; chunking is the HTTP layer's business. */
    public static HttpResponse head() {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, JsonResponses.CONTENT_TYPE);
        return head;
    }

    /** A refused stream or feed request; a 401 always carries core's stream/feed message. */
    public static FullHttpResponse protocolError(ByteBufAllocator alloc, ProtocolException error) {
        if (error.code() == ErrorCode.UNAUTHORIZED) {
            error = ProtocolException.invalidToken();
        }
        return JsonResponses.error(alloc, error);
    }
}
