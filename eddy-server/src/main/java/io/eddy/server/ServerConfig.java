package io.eddy.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@link EddyHttpServer} needs to know, validated once here so the rest of the server can
 * trust it.
 *
 * @param host the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port the TCP port, {@code 0} for any free port ({@link EddyHttpServer#start} returns it)
 * @param rootSecret the secret clients present as {@code Authorization: Bearer <secret>}; non-blank,
 *     without whitespace or {@code ':'} (which separates the scoped forms {@code secret:role})
 * @param maxRequestBytes the largest request body accepted; larger ones get 413
 *     {@code request_size_exceeded}
 * @param maxInitialLineLength the longest HTTP/1.1 request line
 * @param maxHeaderBytes the largest header block (HTTP/1.1 header size, HTTP/2 header list size)
 * @param maxConcurrentStreams HTTP/2 streams a client may have open on one connection
 * @param idleTimeout closes connections with no traffic and nothing in flight for this long;
 *     {@link Duration#ZERO} keeps them open
 * @param shutdownGracePeriod how long {@link EddyHttpServer#close} lets requests in flight finish
 * @param ioThreads event-loop threads, {@code 0} for one per core (Netty's default is two per core; the
 *     loops only move frames, queries run on virtual threads, and fewer loops are woken less often)
 * @param nativeTransport use epoll when the native library loads (NIO otherwise)
 */
public record ServerConfig(String host, int port, String rootSecret, int maxRequestBytes, int maxInitialLineLength,
                           int maxHeaderBytes, int maxConcurrentStreams, Duration idleTimeout,
                           Duration shutdownGracePeriod, int ioThreads, boolean nativeTransport) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Fauna's local port; both drivers' "local" presets use it. */
    public static final int DEFAULT_PORT = 8443;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
    public static final int MIN_MAX_REQUEST_BYTES = 1024;
    public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 8 * 1024;
    /** Room for {@code X-Query-Tags} (up to 3000 bytes) next to the usual headers. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 256;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(10);
    public static final Duration MAX_SHUTDOWN_GRACE_PERIOD = Duration.ofMinutes(10);

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(rootSecret, "rootSecret");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(shutdownGracePeriod, "shutdownGracePeriod");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (rootSecret.isBlank() || rootSecret.chars().anyMatch(c -> c == ':' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("rootSecret must be non-blank, without whitespace or ':'");
        }
        if (maxRequestBytes < MIN_MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("maxRequestBytes must be >= " + MIN_MAX_REQUEST_BYTES + ", got " + maxRequestBytes);
        }
        if (maxInitialLineLength < 256 || maxInitialLineLength > 1024 * 1024) {
            throw new IllegalArgumentException("maxInitialLineLength must be in 256..1048576, got " + maxInitialLineLength);
        }
        if (maxHeaderBytes < 4096 || maxHeaderBytes > 1024 * 1024) {
            throw new IllegalArgumentException("maxHeaderBytes must be in 4096..1048576, got " + maxHeaderBytes);
        }
        if (maxConcurrentStreams < 1 || maxConcurrentStreams > 100_000) {
            throw new IllegalArgumentException("maxConcurrentStreams must be in 1..100000, got " + maxConcurrentStreams);
        }
        if (idleTimeout.isNegative() || (!idleTimeout.isZero() && idleTimeout.compareTo(Duration.ofSeconds(1)) < 0)) {
            throw new IllegalArgumentException("idleTimeout must be zero (off) or at least 1s, got " + idleTimeout);
        }
        if (shutdownGracePeriod.isNegative() || shutdownGracePeriod.compareTo(MAX_SHUTDOWN_GRACE_PERIOD) > 0) {
            throw new IllegalArgumentException("shutdownGracePeriod must be in 0..10min, got " + shutdownGracePeriod);
        }
        if (ioThreads < 0 || ioThreads > 1024) {
            throw new IllegalArgumentException("ioThreads must be in 0..1024, got " + ioThreads);
        }
    }

    /** The defaults: {@value #DEFAULT_HOST}:{@value #DEFAULT_PORT}, 16 MiB bodies, epoll if available. */
    public static ServerConfig defaults(String rootSecret) {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, rootSecret, DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_MAX_INITIAL_LINE_LENGTH, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_CONCURRENT_STREAMS,
                DEFAULT_IDLE_TIMEOUT, DEFAULT_SHUTDOWN_GRACE_PERIOD, 0, true);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, rootSecret, maxRequestBytes, maxInitialLineLength, maxHeaderBytes,
                maxConcurrentStreams, idleTimeout, shutdownGracePeriod, ioThreads, nativeTransport);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, rootSecret, maxRequestBytes, maxInitialLineLength, maxHeaderBytes,
                maxConcurrentStreams, idleTimeout, shutdownGracePeriod, ioThreads, nativeTransport);
    }

    public ServerConfig withMaxRequestBytes(int maxRequestBytes) {
        return new ServerConfig(host, port, rootSecret, maxRequestBytes, maxInitialLineLength, maxHeaderBytes,
                maxConcurrentStreams, idleTimeout, shutdownGracePeriod, ioThreads, nativeTransport);
    }

    public ServerConfig withIdleTimeout(Duration idleTimeout) {
        return new ServerConfig(host, port, rootSecret, maxRequestBytes, maxInitialLineLength, maxHeaderBytes,
                maxConcurrentStreams, idleTimeout, shutdownGracePeriod, ioThreads, nativeTransport);
    }

    public ServerConfig withShutdownGracePeriod(Duration shutdownGracePeriod) {
        return new ServerConfig(host, port, rootSecret, maxRequestBytes, maxInitialLineLength, maxHeaderBytes,
                maxConcurrentStreams, idleTimeout, shutdownGracePeriod, ioThreads, nativeTransport);
    }

    public ServerConfig withMaxConcurrentStreams(int maxConcurrentStreams) {
        return new ServerConfig(host, port, rootSecret, maxRequestBytes, maxInitialLineLength, maxHeaderBytes,
                maxConcurrentStreams, idleTimeout, shutdownGracePeriod, ioThreads, nativeTransport);
    }

    public ServerConfig withIoThreads(int ioThreads) {
        return new ServerConfig(host, port, rootSecret, maxRequestBytes, maxInitialLineLength, maxHeaderBytes,
                maxConcurrentStreams, idleTimeout, shutdownGracePeriod, ioThreads, nativeTransport);
    }

    public ServerConfig withNativeTransport(boolean nativeTransport) {
        return new ServerConfig(host, port, rootSecret, maxRequestBytes, maxInitialLineLength, maxHeaderBytes,
                maxConcurrentStreams, idleTimeout, shutdownGracePeriod, ioThreads, nativeTransport);
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", rootSecret=***, maxRequestBytes=" + maxRequestBytes
                + ", maxInitialLineLength=" + maxInitialLineLength + ", maxHeaderBytes=" + maxHeaderBytes
                + ", maxConcurrentStreams=" + maxConcurrentStreams + ", idleTimeout=" + idleTimeout
                + ", shutdownGracePeriod=" + shutdownGracePeriod + ", ioThreads=" + ioThreads
                + ", nativeTransport=" + nativeTransport + "]";
    }
}
