package io.eddy.server;

import io.eddy.fql.api.QueryService;
import io.eddy.server.endpoint.FeedEndpoint;
import io.eddy.server.endpoint.PingEndpoint;
import io.eddy.server.endpoint.QueryEndpoint;
import io.eddy.server.endpoint.StreamEndpoint;
import io.eddy.fql.api.KeyAuthority;
import io.eddy.server.http.Authenticator;
import io.eddy.server.http.Endpoint;
import io.eddy.server.http.HttpChannelInitializer;
import io.eddy.server.http.Router;
import io.eddy.stream.EventStreams;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eddy's HTTP front end: Fauna's FQL v10 HTTP API on one cleartext port, so Fauna's official
 * drivers work against it unmodified.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * EventStreams streams = new EventStreams(store, engine, StreamConfig.defaults(), clock, StreamHttpResponse.encoder(),
 *         WriteRoundBatching.INSTANCE);
 * try (EddyHttpServer server = new EddyHttpServer(ServerConfig.defaults("secret").withPort(8443), engine, streams)) {
 *     int port = server.start();
 *     ...
 * } // close(): stop accepting, end event streams, let requests in flight finish, stop the event loops
 * streams.close();
 * }</pre>
 *
 * <h2>Design</h2>
 * <pre>
 *            TCP connection (event loop)                                  virtual threads
 *  bytes ─► HTTP/1.1: HTTP objects ─► BoundedAggregator ─► RequestDispatcher ┐  ┌─────────────────┐
 *        ─► HTTP/2 (prior knowledge or h2c): Http2RequestHandler, frames      ├─►│ Endpoint.serve   │
 *           gathered per stream (Http2StreamWire) ────────────────────────────┘  │ parse, QueryService,
 *           both: ExchangeRunner (413 if too large, route, auth)                 │ render JSON      │
 *        ◄──────────────────────────── write on event loop (ExchangeWire) ◄──────└─────────────────┘
 *                                                                         └──────────────────────┘
 *  /stream/1: serve() opens and subscribes (EventStreams), sends the head, returns; then
 *        ◄── one event per write+flush, drained on the event loop while writable ◄── Subscription
 *                                                           (bounded queue, fed by the stream engine)
 * </pre>
 * <ul>
 *   <li><b>Protocols</b> ({@link HttpChannelInitializer}): HTTP/1.1, HTTP/2 with prior knowledge (the
 *       JS driver on Node) and the {@code Upgrade: h2c} switch (the JDK {@code HttpClient}, so the JVM
 *       driver) share the port. HTTP/2 is served at the frame level, without a channel per stream;
 *       requests of all three reach the same runner and endpoints as Netty HTTP requests.</li>
 *   <li><b>Routing</b> ({@link Router}): exact paths after collapsing {@code //}; unknown paths 404
 *       {@code not_found}, known paths with another method 405 {@code method_not_allowed}. Each route
 *       is an {@link Endpoint}; the query endpoint is a trio of endpoint, request parser and response
 *       renderer; {@code /stream/1} and {@code /feed/1} are two more trios over the stream engine
 *       ({@link EventStreams}), joined through {@link #EddyHttpServer(ServerConfig, QueryService,
 *       EventStreams)}.</li>
 *   <li><b>Authentication</b> ({@link Authenticator}): every endpoint but {@code /ping} requires the
 *       root secret or a key's secret as a bearer token, checked on the event loop before any work is
 *       scheduled.</li>
 *   <li><b>Threading</b>: event loops only decode, route, authenticate and write. Endpoints (body
 *       parsing, the blocking {@link QueryService#execute}, response rendering) run on a
 *       virtual-thread-per-task executor; their response is written back on the connection's event
 *       loop.</li>
 *   <li><b>Event streams</b>: a stream's virtual thread returns once the stream has started; its
 *       events are then written on the event loop, each in its own write and flush (the JVM driver
 *       reads one event per delivered buffer), and only while the channel is writable, so a slow
 *       client backs up into the subscription's bounded queue (whose overflow ends the stream with
 *       {@code stream_overflow}) and never into unbounded Netty buffers.</li>
 *   <li><b>Errors</b>: every failure is a JSON body {@code {"error":{"code","message"}}} with a stable
 *       code and status ({@code io.eddy.server.http.ErrorCode}); an unexpected exception is logged
 *       with its stack trace and answered 500 {@code internal_error}; the server keeps serving.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>No JSON field outside the lists the JVM driver accepts; no raw numbers in tagged
 *       {@code data}; {@code stats} always an object; bodies never compressed.</li>
 *   <li>HTTP/1.1 responses leave in request order, one exchange at a time per connection.</li>
 *   <li>Every buffer is released exactly once (the tests run with paranoid leak detection).</li>
 *   <li>{@link #start} at most once; {@link #close} idempotent and bounded by the grace period plus a
 *       few seconds.</li>
 * </ul>
 */
public final class EddyHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EddyHttpServer.class);
    private static final Duration EVENT_LOOP_SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);
    /**
     * When a connection stops taking writes (its outbound buffer is above the high mark) and resumes.
     * Netty's default (32/64 KiB) is less than one commit's events for the 256 streams an HTTP/2
     * connection may carry (~115 KB), so writability flipped on every write round, and each flip makes
     * the HTTP/2 flow controller visit every stream of the connection. 1 MiB bounds what a connection
     * that stops reading can hold in the server.
     */
    static final WriteBufferWaterMark WRITE_BUFFER_WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);

    private final ServerConfig config;
    private final Router router;
    private final Authenticator authenticator;
    private final ExecutorService executor;
    private final ChannelGroup connections = new DefaultChannelGroup("eddy-connections", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup group;
    private Channel serverChannel;
    private boolean started;
    private boolean closed;

    /** A server with the standard endpoints ({@link #defaultEndpoints}) over {@code queryService}. */
    public EddyHttpServer(ServerConfig config, QueryService queryService) {
        this(config, defaultEndpoints(queryService), queryService.keys());
    }

    /**
     * A server with every endpoint: {@code /ping}, {@code /query/1}, {@code /stream/1} and
     * {@code /feed/1}. {@code streams} must be built with {@code StreamHttpResponse.encoder()}; the
     * caller closes it after this server.
     */
    public EddyHttpServer(ServerConfig config, QueryService queryService, EventStreams streams) {
        this(config, defaultEndpoints(queryService, streams), queryService.keys());
    }

    /** A server with exactly these endpoints, accepting only the root secret. */
    public EddyHttpServer(ServerConfig config, List<? extends Endpoint> endpoints) {
        this(config, endpoints, KeyAuthority.NONE);
    }

    /** A server with exactly these endpoints, accepting the root secret and the secrets of {@code keys}. */
    public EddyHttpServer(ServerConfig config, List<? extends Endpoint> endpoints, KeyAuthority keys) {
        this.config = Objects.requireNonNull(config, "config");
        this.router = new Router(List.copyOf(endpoints));
        this.authenticator = new Authenticator(config.rootSecret(), keys);
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("eddy-request-", 0).factory());
    }

    /** {@code GET /ping} and {@code POST /query/1}. */
    public static List<Endpoint> defaultEndpoints(QueryService queryService) {
        return List.of(new PingEndpoint(), new QueryEndpoint(queryService));
    }

    /** {@code GET /ping}, {@code POST /query/1}, {@code POST /stream/1} and {@code POST /feed/1}. */
    public static List<Endpoint> defaultEndpoints(QueryService queryService, EventStreams streams) {
        return List.of(new PingEndpoint(), new QueryEndpoint(queryService), new StreamEndpoint(streams),
                new FeedEndpoint(streams));
    }

    /**
     * Binds and starts serving.
     *
     * @return the bound port (a free one when the configured port is 0)
     * @throws IOException if the address cannot be bound; the server is then closed
     * @throws IllegalStateException if already started or closed
     */
    public synchronized int start() throws IOException {
        if (started || closed) {
            throw new IllegalStateException(closed ? "server is closed" : "server already started");
        }
        started = true;
        boolean epoll = config.nativeTransport() && Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        int loops = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        group = new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory("eddy-io"), io);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER_WATER_MARK)
                .childHandler(new HttpChannelInitializer(config, router, authenticator, executor, connections));
        ChannelFuture bind = bootstrap.bind(config.host(), config.port()).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            close();
            throw new IOException("cannot listen on " + config.host() + ":" + config.port(), bind.cause());
        }
        serverChannel = bind.channel();
        int port = port();
        log.info("Eddy listening on {}:{} (HTTP/1.1, h2c, HTTP/2; {} transport)", config.host(), port, epoll ? "epoll" : "nio");
        return port;
    }

    /** The bound port; only after {@link #start}. */
    public synchronized int port() {
        return address().getPort();
    }

    /** The bound address; only after {@link #start}. */
    public synchronized InetSocketAddress address() {
        if (serverChannel == null) {
            throw new IllegalStateException("server not started");
        }
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Stops gracefully: stops accepting; ends open event streams (a clean end for clients that keep
     * up, a reset for those that do not; their subscriptions close with them); asks every
     * connection to drain (HTTP/2 GOAWAY, HTTP/1.1 close after the response in flight); waits up to
     * the grace period for them to close; then closes what is left, stops the event loops and
     * interrupts endpoints still running. Idempotent. Close the stream engine after this.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + config.shutdownGracePeriod().toNanos();
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        for (Channel c : connections) {
            c.eventLoop().execute(() -> HttpChannelInitializer.drain(c));
        }
        long remaining = deadline - System.nanoTime();
        if (remaining > 0 && !connections.newCloseFuture().awaitUninterruptibly(remaining, TimeUnit.NANOSECONDS)) {
            log.warn("{} connection(s) still busy after the {} grace period; closing them", connections.size(),
                    config.shutdownGracePeriod());
        }
        connections.close().awaitUninterruptibly();
        if (group != null) {
            group.shutdownGracefully(0, EVENT_LOOP_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(EVENT_LOOP_SHUTDOWN_TIMEOUT.toMillis() * 2);
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(EVENT_LOOP_SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Some requests were still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Eddy server stopped");
    }
}
