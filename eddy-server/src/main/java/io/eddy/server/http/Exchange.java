package io.eddy.server.http;

import io.eddy.fql.api.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import io.netty.util.concurrent.EventExecutor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its answer, as an {@link Endpoint} sees them.
 *
 * <p>An exchange is answered exactly once: with a complete response ({@link #respond}), with one
 * promised for later ({@link #respondLater}: a write query's commit), or by starting a streamed one
 * ({@link #startStreaming}). All may be called from any thread; the write itself always happens on
 * the connection's event loop, which is the only thread that touches the channel pipeline.
 *
 * <p>The request and its body buffer belong to the dispatcher and are released when
 * {@link Endpoint#serve} returns (or at once, for requests refused before reaching an endpoint).
 */
public final class Exchange {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    private enum State { OPEN, PROMISED, RESPONDED, STREAMING }

    private final ExchangeWire wire;
    private final HttpMethod method;
    private final String path;
    /** Dropped once a stream starts: a stream can live for hours and its request headers are not needed. */
    private volatile HttpHeaders headers;
    private final HttpVersion version;
    private final boolean keepAlive;
    // A stream's exchange lives as long as the stream: plain fields with VarHandles, not atomics.
    private static final VarHandle STATE;
    private static final VarHandle REQUEST;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Exchange.class, "state", State.class);
            REQUEST = lookup.findVarHandle(Exchange.class, "request", FullHttpRequest.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile State state = State.OPEN;
    private volatile FullHttpRequest request;
    private volatile Principal principal;
    private volatile boolean closeAfterResponse;
    private volatile HttpStreamingResponseWriter streamWriter;

    Exchange(ExchangeWire wire, HttpMethod method, String path,
             HttpHeaders headers, HttpVersion version, boolean keepAlive, FullHttpRequest request) {
        this.wire = wire;
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.version = version;
        this.keepAlive = keepAlive;
        this.request = request;
    }

    /** The full request; valid only during {@link Endpoint#serve}. */
    public FullHttpRequest request() {
        FullHttpRequest r = request;
        if (r == null) {
            throw new IllegalStateException("the request has been released");
        }
        return r;
    }

    /** The request body; valid only during {@link Endpoint#serve}. */
    public ByteBuf body() {
        return request().content();
    }

    /** Request headers; names match case-insensitively. Empty once a streaming response has started. */
    public HttpHeaders headers() {
        return headers;
    }

    public HttpMethod method() {
        return method;
    }

    /** The normalised path ({@link Router#normalizePath}). */
    public String path() {
        return path;
    }

    /** Who the request authenticated as, or null on open endpoints. */
    public Principal principal() {
        return principal;
    }

    public ByteBufAllocator alloc() {
        return wire.alloc();
    }

    /** Whether this exchange is one HTTP/2 stream (prior knowledge or upgraded), else HTTP/1.x. */
    public boolean isHttp2() {
        return wire.isHttp2();
    }

    /** The connection's event loop: short work that must not block may run there. */
    public Executor eventLoop() {
        return wire.executor();
    }

    /** Whether {@link #respond}, {@link #respondLater} or {@link #startStreaming} has been called. */
    public boolean hasResponded() {
        return state != State.OPEN;
    }

    /**
     * Sends a complete response. Takes ownership of {@code response}.
     *
     * @throws IllegalStateException if the exchange was already answered (the response is released)
     */
    public void respond(FullHttpResponse response) {
        Objects.requireNonNull(response, "response");
        if (!STATE.compareAndSet(this, State.OPEN, State.RESPONDED)) {
            response.release();
            throw new IllegalStateException("exchange already answered");
        }
        onEventLoop(() -> wire.writeResponse(this, response), response);
    }

    /**
     * Answers with the response {@code response} completes with, whenever that is, on whatever thread
     * completes it; the endpoint may return at once. A stage that fails (a bug) is logged and answered
     * with {@code onFailure}'s response.
     *
     * @throws IllegalStateException if the exchange was already answered
     */
    public void respondLater(CompletionStage<FullHttpResponse> response, Supplier<FullHttpResponse> onFailure) {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(onFailure, "onFailure");
        if (!STATE.compareAndSet(this, State.OPEN, State.PROMISED)) {
            throw new IllegalStateException("exchange already answered");
        }
        response.whenComplete((r, failure) -> {
            FullHttpResponse answer = r;
            if (failure != null || r == null) {
                log.error("Unexpected error answering {} {}", method, path, failure);
                answer = onFailure.get();
            }
            STATE.setVolatile(this, State.RESPONDED);
            FullHttpResponse written = answer;
            onEventLoop(() -> wire.writeResponse(this, written), written);
        });
    }

    /**
     * Sends the response head now and returns the writer for the body's events: an event stream,
     * which never ends on its own, so a server shutdown ends it (see {@link StreamingResponseWriter}).
     * The head should carry the status and content type; {@code Transfer-Encoding: chunked} is added
     * for HTTP/1.1.
     *
     * @throws IllegalStateException if the exchange was already answered
     */
    public StreamingResponseWriter startStreaming(HttpResponse head) {
        return start(head, true);
    }

    /**
     * Sends the response head now and returns a writer for a body of known end sent in pieces as they
     * are ready (a large feed page): like {@link #startStreaming}, except that a server shutdown waits
     * for it (within its grace period) rather than ending it, since a body cut short is not a response.
     *
     * @throws IllegalStateException if the exchange was already answered
     */
    public StreamingResponseWriter startBody(HttpResponse head) {
        return start(head, false);
    }

    private StreamingResponseWriter start(HttpResponse head, boolean endless) {
        Objects.requireNonNull(head, "head");
        if (!STATE.compareAndSet(this, State.OPEN, State.STREAMING)) {
            throw new IllegalStateException("exchange already answered");
        }
        HttpStreamingResponseWriter writer = new HttpStreamingResponseWriter(this, wire, endless);
        streamWriter = writer;
        headers = EmptyHttpHeaders.INSTANCE;
        onEventLoop(() -> writer.start(head), null);
        return writer;
    }

    // ---- dispatcher side ----

    /** Whether the answer is a stream still being written (started, perhaps not finished). */
    boolean isStreaming() {
        return state == State.STREAMING;
    }

    HttpVersion version() {
        return version;
    }

    boolean keepAlive() {
        return keepAlive;
    }

    boolean closeAfterResponse() {
        return closeAfterResponse;
    }

    void closeConnectionAfterResponse() {
        closeAfterResponse = true;
    }

    void principal(Principal principal) {
        this.principal = principal;
    }

    ExchangeWire wire() {
        return wire;
    }

    /** On the event loop: the channel's writability changed; a stream being written may resume. */
    void writabilityChanged() {
        HttpStreamingResponseWriter w = streamWriter;
        if (w != null) {
            w.writabilityChanged();
        }
    }

    /**
     * Releases the request (and its body buffer) early, once the endpoint has read what it needs;
     * {@link #headers()} stay readable. Later calls, and the dispatcher's own, do nothing.
     */
    public void releaseRequest() {
        FullHttpRequest r = (FullHttpRequest) REQUEST.getAndSet(this, (FullHttpRequest) null);
        if (r != null) {
            ReferenceCountUtil.release(r);
        }
    }

    /** Runs {@code task} on the connection's event loop; if that loop is gone, releases {@code orphan}. */
    void onEventLoop(Runnable task, ReferenceCounted orphan) {
        EventExecutor loop = wire.executor();
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The event loop shut down: the connection is gone with it, nothing to answer.
            ReferenceCountUtil.release(orphan);
        }
    }
}
