package io.eddy.server.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one request, whatever carries it ({@link ExchangeWire}): routes, authenticates, runs the
 * endpoint on a virtual thread and makes sure the exchange is answered exactly once. Shared by the
 * HTTP/1.1 {@link RequestDispatcher} and the HTTP/2 {@link Http2RequestHandler}; stateless, so one
 * per server.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The event loop never blocks: routing, authentication and error rendering are cheap; body
 *       parsing, query execution and response rendering all run on the virtual thread.</li>
 *   <li>Every request is released exactly once: by {@link Exchange#releaseRequest} after the
 *       endpoint returns, or at once when refused before it.</li>
 *   <li>An endpoint that returns (or throws) without answering gets an error response; one that
 *       fails after starting a stream has that stream cut off, never made to look complete.</li>
 * </ul>
 */
final class ExchangeRunner {
    private static final Logger log = LoggerFactory.getLogger(ExchangeRunner.class);

    private final Router router;
    private final Authenticator authenticator;
    private final Executor executor;
    private final int maxRequestBytes;

    ExchangeRunner(Router router, Authenticator authenticator, Executor executor, int maxRequestBytes) {
        this.router = router;
        this.authenticator = authenticator;
        this.executor = executor;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * On the event loop: starts an exchange for {@code req} (taking ownership of it). {@code created}
     * sees the exchange before anything can answer it (an answer may come before this returns).
     */
    void start(ExchangeWire wire, FullHttpRequest req, Consumer<Exchange> created) {
        wire.connection().exchangeStarted();
        Router.Route route = router.route(req.method(), Router.normalizePath(req.uri()));
        // The endpoint's own path string: a stream's exchange lives for hours, its copy need not.
        String path = route instanceof Router.Route.Found f ? f.endpoint().path() : Router.normalizePath(req.uri());
        Exchange ex = new Exchange(wire, req.method(), path, req.headers(), req.protocolVersion(),
                HttpUtil.isKeepAlive(req), req);
        created.accept(ex);
        if (!req.decoderResult().isSuccess()) {
            // The HTTP decoder discards everything after a bad message: this connection is done.
            ex.closeConnectionAfterResponse();
            reject(ex, null, ProtocolException.malformed(describe(req.decoderResult().cause())));
            return;
        }
        switch (route) {
            case Router.Route.NotFound nf -> reject(ex, null, ProtocolException.notFound(path));
            case Router.Route.WrongMethod wm -> {
                FullHttpResponse r = errorResponse(null, ex,
                        ProtocolException.methodNotAllowed(req.method().name(), path));
                r.headers().set(HttpHeaderNames.ALLOW,
                        wm.allowed().stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
                ex.releaseRequest();
                ex.respond(r);
            }
            case Router.Route.Found found -> {
                Endpoint endpoint = found.endpoint();
                if (endpoint.requiresAuth()) {
                    try {
                        ex.principal(authenticator.authenticate(req.headers()));
                    } catch (ProtocolException e) {
                        reject(ex, endpoint, e);
                        return;
                    }
                }
                submit(endpoint, ex);
            }
        }
    }

    /** On the event loop: answers a request whose body was over the limit with 413. */
    void startOversized(ExchangeWire wire, OversizedRequest o, Consumer<Exchange> created) {
        wire.connection().exchangeStarted();
        String path = Router.normalizePath(o.uri());
        Exchange ex = new Exchange(wire, o.method(), path, o.headers(), o.version(), o.keepAlive(), null);
        created.accept(ex);
        if (o.closeConnection()) {
            ex.closeConnectionAfterResponse();
        }
        reject(ex, router.anyAt(path), ProtocolException.tooLarge(maxRequestBytes));
    }

    private void submit(Endpoint endpoint, Exchange ex) {
        if (serveInline(endpoint, ex)) {
            return;
        }
        try {
            executor.execute(() -> serve(endpoint, ex));
        } catch (RejectedExecutionException e) {
            ex.closeConnectionAfterResponse();
            reject(ex, endpoint, ProtocolException.unavailable());
        }
    }

    /** On the event loop: lets the endpoint answer at once ({@link Endpoint#serveInline}); true if it did. */
    private boolean serveInline(Endpoint endpoint, Exchange ex) {
        try {
            boolean served = endpoint.serveInline(ex);
            if (served != ex.hasResponded()) {
                throw new IllegalStateException("endpoint " + endpoint.method() + " " + endpoint.path()
                        + (served ? " served inline without answering" : " answered inline but asked to be served"));
            }
            if (!served) {
                return false;
            }
        } catch (ProtocolException e) {
            answerWithError(endpoint, ex, e);
        } catch (Throwable t) {
            log.error("Unexpected error serving {} {} inline", ex.method(), ex.path(), t);
            answerWithError(endpoint, ex, ProtocolException.internal());
        }
        ex.releaseRequest();
        return true;
    }

    /** On a virtual thread: runs the endpoint and makes sure the exchange is answered. */
    private void serve(Endpoint endpoint, Exchange ex) {
        try {
            endpoint.serve(ex);
            if (!ex.hasResponded()) {
                throw new IllegalStateException("endpoint " + endpoint.method() + " " + endpoint.path()
                        + " returned without answering");
            }
        } catch (ProtocolException e) {
            answerWithError(endpoint, ex, e);
        } catch (Throwable t) {
            log.error("Unexpected error serving {} {}", ex.method(), ex.path(), t);
            answerWithError(endpoint, ex, ProtocolException.internal());
        } finally {
            ex.releaseRequest();
        }
    }

    private void answerWithError(Endpoint endpoint, Exchange ex, ProtocolException e) {
        if (ex.hasResponded()) {
            // Too late for an error response: the endpoint answered, then failed. A complete response
            // stands; a stream cut short must not look complete, so its connection (or HTTP/2 stream)
            // is closed.
            log.debug("Error after answering {} {}: {}", ex.method(), ex.path(), e.getMessage());
            if (ex.isStreaming()) {
                ex.onEventLoop(ex.wire()::abort, null);
            }
            return;
        }
        ex.respond(errorResponse(endpoint, ex, e));
    }

    /** Answers at once with an error, before or instead of any endpoint. */
    private void reject(Exchange ex, Endpoint endpoint, ProtocolException e) {
        FullHttpResponse r = errorResponse(endpoint, ex, e);
        ex.releaseRequest();
        ex.respond(r);
    }

    private FullHttpResponse errorResponse(Endpoint endpoint, Exchange ex, ProtocolException e) {
        if (endpoint != null) {
            try {
                return endpoint.errorResponse(ex.alloc(), ex.headers(), e);
            } catch (RuntimeException bug) {
                log.error("Endpoint {} failed to render an error response", endpoint.path(), bug);
            }
        }
        return JsonResponses.error(ex.alloc(), e);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unreadable request";
        }
        String m = cause.getMessage();
        return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
    }
}
