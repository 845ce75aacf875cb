package io.eddy.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameSizePolicy;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * An HTTP/2 connection (prior knowledge or h2c upgrade) served at the frame level: Netty's
 * {@link Http2ConnectionHandler} (framing, HPACK, flow control, settings, GOAWAY) with this class as
 * its frame listener. Each request stream gets an {@link Http2StreamWire} (kept as a property of
 * Netty's stream) that gathers its HEADERS and DATA and hands the complete request to the
 * {@link ExchangeRunner}; responses and stream events are written back through this handler's
 * encoder.
 *
 * <p>Why not Netty's {@code Http2MultiplexHandler}: it gives every stream a child channel with its own
 * pipeline, and converts frames to HTTP objects and back. For thousands of long-lived event streams
 * per connection, and for many short queries, that was most of the per-stream memory and a large
 * share of the event loop's work; streams here cost a small object, and a write is one call into the
 * encoder.
 *
 * <p>Invariants: confined to the connection's event loop; every stream that carried a request has its
 * wire's {@link Http2StreamWire#streamClosed} called exactly once (by the connection's stream-closed
 * event), which releases what the request still held and ends its exchange's bookkeeping; pending
 * DATA is written by {@link #flush}, which every write path calls (write rounds flush the channel,
 * which reaches it too).
 */
final class Http2RequestHandler extends Http2ConnectionHandler implements Http2FrameListener {
    private final ExchangeRunner runner;
    private final int maxRequestBytes;
    private final Http2Connection.PropertyKey wireKey;
    private Connection connectionState;
    /**
     * Bytes of request bodies gathered on this connection and not yet handed on. Each request is held
     * to the size limit; this bounds them together, so that many streams each sending a body just
     * under the limit, and never ending it, cannot hold unbounded memory.
     */
    private long gatheredBytes;
    /**
     * DATA bytes handed to the encoder and not yet written to the socket: they wait in the flow
     * controller for the connection's window. The window a stream sees is shared with these, so an
     * event is promised to leave whole ({@link #connectionWindowHolds}) only if it fits after them;
     * otherwise several streams of one write round, each seeing the whole window, would together
     * overrun it and the last one's frame would be cut.
     */
    private long queuedDataBytes;
    /** The DATA frames of the current write round, framed without the encoder ({@link Http2DataFrameBatch}). */
    private final Http2DataFrameBatch dataFrames;
    /** The encoder's, fixed for the connection's life: looked up once, not through the decorators per event. */
    private final Http2RemoteFlowController flow;
    /** Where the peer's SETTINGS_MAX_FRAME_SIZE lands (the frame writer's policy object). */
    private final Http2FrameSizePolicy frameSizePolicy;
    /** Between a read's first {@code channelRead} and its {@code channelReadComplete}, which flushes. */
    private boolean reading;
    /** A {@link #flushSoon} task is queued on the event loop. */
    private boolean flushScheduled;

