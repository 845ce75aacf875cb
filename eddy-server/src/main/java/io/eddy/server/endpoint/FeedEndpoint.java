package io.eddy.server.endpoint;

import io.eddy.server.http.Endpoint;
import io.eddy.server.http.ErrorCode;
import io.eddy.server.http.Exchange;
import io.eddy.server.http.ProtocolException;
import io.eddy.stream.EventStreams;
import io.eddy.stream.event.Event;
import io.eddy.stream.feed.FeedPage;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /feed/1}: one page of an event feed (core: {@code FeedEndpoint}).
 *
 * <p>Parse and validate ({@link FeedHttpRequest}), resolve token and start position, then read up to
 * {@code page_size} events from the change log ({@link EventStreams#feed}) within 95% of the
 * request's {@code X-Query-Timeout-Ms} (core leaves the rest for rendering), and answer with
 * {@link FeedHttpResponse}. All of it runs on the request's virtual thread: reading history touches
 * RocksDB. Drivers page by sending the returned {@code cursor} back while {@code has_next} is true.
 */
public final class FeedEndpoint implements Endpoint {
    public static final String PATH = "/feed/1";
    /** The share of the request's timeout spent polling (core: {@code timeLeft * .95}). */
    static final double POLL_SHARE = 0.95;
    /**
     * Events per chunk of a page handed to the renderers while the page is read: large enough that a
     * chunk is worth a task (~2 ms of rendering), small enough that rendering starts early.
     */
    static final int CHUNK_EVENTS = 1_000;
    /**
     * The first chunk of a page sent while it is read: smaller, and rendered by the reading thread
     * itself, so that the page's first bytes leave after a quarter of the reading (the renderers, the
     * event loop and the client, idle between pages, start sooner).
     */
    static final int FIRST_CHUNK_EVENTS = 250;

    private final EventStreams streams;
    private final Executor pageRenderers;
    private final int renderParallelism;

    /** Renders large pages on the common fork-join pool while they are read (with more than one core). */
    public FeedEndpoint(EventStreams streams) {
        this(streams, ForkJoinPool.commonPool(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param pageRenderers renders chunks of large pages (CPU-bound work, never blocking)
     * @param renderParallelism the cores there are to render on (1: render on the request thread only)
     */
    public FeedEndpoint(EventStreams streams, Executor pageRenderers, int renderParallelism) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.pageRenderers = Objects.requireNonNull(pageRenderers, "pageRenderers");
        if (renderParallelism < 1) {
            throw new IllegalArgumentException("renderParallelism must be at least 1");
        }
        this.renderParallelism = renderParallelism;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public void serve(Exchange exchange) throws Exception {
        long started = System.nanoTime();
        FeedHttpRequest request = FeedHttpRequest.parse(exchange.headers(), exchange.body());
        exchange.releaseRequest();
        EventStreams.Opened opened = request.open(streams);
        long deadline = started + (long) (request.timeout().toNanos() * POLL_SHARE);
        FeedPageRenderer renderer = new FeedPageRenderer(exchange.alloc(), pageRenderers);
        if (renderParallelism > 1 && request.pageSize() > CHUNK_EVENTS) {
            serveInPieces(exchange, opened, (int) request.pageSize(), deadline, request.timeout(), started, renderer);
            return;
        }
        FullHttpResponse response;
        try {
            // Large pages: their first chunks are rendered while the rest is read.
            FeedPage page = renderParallelism > 1
                    ? streams.feed(opened, (int) request.pageSize(), deadline, CHUNK_EVENTS, renderer::submit)
                    : streams.feed(opened, (int) request.pageSize(), deadline);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            response = renderer.finish(page, elapsedMs);
        } catch (RuntimeException | IOException | Error e) {
            renderer.abandon();
            throw e;
        }
        exchange.respond(response);
    }

    /**
     * A page of more than one chunk, sent as it is rendered: the head and the first events leave once
     * the first slice is rendered, while the rest is still being read, so the client reads the page
     * while the server works on it (and neither holds a whole page of several MiB). The body is the
     * same bytes as {@link FeedHttpResponse#assemble} writes. A page of one chunk or less is answered
     * whole. A client that leaves the page unread for the request's timeout ({@code X-Query-Timeout-Ms})
     * in one stretch has it cut off: the read waits inside its transaction, whose snapshot must not be
     * held for ever. A failure once the head is sent cannot become
     * an error response: the response is cut off (the connection or HTTP/2 stream closed), so the
     * client sees it incomplete and reads the page again from its cursor.
     */
    private void serveInPieces(Exchange exchange, EventStreams.Opened opened, int pageSize, long deadline,
                               Duration timeout, long started, FeedPageRenderer renderer) throws Exception {
        PageBody body = new PageBody(exchange, timeout);
        try {
            FeedPage page = streams.feed(opened, pageSize, deadline, FIRST_CHUNK_EVENTS, CHUNK_EVENTS, chunk -> {
                if (!body.started() && chunk.size() == FIRST_CHUNK_EVENTS) {
                    renderer.renderNow(chunk); // a full first chunk: the page goes on, and its bytes leave now
                } else {
                    renderer.submit(chunk); // (a short first chunk may be the whole page, answered whole)
                }
                try {
                    renderer.takeRendered(body::send);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (!body.started() && page.events().size() <= CHUNK_EVENTS) {
                exchange.respond(renderer.finish(page, elapsedMs));
                return;
            }
            List<Event> events = renderer.finishInto(page, body::send);
            elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            body.end(FeedHttpResponse.end(exchange.alloc(), page, events, elapsedMs));
        } catch (PageBody.ClientGone e) {
            renderer.abandon(); // nobody to answer
        } catch (PageBody.ClientStalled e) {
            renderer.abandon();
            // Too late for a status: the exchange runner cuts the response off.
            throw new ProtocolException(ErrorCode.TIME_OUT, "The client read nothing of the feed page for "
                    + timeout.toMillis() + " ms (X-Query-Timeout-Ms).");
        } catch (UncheckedIOException e) {
            renderer.abandon();
            throw e.getCause();
        } catch (RuntimeException | IOException | Error e) {
            renderer.abandon();
            throw e;
        }
    }

    @Override
    public FullHttpResponse errorResponse(ByteBufAllocator alloc, HttpHeaders requestHeaders, ProtocolException error) {
        return StreamHttpResponse.protocolError(alloc, error);
    }
}
