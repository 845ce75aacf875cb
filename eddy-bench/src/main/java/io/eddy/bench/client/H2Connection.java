package io.eddy.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.collection.IntObjectHashMap;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One cleartext HTTP/2 connection with prior knowledge, carrying many concurrent streams. Built on
 * Netty's {@link Http2ConnectionHandler} with a frame listener, not on a child channel per stream: a stream
 * here is an id and a {@link BodyHandler} in a map, so ten thousand subscriptions cost the client a few
 * hundred bytes each and an event costs a map lookup, which keeps the client from becoming the bottleneck
 * of the fan-out measurements. Flow control is Netty's: the bytes a handler is given are returned to the
 * window as soon as the handler returns. The connection window is raised to 64 MiB and each stream's to
 * 4 MiB, so a burst of events or a 16,000-event feed page is not throttled. Requests beyond the server's
 * {@code SETTINGS_MAX_CONCURRENT_STREAMS} wait in Netty's stream-buffering encoder (no error).
 */
public final class H2Connection implements AutoCloseable {
    private static final int STREAM_WINDOW = 4 << 20;
    private static final int CONNECTION_WINDOW = 64 << 20;

    private final Channel channel;
    private final Http2ConnectionHandler http2;
    private final String authority;
    private final String secret;
    /** Event-loop confined: the handler of each open stream. */
    private final IntObjectHashMap<BodyHandler> handlers = new IntObjectHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    private H2Connection(Channel channel, Http2ConnectionHandler http2, String authority, String secret) {
        this.channel = channel;
        this.http2 = http2;
        this.authority = authority;
        this.secret = secret;
    }

    /** Connects and sends the preface; blocks until the TCP connection is up. */
    public static H2Connection connect(Net net, String host, int port, String secret) throws InterruptedException {
        return connect(net, net.group(), host, port, secret);
    }

