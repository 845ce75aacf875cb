package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * The body of a long-lived response ({@code /stream/1}): a sequence of events, each one compact JSON
 * object followed by {@code \r\n}, written by a producer that the connection runs when it can send.
 *
 * <p>Writing happens in the connection's write rounds (see {@link WriteRounds}): the endpoint sets a
 * {@linkplain #onReady producer}, and whenever it has events it calls {@link #requestWrite()} (any
 * thread). The connection then runs the producer on its event loop, together with the producers of its
 * other streams, and flushes once after all of them. Each {@link #write} is its own HTTP/1.1 chunk or
 * HTTP/2 DATA frame; a producer that writes one event per run gets each event into its own socket
 * write, which the JVM driver needs (it parses one JSON object per delivered buffer and drops the rest).
 *
 * <p>Back-pressure: a client that reads slowly must not make the server buffer without bound. A
 * producer writes only while {@link #isWritable()} (Netty's outbound buffer is under its high-water
 * mark and, for HTTP/2, the stream's flow-control window is open) and returns when it turns false;
 * the writer asks for a run again by itself once the connection is writable. Producers run on the
 * event loop, the one thread that writes, so "check, then write" cannot race.
 *
 * <p>The server ends open streams itself when it shuts down (a last chunk or END_STREAM, or a
 * reset when the client is not reading), so {@link #onClose} is how an endpoint learns that
 * its stream is over, whoever ended it.
 */
public interface StreamingResponseWriter {

    /**
     * Sets the producer: run on the event loop in a write round after {@link #requestWrite()}, and
     * again by the writer when the connection turns writable. Replaces any earlier producer.
     */
    void onReady(Runnable producer);

    /**
     * Asks for a run of the producer in the connection's next write round. Thread-safe; never blocks;
     * requests before the run coalesce into one. A producer may call it while it runs to be run again
     * after the round's flush.
     */
    void requestWrite();

    /**
     * Sends one event (its complete bytes, separator included) as its own chunk or DATA frame. Takes
     * ownership of {@code event}. From a producer, the round's flush sends it; from anywhere else it
     * is flushed at once. Does not check {@link #isWritable()}: the caller does. An event written
     * after the response ended is released and dropped.
     */
    void write(ByteBuf event);

    /**
     * Sends events {@code events[0, count)}, whole and in order, as few chunks or DATA frames as fit.
     * Their bytes may be sent by other streams too and nobody changes them: over HTTP/2 they are framed
     * straight into the connection's write-round buffer when the stream's flow-control windows hold them
     * ({@link Http2DataFrameBatch}); otherwise copied once per round for all the connection's streams
     * (one event) or gathered into one buffer (several). Keeps neither the array nor the events' bytes
     * past the call when called from a producer. Does not check {@link #isWritable()}: the caller does.
     */
    void writeShared(byte[][] events, int count);

    /** Ends the response (last chunk, or END_STREAM). Idempotent. */
    CompletionStage<Void> finish();

    /** Whether the client can still receive events: not finished, connection (or stream) open. */
    boolean isOpen();

    /**
     * Whether an event of {@code bytes} would leave in one piece now. Over HTTP/2 a DATA frame larger
     * than the flow-control window the client has granted is cut to fit it, and a client that parses
     * one event per delivered buffer (the JVM driver) would get the event in two. False while the
     * stream's or connection's window is smaller than the event (the writer then asks for a run again
     * shortly); true over HTTP/1.1, and for an event larger than the client's initial window, which
     * could never fit. On the event loop.
     */
    boolean canSendWhole(int bytes);

    /**
     * Whether another event can be written now without piling up in memory: false while the
     * connection's outbound buffer is above its high-water mark or the HTTP/2 stream's flow-control
     * window is used up, that is while the client does not keep up. Meaningful on the event loop.
     */
    boolean isWritable();

    /**
     * Runs {@code callback} once the response is over, for any reason: {@link #finish} was written,
     * the server ended the stream on shutdown, or the connection (or HTTP/2 stream) closed; at once
     * if it already is. One callback per writer; a later call replaces one not yet run.
     */
    void onClose(Runnable callback);
}
