package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * The body of a long-lived response ({@code /stream/1}): a sequence of events, each one compact JSON
 * object followed by {@code \r\n}.
 *
 * <p>The JVM driver parses one JSON object per delivered buffer and drops the rest, so each event
 * must leave the server in its own socket write: {@link #write} writes and flushes one event as one
 * HTTP/1.1 chunk or one HTTP/2 DATA frame, never coalescing it with the next. The same writer serves
 * both protocols because both arrive here as Netty HTTP objects (HTTP/2 through
 * {@code Http2StreamFrameToHttpObjectCodec}).
 *
 * <p>Thread-safe: events may be written from any thread; they are sent in call order.
 */
public interface StreamingResponseWriter {

    /**
     * Sends one event (its complete bytes, separator included) and flushes it. Takes ownership of
     * {@code event}.
     *
     * @return completes when the event was handed to the socket, exceptionally if the client is gone
     */
    CompletionStage<Void> write(ByteBuf event);

    /** Ends the response (last chunk, or END_STREAM). Idempotent. */
    CompletionStage<Void> finish();

    /** Whether the client can still receive events. */
    boolean isOpen();

    /** Completes when the connection (or HTTP/2 stream) closes, from either side. */
    CompletionStage<Void> closeFuture();
}
