package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.concurrent.EventExecutor;

/**
 * What carries one exchange: an HTTP/1.1 connection (one exchange at a time, {@link Http1Wire}) or one
 * stream of an HTTP/2 connection ({@link Http2StreamWire}, a stream id on the connection's own
 * pipeline, with no channel of its own). {@link Exchange}, {@link ExchangeRunner} and
 * {@link HttpStreamingResponseWriter} write only through it, so they are the same for both protocols.
 *
 * <p>Everything but {@link #executor()}, {@link #alloc()} and {@link #connection()} runs on the
 * connection's event loop.
 */
abstract sealed class ExchangeWire permits Http1Wire, Http2StreamWire {

    /** The connection's event loop. */
    abstract EventExecutor executor();

    abstract ByteBufAllocator alloc();

    /** The TCP connection's state. */
    abstract Connection connection();

    abstract boolean isHttp2();

    /** Writes a complete response and flushes; once written (or failed) the exchange is done. */
    abstract void writeResponse(Exchange ex, FullHttpResponse response);

    /** Sends the head of a streamed response, flushed. */
    abstract void writeHead(Exchange ex, HttpResponse head);

    /** Sends one chunk (DATA frame) of a streamed response; flushes only if {@code flush}. Takes ownership. */
    abstract void writeData(ByteBuf data, boolean flush);

    /**
     * Sends {@code events[0, count)}, bytes other streams may send too and nobody changes, together: one
     * chunk, or as few DATA frames as fit; flushes only if {@code flush}. A single event is copied into
     * the transport's memory once per write round for all the connection's streams ({@link
     * WriteRounds#shared}); several are gathered into one buffer (one chunk, and a flat buffer the socket
     * writes as it is). Does not keep {@code events}.
     */
    void writeEvents(byte[][] events, int count, boolean flush, WriteRounds rounds) {
        ByteBuf data;
        if (count == 1) {
            data = rounds.shared(events[0]);
        } else {
            int total = 0;
            for (int i = 0; i < count; i++) {
                total += events[i].length;
            }
            data = alloc().directBuffer(total, total);
            for (int i = 0; i < count; i++) {
                data.writeBytes(events[i]);
            }
        }
        writeData(data, flush);
    }

    /** Ends a streamed response (last chunk, or END_STREAM), flushed. */
    abstract ChannelFuture writeEnd();

    /** The exchange's last byte is written (or failed): {@code close} asks to close what carried it. */
    abstract void exchangeDone(Exchange ex, boolean close);

    /** Abandons a response midway: closes the HTTP/1.1 connection, or resets the HTTP/2 stream. */
    abstract void abort();

    /** Whether the connection (and the HTTP/2 stream) is still open. */
    abstract boolean isActive();

    /** Whether more can be written now without piling up (outbound buffer and flow-control window). */
    abstract boolean isWritable();

    /**
     * Whether {@code bytes} would leave as one piece now (see
     * {@link StreamingResponseWriter#canSendWhole}); if not, {@code retry} runs a little later.
     */
    abstract boolean canSendWhole(int bytes, Runnable retry);

    /** Runs {@code callback} once this wire closes: the connection, or the HTTP/2 stream (reset or ended). */
    abstract void onClose(Runnable callback);
}
