package io.eddy.server.endpoint;

import io.eddy.stream.event.Event;
import io.eddy.stream.feed.FeedPage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Renders a feed page while it is being read: each chunk of events the engine hands over
 * ({@link #submit}) becomes a slice rendered on the renderers' executor, so writing JSON overlaps
 * reading the change log; when the page is complete ({@link #finish}), the request's own thread
 * renders the slices no renderer has started yet, then joins the rest in order. A large page's slices
 * can instead be sent as they are ready ({@link #takeRendered}, then {@link #finishInto}), so that
 * the client reads the page while the server is still reading and rendering it. Either way the body
 * is byte for byte what one generator writing the whole page would produce ({@link FeedHttpResponse}).
 *
 * <p>Used by one request thread; slices are claimed exactly once, by a renderer or by that thread.
 * Every rendered buffer ends up in the response or is released ({@link #abandon}).
 */
final class FeedPageRenderer {
    /** One slice of the page: rendered by whoever claims it first. */
    private final class Slice implements Runnable {
        final List<Event> events;
        final AtomicBoolean claimed = new AtomicBoolean();
        final CompletableFuture<ByteBuf> rendered = new CompletableFuture<>();

        Slice(List<Event> events) {
            this.events = events;
        }

        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                rendered.complete(FeedHttpResponse.renderSlice(alloc, events));
            } catch (Throwable t) {
                rendered.completeExceptionally(t);
            }
        }
    }

    private final ByteBufAllocator alloc;
    private final Executor renderers;
    private final List<Slice> slices = new ArrayList<>();
    /** Slices handed over by {@link #takeRendered} or {@link #finishInto}: no longer this object's to release. */
    private int taken;
    private int submittedEvents;
    private boolean done;

    /** Receives a rendered slice and owns it from then on. */
    @FunctionalInterface
    interface SliceSink {
        void accept(ByteBuf slice) throws IOException;
    }

    /** @param renderers runs slices (CPU-bound work that never blocks) */
    FeedPageRenderer(ByteBufAllocator alloc, Executor renderers) {
        this.alloc = alloc;
        this.renderers = renderers;
    }

    /** The page's next events, in order (an unchanging list), rendered by the renderers. */
    void submit(List<Event> chunk) {
        Slice s = add(chunk);
        if (s == null) {
            return;
        }
        try {
            renderers.execute(s);
        } catch (RejectedExecutionException e) {
            // No renderer: finish() renders it on the request's thread.
        }
    }

    /**
     * The page's next events, in order (an unchanging list), rendered on the calling thread now: for a
     * page's small first chunk, whose slice can then be sent at once instead of at the next hand-over.
     */
    void renderNow(List<Event> chunk) {
        Slice s = add(chunk);
        if (s != null) {
            s.run();
        }
    }

    private Slice add(List<Event> chunk) {
        if (chunk.isEmpty()) {
            return null;
        }
        Slice s = new Slice(chunk);
        slices.add(s);
        submittedEvents += chunk.size();
        return s;
    }

    /**
     * The response for {@code page}, whose first events are the ones submitted so far (any others are
     * rendered here).
     */
    FullHttpResponse finish(FeedPage page, long processingTimeMs) throws IOException {
        done = true;
        List<Event> events = completeSlices(page);
        // Help: render what no renderer has picked up yet, in order, then collect everything.
        for (Slice s : slices) {
            s.run();
        }
        List<ByteBuf> bodies = new ArrayList<>(slices.size());
        try {
            for (Slice s : slices) {
                bodies.add(join(s));
            }
        } catch (IOException | RuntimeException | Error e) {
            bodies.forEach(ByteBuf::release);
            releaseUnjoined(bodies.size());
            taken = slices.size();
            throw e;
        }
        taken = slices.size();
        return FeedHttpResponse.assemble(alloc, page, events, bodies, processingTimeMs);
    }

    /**
     * Hands over, in order, the slices already rendered that were not handed over yet, stopping at the
     * first one still being rendered (never waits).
     */
    void takeRendered(SliceSink sink) throws IOException {
        while (taken < slices.size() && slices.get(taken).rendered.isDone()) {
            sink.accept(join(slices.get(taken++)));
        }
    }

    /**
     * Completes a page whose slices are being sent as they are ready ({@link #takeRendered}): the rest
     * of its events, rendered here if no renderer has started them, go to {@code sink} in order.
     * Returns the events of the whole page.
     *
     * <p>Each slice this thread renders is followed by sending whatever is ready, so the connection
     * and the client work on the page's first slices while its last ones are rendered (rendering them
     * all first would leave both idle, then the renderers idle while they catch up).
     */
    List<Event> finishInto(FeedPage page, SliceSink sink) throws IOException {
        done = true;
        List<Event> events = completeSlices(page);
        for (int i = taken; i < slices.size(); i++) {
            slices.get(i).run();
            takeRendered(sink);
        }
        while (taken < slices.size()) {
            sink.accept(join(slices.get(taken++)));
        }
        return events;
    }

    private List<Event> completeSlices(FeedPage page) {
        List<Event> events = FeedHttpResponse.pageEvents(page);
        if (events.size() < submittedEvents) {
            throw new IllegalStateException("the page has fewer events than were submitted");
        }
        if (events.size() > submittedEvents) {
            slices.add(new Slice(List.copyOf(events.subList(submittedEvents, events.size()))));
            submittedEvents = events.size();
        }
        return events;
    }

    private static ByteBuf join(Slice s) throws IOException {
        try {
            return s.rendered.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause()
                    : new IOException("rendering a slice of a feed page failed", e.getCause());
        }
    }

    /** The page will not be answered: every slice's buffer not handed over is released whenever it is rendered. */
    void abandon() {
        if (done && taken == slices.size()) {
            return;
        }
        done = true;
        releaseUnjoined(taken);
        taken = slices.size();
    }

    private void releaseUnjoined(int from) {
        for (Slice s : slices.subList(from, slices.size())) {
            s.claimed.set(true); // not started: nobody renders it now
            s.rendered.thenAccept(ByteBuf::release);
        }
    }
}