    /** {@link #connect(Net, String, int, String)} on an event loop of {@code group}. */
    public static H2Connection connect(Net net, io.netty.channel.EventLoopGroup group, String host, int port, String secret)
            throws InterruptedException {
        Listener listener = new Listener();
        Http2ConnectionHandler http2 = new Http2ConnectionHandlerBuilder()
                .server(false)
                .frameListener(listener)
                .initialSettings(Http2Settings.defaultSettings().initialWindowSize(STREAM_WINDOW)
                        .maxConcurrentStreams(0).pushEnabled(false))
                .encoderEnforceMaxConcurrentStreams(true)
                .validateHeaders(false)
                // close() ends live streams at once instead of waiting for them (Netty's default is 30 s)
                .gracefulShutdownTimeoutMillis(0)
                .build();
        // A read that ends inside a frame is kept for the next; Netty's default then copies each
        // following read after it (at a million small DATA frames a second, nearly every byte
        // received: 8% of the client). Composing the reads instead copies nothing.
        http2.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
        Bootstrap b = new Bootstrap().group(group).channel(net.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(http2, new ConnectionLost());
                    }
                });
        Channel ch = b.connect(host, port).sync().channel();
        H2Connection c = new H2Connection(ch, http2, host + ":" + port, secret);
        listener.owner = c;
        ch.closeFuture().addListener(f -> ch.eventLoop().execute(c::failAll));
        ch.eventLoop().submit(() -> {
            http2.connection().local().flowController()
                    .incrementWindowSize(http2.connection().connectionStream(), CONNECTION_WINDOW - 65_535);
            ch.flush();
            return null;
        }).sync();
        return c;
    }

    /** Streams opened on this connection and not yet ended. */
    public int openStreams() { return open.get(); }

    public boolean isActive() { return channel.isActive(); }

    /** A completed response: status and body. */
    public record Response(int status, byte[] body) {
        public String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    /** POSTs {@code body} to {@code path} and collects the whole response. */
    public CompletableFuture<Response> post(String path, byte[] body) {
        CompletableFuture<Response> done = new CompletableFuture<>();
        request(path, body, new BodyHandler() {
            private final ByteArrayOutputStream out = new ByteArrayOutputStream();
            private int status;

            @Override public void onHeaders(int s) { status = s; }

            @Override public void onData(ByteBuf data) {
                byte[] b = new byte[data.readableBytes()];
                data.readBytes(b);
                out.writeBytes(b);
            }

            @Override public void onEnd() { done.complete(new Response(status, out.toByteArray())); }

            @Override public void onFailure(Throwable t) { done.completeExceptionally(t); }
        });
        return done;
    }

    /** What a request's response is handed to, on the connection's event loop. */
    public interface BodyHandler {
        void onHeaders(int status);

        /** A DATA frame's content; valid only during the call. */
        void onData(ByteBuf data);

        /** The response ended normally. */
        void onEnd();

        /** The stream was reset or the connection lost before the end. */
        void onFailure(Throwable t);
    }

    /** Sends a POST on a new stream; the future completes with the stream id once the request is written. */
    public CompletableFuture<Integer> request(String path, byte[] body, BodyHandler handler) {
        CompletableFuture<Integer> sent = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                IOException e = new IOException("connection closed");
                handler.onFailure(e);
                sent.completeExceptionally(e);
                return;
            }
            ChannelHandlerContext ctx = channel.pipeline().context(http2);
            int id = http2.connection().local().incrementAndGetNextStreamId();
            handlers.put(id, handler);
            open.incrementAndGet();
            Http2Headers h = new DefaultHttp2Headers().method("POST").path(path).scheme("http").authority(authority);
            h.add("authorization", "Bearer " + secret);
            h.add("x-format", "tagged");
            h.add("content-type", "application/json");
            http2.encoder().writeHeaders(ctx, id, h, 0, false, ctx.newPromise());
            http2.encoder().writeData(ctx, id, Unpooled.wrappedBuffer(body), 0, true, ctx.newPromise());
            // through the pipeline, so the handler's own flush writes the DATA held by its flow controller
            channel.flush();
            sent.complete(id);
        });
        return sent;
    }

    private BodyHandler finish(int id) {
        BodyHandler h = handlers.remove(id);
        if (h != null) open.decrementAndGet();
        return h;
    }

    private void failAll() {
        List<BodyHandler> all = new ArrayList<>(handlers.values());
        handlers.clear();
        open.set(0);
        IOException e = new IOException("connection closed");
        for (BodyHandler h : all) h.onFailure(e);
    }

    /** Receives the frames of every stream of the connection, on its event loop. */
    private static final class Listener extends Http2FrameAdapter {
        H2Connection owner;

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endStream) {
            BodyHandler h = owner.handlers.get(streamId);
            if (h == null) return;
            CharSequence status = headers.status();
            if (status != null) h.onHeaders(Integer.parseInt(status.toString()));
            if (endStream) {
                owner.finish(streamId);
                h.onEnd();
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endStream) {
            onHeadersRead(ctx, streamId, headers, padding, endStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            int processed = data.readableBytes() + padding;
            BodyHandler h = owner.handlers.get(streamId);
            if (h != null) {
                h.onData(data);
                if (endOfStream) {
                    owner.finish(streamId);
                    h.onEnd();
                }
            }
            return processed;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            BodyHandler h = owner.finish(streamId);
            if (h != null) h.onFailure(new IOException("stream reset by server, error code " + Http2Error.valueOf(errorCode)));
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
            // streams above lastStreamId were not processed: fail them; the others finish normally
            for (int id : new ArrayList<>(owner.handlers.keySet())) {
                if (id > lastStreamId) {
                    BodyHandler h = owner.finish(id);
                    if (h != null) h.onFailure(new IOException("GOAWAY from server"));
                }
            }
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /**
     * Ends the pipeline: an I/O error (the server went away, typically when a run stops it) closes the
     * channel, whose close future fails every open stream, instead of reaching Netty's tail as a warning.
     */
    private static final class ConnectionLost extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException) ctx.close();
            else ctx.fireExceptionCaught(cause);
        }
    }
}
