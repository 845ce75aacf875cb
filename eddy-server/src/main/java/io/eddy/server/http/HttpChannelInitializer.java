package io.eddy.server.http;

import io.eddy.server.ServerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline of each accepted connection so that one cleartext port speaks HTTP/1.1,
 * HTTP/2 with prior knowledge, and HTTP/1.1 upgraded to HTTP/2 ({@code Upgrade: h2c}), as Fauna's
 * own server does (core: {@code HttpServer.configureClear}).
 *
 * <pre>
 * connection:  [guard] -> [h2c: CleartextHttp2ServerUpgradeHandler] -> [http1 installer] -> [errors]
 *
 *   first bytes are the HTTP/2 preface (prior knowledge):
 *              [guard] -> Http2RequestHandler -> ... -> [errors]
 *   otherwise HTTP/1.1; the installer swaps itself for the request handlers on the first request:
 *              [guard] -> HttpServerCodec -> HttpServerUpgradeHandler -> BoundedAggregator
 *                      -> RequestDispatcher -> [errors]
 *   an "Upgrade: h2c" request switches the connection to the HTTP/2 form above; the upgrade
 *   request itself becomes stream 1.
 *
 * each HTTP/2 stream: no channel of its own; an Http2StreamWire on the connection's handler
 * </pre>
 *
 * Requests of all three modes reach the same {@link ExchangeRunner} as Netty HTTP requests, each
 * with the {@link ExchangeWire} that carries it, so the same endpoints serve them all.
 */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final Logger log = LoggerFactory.getLogger(HttpChannelInitializer.class);

    private final ServerConfig config;
    private final ExchangeRunner runner;
    private final ChannelGroup connections;

    /**
     * @param executor runs endpoints; a virtual-thread-per-task executor in the server
     * @param connections every accepted connection is added, so the server can drain and close them
     */
    public HttpChannelInitializer(ServerConfig config, Router router, Authenticator authenticator,
                                  Executor executor, ChannelGroup connections) {
        this.config = config;
        this.runner = new ExchangeRunner(router, authenticator, executor, config.maxRequestBytes());
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (!config.idleTimeout().isZero()) {
            p.addLast("guard", new ConnectionGuard(config.idleTimeout()));
        }
        HttpServerCodec http1 = new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxInitialLineLength())
                .setMaxHeaderSize(config.maxHeaderBytes()));
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, this::upgradeCodec,
                config.maxRequestBytes()) {
            @Override
            protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
                OversizedRequest.fire(ctx, oversized);
            }
        };
        p.addLast("h2c", new CleartextHttp2ServerUpgradeHandler(http1, upgrade, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel connection) {
                // HTTP/2 prior knowledge: the preface replaced the HTTP/1.1 handlers.
                ChannelPipeline p = connection.pipeline();
                p.addAfter(p.context(this).name(), "h2", http2Handler());
            }
        }));
        p.addLast("http1", new Http1Installer());
        p.addLast("errors", new ConnectionErrorHandler());
    }

    /**
     * Starts draining one connection for a graceful shutdown; call on its event loop. See
     * {@link Connection#drain}.
     */
    public static void drain(Channel connection) {
        Connection.drain(connection);
    }

    private HttpServerUpgradeHandler.UpgradeCodec upgradeCodec(CharSequence protocol) {
        if (AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)) {
            return new Http2ServerUpgradeCodec("h2", http2Handler());
        }
        return null;
    }

    private Http2RequestHandler http2Handler() {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(config.maxConcurrentStreams())
                .maxHeaderListSize(config.maxHeaderBytes())
                // A larger window lets big request bodies arrive without a round trip per 64 KiB.
                .initialWindowSize(1 << 20);
        return Http2RequestHandler.create(runner, settings, config.shutdownGracePeriod().toMillis(),
                config.maxRequestBytes());
    }

    /**
     * On the first HTTP/1.1 message, puts the aggregator and dispatcher in its own place and hands
     * the message on. Installing lazily keeps them out of HTTP/2 connections, whose parent pipeline
     * never carries HTTP messages.
     */
    private final class Http1Installer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpMessage || msg instanceof OversizedRequest) {
                ChannelPipeline p = ctx.pipeline();
                p.addAfter(ctx.name(), "aggregator", new BoundedAggregator(config.maxRequestBytes()));
                p.addAfter("aggregator", "dispatcher", new RequestDispatcher(runner));
                ctx.fireChannelRead(msg);
                p.remove(this);
            } else {
                ctx.fireChannelRead(msg);
            }
        }
    }

    /**
     * The tail of every connection pipeline: errors that no request handler took (a reset during the
     * preface, an HTTP/2 connection error) are logged quietly and end the connection, instead of
     * reaching Netty's tail handler as "unhandled" warnings.
     */
    private static final class ConnectionErrorHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException) {
                log.debug("Connection error on {}: {}", ctx.channel(), cause.toString());
            } else {
                log.warn("Unexpected error on {}, closing it", ctx.channel(), cause);
            }
            ctx.channel().close();
        }
    }
}
