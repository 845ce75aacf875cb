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
 * <p>Back-pressure: a client that reads slowly must not make the server buffer without bound.
 * A producer writes only while {@link #isWritable()} (Netty's outbound buffer is under its
 * high-water mark and, for HTTP/2, the stream's flow-control window is open), stops when it turns
 * false, and resumes from the {@link #onWritable} callback. Producers do that on the connection's
 * event loop ({@link #execute}), the one thread that writes, so "check, then write" cannot race.
 *
 * <p>The server ends open streams itself when it shuts down (a last chunk or END_STREAM, or a
 * reset when the client is not reading), so {@link #closeFuture()} is how an endpoint learns that
 * its stream is over, whoever ended it.
 *
 * <p>Thread-safe: events may be written from any thread; they are sent in call order.
 */
public interface StreamingResponseWriter {

    /**
     * Sends one event (its complete bytes, separator included) and flushes it. Takes ownership of
     * {@code event}. Does not check {@link #isWritable()}: the caller does.
     *
     * @return completes when the event was handed to the socket, exceptionally if the client is gone
     */
    CompletionStage<Void> write(ByteBuf event);

    /** Ends the response (last chunk, or END_STREAM). Idempotent. */
    CompletionStage<Void> finish();

    /** Whether the client can still receive events: not finished, connection (or stream) open. */
    boolean isOpen();

    /**
     * Whether another event can be written now without piling up in memory: false while the
     * connection's outbound buffer is above its high-water mark or the HTTP/2 stream's flow-control
     * window is used up, that is while the client does not keep up. Meaningful on the event loop.
     */
    boolean isWritable();

    /** Runs {@code task} on the connection's event loop, at once if called there. */
    void execute(Runnable task);

    /**
     * Sets the callback run on the event loop each time the connection becomes writable again
     * after {@link #isWritable()} was false. Replaces any earlier callback.
     */
    void onWritable(Runnable callback);

    /**
     * Completes once the response is over, for any reason: {@link #finish} was written, the server
     * ended the stream on shutdown, or the connection (or HTTP/2 stream) closed. Never completes
     * exceptionally.
     */
    CompletionStage<Void> closeFuture();
}