    private Http2RequestHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
                                ExchangeRunner runner, int maxRequestBytes) {
        super(decoder, encoder, settings);
        this.runner = runner;
        this.maxRequestBytes = maxRequestBytes;
        this.wireKey = connection().newKey();
        this.flow = encoder.flowController();
        this.frameSizePolicy = encoder.configuration().frameSizePolicy();
        this.dataFrames = new Http2DataFrameBatch(flow, connection().connectionStream());
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                Http2StreamWire wire = stream.getProperty(wireKey);
                if (wire != null) {
                    wire.streamClosed();
                }
            }
        });
        // A stream whose flow-control window (or the connection's buffer) opens may write again.
        encoder.flowController().listener(stream -> {
            Http2StreamWire wire = stream.getProperty(wireKey);
            Exchange ex = wire == null ? null : wire.exchange();
            if (ex != null) {
                ex.writabilityChanged();
            }
        });
    }

    /**
     * A handler for one connection. Its outbound flow control shares the connection's window among the
     * streams evenly ({@link UniformStreamByteDistributor}) rather than by HTTP/2 priorities, which RFC 9113
     * deprecates and no driver sends: the priority tree's bookkeeping was over half of the event loops'
     * time when one commit reaches the 250 streams of a connection.
     */
    static Http2RequestHandler create(ExchangeRunner runner, Http2Settings settings, long gracefulShutdownMillis,
                                      int maxRequestBytes) {
        DefaultHttp2Connection connection = new DefaultHttp2Connection(true);
        connection.remote().flowController(
                new DefaultHttp2RemoteFlowController(connection, new UniformStreamByteDistributor(connection)));
        return new Builder(runner, maxRequestBytes).connection(connection).settings(settings)
                .shutdownMillis(gracefulShutdownMillis).build();
    }

    ExchangeRunner runner() { return runner; }

    int maxRequestBytes() { return maxRequestBytes; }

    /** How many body bytes the connection's unfinished requests may hold together. */
    long maxGatheredBytes() { return 4L * maxRequestBytes; }

    /** Reserves room for {@code bytes} more of gathered request bodies; false if over the budget. */
    boolean reserveGathered(int bytes) {
        if (gatheredBytes + bytes > maxGatheredBytes()) {
            return false;
        }
        gatheredBytes += bytes;
        return true;
    }

    void releaseGathered(long bytes) {
        gatheredBytes -= bytes;
    }

    Connection connectionState() { return connectionState; }

    /** Counts DATA bytes just handed to the encoder (see {@link #queuedDataBytes}). */
    void dataQueued(int bytes) {
        queuedDataBytes += bytes;
    }

    /** Whether {@code bytes} more DATA fit the connection's window after what is already queued. */
    boolean connectionWindowHolds(int bytes) {
        return queuedDataBytes + dataFrames.pendingBytes() + bytes <= flow.windowSize(connection().connectionStream());
    }

    /**
     * Frames {@code data} for {@code stream} into the round's batch if its windows hold it; false (and
     * {@code data} still the caller's) when it must go through the encoder.
     */
    boolean writeDirect(ChannelHandlerContext ctx, Http2Stream stream, ByteBuf data) {
        return dataFrames.tryAppend(ctx, stream, data, queuedDataBytes, frameSizePolicy.maxFrameSize());
    }

    /** {@link #writeDirect(ChannelHandlerContext, Http2Stream, ByteBuf)} for shared event bytes (only read). */
    boolean writeDirect(ChannelHandlerContext ctx, Http2Stream stream, byte[][] events, int count) {
        return dataFrames.tryAppend(ctx, stream, events, count, queuedDataBytes, frameSizePolicy.maxFrameSize());
    }

    /** The connection's outbound flow controller. */
    Http2RemoteFlowController flow() {
        return flow;
    }

    /** Hands the batched DATA frames to the channel: called before any other frame is written. */
    void emitDirect(ChannelHandlerContext ctx) {
        dataFrames.emit(ctx);
    }

    /** A reset must not overtake the stream's DATA still in the batch (the peer would see DATA after it). */
    @Override
    public ChannelFuture resetStream(ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
        dataFrames.emit(ctx);
        return super.resetStream(ctx, streamId, errorCode, promise);
    }

    /** Closing writes GOAWAY: the batched DATA goes before it. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        dataFrames.emit(ctx);
        super.close(ctx, promise);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        dataFrames.discard();
        super.handlerRemoved0(ctx);
    }

    /**
     * Flushes at the end of the event loop's current iteration, after the tasks it is running, instead
     * of now: a group commit completes the writes of many requests at once, and their responses, each
     * written by its own task, then share one socket write per connection rather than taking one each
     * (a system call and a TCP segment per response). Within a read nothing is scheduled: the read's
     * end flushes ({@link Http2ConnectionHandler#channelReadComplete}). Only an I/O event loop runs the
     * tasks queued for the end of its iterations; on any other executor (an embedded channel's, in
     * tests) this flushes now.
     */
    void flushSoon(ChannelHandlerContext ctx) {
        if (reading || flushScheduled) {
            return;
        }
        if (ctx.executor() instanceof SingleThreadIoEventLoop loop) {
            flushScheduled = true;
            loop.executeAfterEventLoopIteration(() -> {
                flushScheduled = false;
                flush(ctx);
            });
        } else {
            flush(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        reading = true;
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        reading = false;
        super.channelReadComplete(ctx); // flushes
    }

    /**
     * Writes the batched DATA frames, then what the flow controller can (and the socket), then updates
     * {@link #queuedDataBytes}. The
     * connection window shrank by exactly the DATA written. If window and socket are both still open,
     * whatever the controller holds waits for its own stream's window, which opens only when a
     * WINDOW_UPDATE is read (and that read ends in a flush of its own): it no longer competes for the
     * connection window with what a write round queues, so nothing counts as queued. This also forgets
     * bytes of streams reset before they were sent, which are never written.
     */
    @Override
    public void flush(ChannelHandlerContext ctx) {
        Http2Stream connectionStream = connection().connectionStream();
        dataFrames.emit(ctx);
        int before = flow.windowSize(connectionStream);
        super.flush(ctx);
        int after = flow.windowSize(connectionStream);
        queuedDataBytes = after > 0 && ctx.channel().isWritable()
                ? 0
                : Math.max(0, queuedDataBytes - Math.max(0, before - after));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        connectionState = Connection.of(ctx.channel());
        super.handlerAdded(ctx);
    }

    private Http2StreamWire wire(ChannelHandlerContext ctx, int streamId) {
        Http2Stream stream = connection().stream(streamId);
        if (stream == null) {
            return null; // already closed (e.g. reset): nothing to gather
        }
        Http2StreamWire wire = stream.getProperty(wireKey);
        if (wire == null) {
            wire = new Http2StreamWire(this, ctx, stream);
            stream.setProperty(wireKey, wire);
        }
        return wire;
    }

    /** The h2c upgrade: the HTTP/1.1 request that asked for it is stream 1's request. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent upgrade) {
            Http2StreamWire wire = wire(ctx, Http2CodecUtil.HTTP_UPGRADE_STREAM_ID);
            // The event comes retained for its receiver: its request is now this handler's to release.
            FullHttpRequest request = upgrade.upgradeRequest();
            if (wire == null) {
                request.release();
            } else {
                wire.upgradeRequest(request);
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    // ---- Http2FrameListener ----

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        int processed = data.readableBytes() + padding;
        Http2StreamWire wire = wire(ctx, streamId);
        if (wire != null) {
            wire.dataRead(data, endOfStream);
        }
        return processed; // consumed at once: the window reopens; the size limit bounds what is kept
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                              boolean endOfStream) {
        Http2StreamWire wire = wire(ctx, streamId);
        if (wire != null) {
            wire.headersRead(headers, endOfStream);
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                              short weight, boolean exclusive, int padding, boolean endOfStream) {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
                               boolean exclusive) {
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        // The stream's closing (and so its wire's) is reported by the connection's stream-closed event.
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
    }

    @Override
    public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId, Http2Headers headers,
                                  int padding) {
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
    }

    @Override
    public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags,
                               ByteBuf payload) {
    }

    /** Netty's builder, with the settings Eddy needs exposed. */
    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2RequestHandler, Builder> {
        private final ExchangeRunner runner;
        private final int maxRequestBytes;

        Builder(ExchangeRunner runner, int maxRequestBytes) {
            this.runner = runner;
            this.maxRequestBytes = maxRequestBytes;
        }

        @Override
        protected Builder connection(Http2Connection connection) {
            return super.connection(connection);
        }

        Builder settings(Http2Settings settings) {
            return initialSettings(settings);
        }

        Builder shutdownMillis(long millis) {
            return gracefulShutdownTimeoutMillis(millis);
        }

        @Override
        protected Http2RequestHandler build() {
            return super.build();
        }

        @Override
        protected Http2RequestHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                                            Http2Settings settings) {
            Http2RequestHandler handler = new Http2RequestHandler(decoder, encoder, settings, runner, maxRequestBytes);
            decoder.frameListener(handler);
            return handler;
        }
    }
}
