package io.eddy.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Http2RequestHandler} on a real event loop (a local channel): responses that one task completes
 * together, as a group commit completes its writes, leave in one socket write per connection.
 */
class Http2ResponseFlushTest {
    /** I/O event loops, as the server's are (a {@code DefaultEventLoop} has no iterations to end). */
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    /** Responses promised by {@code /later}, completed by the test. */
    private final List<CompletableFuture<FullHttpResponse>> promised = new CopyOnWriteArrayList<>();
    /** Flushes of the server's channel that had something written since the one before: socket writes. */
    private final AtomicInteger socketWrites = new AtomicInteger();
    private final Map<Integer, String> bodies = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private final Endpoint later = new Endpoint() {
        @Override public HttpMethod method() { return HttpMethod.POST; }
        @Override public String path() { return "/later"; }
        @Override public void serve(Exchange exchange) {
            CompletableFuture<FullHttpResponse> f = new CompletableFuture<>();
            promised.add(f);
            exchange.respondLater(f, () -> { throw new AssertionError("no failure expected"); });
        }
    };

    private static FullHttpResponse json(String text) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, text.length());
        return r;
    }

    @Test
    void responsesCompletedTogetherShareOneSocketWrite() throws Exception {
        ExchangeRunner runner = new ExchangeRunner(new Router(List.of(later)), new Authenticator("secret"), Runnable::run, 1024);
        LocalAddress address = new LocalAddress("h2-flush-" + System.nanoTime());
        EventLoop[] serverLoop = new EventLoop[1];
        new ServerBootstrap().group(group).channel(LocalServerChannel.class).childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                serverLoop[0] = ch.eventLoop();
                ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                    private boolean written;

                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                        written = true;
                        ctx.write(msg, promise);
                    }

                    @Override
                    public void flush(ChannelHandlerContext ctx) {
                        if (written) socketWrites.incrementAndGet();
                        written = false;
                        ctx.flush();
                    }
                }, Http2RequestHandler.create(runner, Http2Settings.defaultSettings(), 1000, 1024));
            }
        }).bind(address).sync();

        Http2ConnectionHandler client = new Http2ConnectionHandlerBuilder().server(false).frameListener(new Http2EventAdapter() {
            @Override
            public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
                bodies.merge(streamId, data.toString(StandardCharsets.UTF_8), String::concat);
                return data.readableBytes() + padding;
            }
        }).build();
        Channel ch = new Bootstrap().group(group).channel(LocalChannel.class).handler(client).connect(address).sync().channel();
        ch.eventLoop().submit(() -> {
            ChannelHandlerContext ctx = ch.pipeline().firstContext();
            for (int stream : new int[] {3, 5, 7}) {
                client.encoder().writeHeaders(ctx, stream, new DefaultHttp2Headers().method("POST").path("/later")
                        .scheme("http").authority("test").add("authorization", "Bearer secret"), 0, true, ctx.newPromise());
            }
            ch.flush();
        }).sync();
        awaitTrue(() -> promised.size() == 3 || !bodies.isEmpty());
        assertThat(bodies).as("no response before the test completes them").isEmpty();

        // One task completes all three, as the committer completes a group commit's writes.
        int before = serverLoop[0].submit(socketWrites::get).get();
        serverLoop[0].submit(() -> {
            for (int i = 0; i < 3; i++) promised.get(i).complete(json("{\"n\":" + i + "}"));
        }).sync();
        awaitTrue(() -> bodies.size() == 3);

        assertThat(bodies).containsOnlyKeys(3, 5, 7);
        assertThat(serverLoop[0].submit(socketWrites::get).get() - before).isEqualTo(1);
        ch.close().sync();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
