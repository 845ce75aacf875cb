package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * The DATA frames of one HTTP/2 connection's write round, framed straight into one buffer.
 *
 * <p>Why: when one commit reaches the 250 event streams of a connection, Netty's encoder would queue
 * each event in its flow controller, allocate a frame header, and hand the socket two buffers and a
 * promise per event; that per-frame machinery was most of the server's work in a fan-out. Here an
 * event whose stream and connection windows already hold it is framed at once: its 9-byte header and
 * its bytes are appended to the round's buffer, the windows are debited through the flow controller's
 * public API (the stream's at once, the connection's when the buffer goes to the channel, so Netty's
 * view of both is exact whenever it looks), and the round ends with one buffer, one promise and one
 * socket write for all of them.
 *
 * <p>Invariants (confined to the connection's event loop):
 * <ul>
 *   <li>A frame is appended only for a stream that can send DATA and holds nothing in the flow
 *       controller, and only if it fits the stream's window, the connection's window after the DATA the
 *       encoder still holds, and the peer's maximum frame size; everything else goes through the encoder,
 *       after {@link #emit} (so that a stream's frames keep their order).</li>
 *   <li>The buffer reaches the channel ({@link #emit}) before any other frame is written through the
 *       connection's handler and before every flush; so it is never left behind past the round that
 *       filled it, and nothing another path writes can overtake a stream's earlier DATA (a reset, its
 *       final frame).</li>
 *   <li>At most {@link #EMIT_BYTES} (plus one frame) wait in it: the socket's back-pressure sees the rest.</li>
 * </ul>
 */
final class Http2DataFrameBatch {
    /** Past this many bytes the buffer goes to the channel while the round goes on. */
    static final int EMIT_BYTES = 64 * 1024;
    private static final int MIN_BYTES = 4 * 1024;
    /** The type and flags bytes of a DATA frame without END_STREAM: an event stream never ends with an event. */
    private static final short DATA_NO_FLAGS = (short) (Http2FrameTypes.DATA << 8);

    private final Http2RemoteFlowController flow;
    private final Http2Stream connectionStream;
    private ByteBuf frames;
    /** Framed bytes not yet taken from the connection's window: taken in one step by {@link #emit}. */
    private int connectionDebit;
    /** The size the last buffer reached: the next one starts that large, so that it rarely grows. */
    private int lastBytes = MIN_BYTES;

    Http2DataFrameBatch(Http2RemoteFlowController flow, Http2Stream connectionStream) {
        this.flow = flow;
        this.connectionStream = connectionStream;
    }

    /**
     * Frames {@code data} for {@code stream} if its windows hold it and nothing of its own is queued
     * ahead; takes {@code data} (releases it) when it returns true, leaves it to the caller otherwise.
     *
     * @param queuedConnectionBytes DATA the encoder holds for the connection window, not yet written
     * @param maxFrameBytes         the peer's SETTINGS_MAX_FRAME_SIZE
     */
    boolean tryAppend(ChannelHandlerContext ctx, Http2Stream stream, ByteBuf data, long queuedConnectionBytes,
                      int maxFrameBytes) {
        int n = data.readableBytes();
        if (n == 0 || n > maxFrameBytes || !debit(stream, n, queuedConnectionBytes)) {
            return false;
        }
        ByteBuf out = frames(ctx, Http2CodecUtil.FRAME_HEADER_LENGTH + n);
        int at = out.writerIndex();
        setHeader(out, at, n, stream.id());
        out.setBytes(at + Http2CodecUtil.FRAME_HEADER_LENGTH, data, data.readerIndex(), n);
        out.writerIndex(at + Http2CodecUtil.FRAME_HEADER_LENGTH + n);
        data.release();
        emitIfFull(ctx);
        return true;
    }

    /**
     * Frames {@code events[0, count)} (shared bytes, only read) for {@code stream}, as few frames as the
     * peer's frame size allows with every event whole inside one, if the windows hold them all; false
     * (and nothing written) otherwise, or if one event alone is larger than a frame.
     */
    boolean tryAppend(ChannelHandlerContext ctx, Http2Stream stream, byte[][] events, int count,
                      long queuedConnectionBytes, int maxFrameBytes) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            int n = events[i].length;
            if (n == 0 || n > maxFrameBytes) {
                return false;
            }
            total += n;
        }
        if (total > Integer.MAX_VALUE || !debit(stream, (int) total, queuedConnectionBytes)) {
            return false;
        }
        ByteBuf out = frames(ctx, (int) total + count * Http2CodecUtil.FRAME_HEADER_LENGTH);
        int streamId = stream.id();
        // Room is reserved: absolute sets, and the writer index moved once, skip a capacity check per field.
        int at = out.writerIndex();
        for (int i = 0; i < count; ) {
            int end = i;
            int frameBytes = 0;
            while (end < count && frameBytes + events[end].length <= maxFrameBytes) {
                frameBytes += events[end++].length;
            }
            setHeader(out, at, frameBytes, streamId);
            at += Http2CodecUtil.FRAME_HEADER_LENGTH;
            for (; i < end; i++) {
                out.setBytes(at, events[i]);
                at += events[i].length;
            }
        }
        out.writerIndex(at);
        emitIfFull(ctx);
        return true;
    }

    /**
     * Takes {@code n} bytes from the stream's and the connection's windows, if the stream can send DATA,
     * holds nothing in the flow controller (its frames would go out after these) and both windows
     * hold them; false (nothing taken) otherwise.
     */
    private boolean debit(Http2Stream stream, int n, long queuedConnectionBytes) {
        Http2Stream.State state = stream.state();
        if ((state != Http2Stream.State.OPEN && state != Http2Stream.State.HALF_CLOSED_REMOTE)
                || flow.hasFlowControlled(stream)
                || n > flow.windowSize(stream)
                || queuedConnectionBytes + connectionDebit + n > flow.windowSize(connectionStream)) {
            return false;
        }
        debitWindow(stream, n);
        connectionDebit += n;
        return true;
    }

    private void debitWindow(Http2Stream stream, int n) {
        try {
            flow.incrementWindowSize(stream, -n);
        } catch (Http2Exception e) {
            throw new IllegalStateException("debiting a flow-control window cannot overflow it", e);
        }
    }

    private ByteBuf frames(ChannelHandlerContext ctx, int more) {
        if (frames == null) {
            frames = ctx.alloc().directBuffer(Math.max(lastBytes, more));
        } else {
            frames.ensureWritable(more);
        }
        return frames;
    }

    private static void setHeader(ByteBuf out, int at, int length, int streamId) {
        out.setMedium(at, length);
        out.setShort(at + 3, DATA_NO_FLAGS);
        out.setInt(at + 5, streamId);
    }

    private void emitIfFull(ChannelHandlerContext ctx) {
        if (frames.readableBytes() >= EMIT_BYTES) {
            emit(ctx);
        }
    }

    /** Hands the framed DATA to the channel (without flushing); nothing if there is none. */
    void emit(ChannelHandlerContext ctx) {
        ByteBuf out = frames;
        if (out != null) {
            frames = null;
            lastBytes = Math.max(MIN_BYTES, Math.min(out.readableBytes(), EMIT_BYTES + 16 * 1024));
            debitWindow(connectionStream, connectionDebit);
            connectionDebit = 0;
            ctx.write(out); // a failed write means a lost connection, which closes its streams
        }
    }

    /** The connection's handler is gone: drops what was never written. */
    void discard() {
        if (frames != null) {
            frames.release();
            frames = null;
        }
    }

    /** DATA bytes framed and not yet handed to the channel (nor taken from the connection's window). */
    int pendingBytes() {
        return connectionDebit;
    }
}
