package io.eddy.server.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one TCP connection that outlives a single request: how many exchanges are in flight
 * on it (one at a time for HTTP/1.1, one per open stream for HTTP/2), which of them are event streams
 * still being written, and whether the server asked it to drain. Kept as an attribute of the
 * connection's channel.
 *
 * <p>Confined to the connection's event loop, so it needs no synchronisation, except for
 * {@link #writeRounds()}, which writers reach from any thread.
 */
final class Connection {
    private static final AttributeKey<Connection> KEY = AttributeKey.valueOf(Connection.class, "connection");

    private final Channel channel;
    /** Created with the connection's first event stream; reached from the engine's threads too. */
    private volatile WriteRounds writeRounds;
    private int activeExchanges;
    private long lastExchangeFinishedNanos = System.nanoTime();
    private boolean draining;
    /** The event streams being written, as a list through the writers themselves (no entry objects). */
    private HttpStreamingResponseWriter firstOpenStream;

    /** The state of the connection {@code channel}. */
    static Connection of(Channel channel) {
        Channel root = channel;
        Connection c = root.attr(KEY).get();
        if (c == null) {
            c = new Connection(root);
            Connection prev = root.attr(KEY).setIfAbsent(c);
            if (prev != null) {
                c = prev;
            }
        }
        return c;
    }

    private Connection(Channel channel) {
        this.channel = channel;
    }

    /** The write rounds that the connection's event streams share (thread-safe). */
    WriteRounds writeRounds() {
        WriteRounds r = writeRounds;
        if (r == null) {
            synchronized (this) {
                r = writeRounds;
                if (r == null) {
                    writeRounds = r = new WriteRounds(channel);
                }
            }
        }
        return r;
    }

    void exchangeStarted() {
        activeExchanges++;
    }

    void exchangeFinished() {
        activeExchanges--;
        lastExchangeFinishedNanos = System.nanoTime();
    }

    /** When the last exchange finished ({@link System#nanoTime}), or when the connection opened. */
    long lastExchangeFinishedNanos() {
        return lastExchangeFinishedNanos;
    }

    int activeExchanges() {
        return activeExchanges;
    }

    boolean draining() {
        return draining;
    }

    void streamStarted(HttpStreamingResponseWriter stream) {
        if (stream.previousOpen != null || firstOpenStream == stream) {
            return; // already listed
        }
        stream.nextOpen = firstOpenStream;
        if (firstOpenStream != null) {
            firstOpenStream.previousOpen = stream;
        }
        firstOpenStream = stream;
    }

    void streamEnded(HttpStreamingResponseWriter stream) {
        if (stream.previousOpen == null && firstOpenStream != stream) {
            return; // not listed
        }
        if (stream.previousOpen != null) {
            stream.previousOpen.nextOpen = stream.nextOpen;
        } else {
            firstOpenStream = stream.nextOpen;
        }
        if (stream.nextOpen != null) {
            stream.nextOpen.previousOpen = stream.previousOpen;
        }
        stream.previousOpen = null;
        stream.nextOpen = null;
    }

    private List<HttpStreamingResponseWriter> openStreams() {
        List<HttpStreamingResponseWriter> all = new ArrayList<>();
        for (HttpStreamingResponseWriter s = firstOpenStream; s != null; s = s.nextOpen) {
            all.add(s);
        }
        return all;
    }

    /**
     * Starts closing the connection without cutting off requests in flight. HTTP/2: a channel close,
     * which Netty's {@code Http2ConnectionHandler} turns into GOAWAY and waits (up to its graceful
     * shutdown timeout) for open streams. HTTP/1.1: close now if idle, otherwise the dispatcher closes
     * after the current response, which it sends with {@code Connection: close}.
     *
     * <p>Event streams never finish on their own, so they are ended first (see
     * {@link HttpStreamingResponseWriter#endForShutdown}); otherwise every connection carrying one
     * would hold the shutdown for the whole grace period.
     */
    static void drain(Channel connection) {
        Connection c = of(connection);
        c.draining = true;
        for (HttpStreamingResponseWriter stream : c.openStreams()) {
            stream.endForShutdown();
        }
        if (connection.pipeline().get(Http2RequestHandler.class) != null || c.activeExchanges == 0) {
            connection.close();
        }
    }
}
