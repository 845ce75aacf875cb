package io.eddy.server.endpoint;

import io.eddy.server.http.JsonResponses;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventStats;
import io.eddy.stream.event.EventType;
import io.eddy.stream.feed.FeedPage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Renders a {@code /feed/1} page (core: {@code FeedResponse}):
 * {@code {"events":[...],"cursor":"...","has_next":bool,"stats":{...}}} and nothing else (the JVM
 * driver's {@code FeedPage} rejects unknown fields).
 *
 * <ul>
 *   <li>{@code events}: shaped as in streams ({@link EventJson}); never {@code status} events; an
 *       {@code error} event, if any, is the last.</li>
 *   <li>{@code cursor}: never blank (the JVM driver throws on a blank one): the engine always
 *       supplies one, either the last event's or the position the page read up to.</li>
 *   <li>{@code stats}: the event stats fields, {@code processing_time_ms} being the time spent on
 *       the page.</li>
 * </ul>
 *
 * <p>Large pages (up to 16,000 events, several MiB) are rendered in slices in parallel: writing the
 * events' JSON is most of a page's cost, and one request would otherwise use one core. Each slice
 * is a comma-separated run of events in its own buffers; the body is the slices joined in order,
 * between the fixed head and the tail, byte for byte what one generator would have written.
 * Refusals use {@link StreamHttpResponse#protocolError}.
 */
public final class FeedHttpResponse {
    /** Below this many events per slice, a slice costs more to schedule than it saves. */
    static final int MIN_SLICE_EVENTS = 1_000;

    private static final byte[] HEAD = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMA = {','};
    private static final byte[] END_OF_EVENTS = {']', ','};

    private FeedHttpResponse() {}

    /** Renders on the calling thread only. */
    public static FullHttpResponse render(ByteBufAllocator alloc, FeedPage page, long processingTimeMs) throws IOException {
        return render(alloc, page, processingTimeMs, Runnable::run, 1);
    }

    /**
     * @param slicer runs the slices after the first (which the calling thread renders)
     * @param parallelism the most slices to cut the page into
     */
    public static FullHttpResponse render(ByteBufAllocator alloc, FeedPage page, long processingTimeMs,
                                          Executor slicer, int parallelism) throws IOException {
        String cursor = page.cursor();
        if (cursor == null || cursor.isBlank()) {
            throw new IllegalStateException("a feed page must carry a cursor");
        }
        List<Event> events = page.events().stream().filter(e -> e.type() != EventType.STATUS).toList();
        int slices = Math.max(1, Math.min(parallelism, events.size() / MIN_SLICE_EVENTS));
        List<ByteBuf> parts = new ArrayList<>(2 * slices + 3);
        List<CompletableFuture<ByteBuf>> later = new ArrayList<>(slices - 1);
        int joined = 0;
        try {
            parts.add(Unpooled.wrappedBuffer(HEAD));
            int per = (events.size() + slices - 1) / slices;
            for (int i = 1; i < slices; i++) {
                List<Event> slice = events.subList(i * per, Math.min(events.size(), (i + 1) * per));
                later.add(CompletableFuture.supplyAsync(() -> renderSlice(alloc, slice), slicer));
            }
            parts.add(renderSlice(alloc, events.subList(0, Math.min(events.size(), per))));
            for (CompletableFuture<ByteBuf> f : later) {
                ByteBuf slice;
                try {
                    slice = f.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof UncheckedIOException io ? io.getCause()
                            : new IOException("rendering a slice of a feed page failed", e.getCause());
                } finally {
                    joined++;
                }
                parts.add(Unpooled.wrappedBuffer(COMMA));
                parts.add(slice);
            }
            parts.add(Unpooled.wrappedBuffer(END_OF_EVENTS));
            parts.add(tail(alloc, cursor, page.hasNext(), pageStats(events, processingTimeMs)));
            return JsonResponses.ofParts(alloc, HttpResponseStatus.OK, parts);
        } catch (IOException | RuntimeException | Error e) {
            parts.forEach(ByteBuf::release);
            // Slices not joined yet are released whenever they finish.
            for (CompletableFuture<ByteBuf> f : later.subList(joined, later.size())) {
                f.thenAccept(ByteBuf::release);
            }
            throw e;
        }
    }

    private static ByteBuf renderSlice(ByteBufAllocator alloc, List<Event> slice) {
        try {
            return JsonResponses.fragment(alloc, g -> {
                for (Event e : slice) {
                    EventJson.write(g, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page's cost: what producing its events cost, and the request's own processing time. */
    static EventStats pageStats(List<Event> events, long processingTimeMs) {
        long reads = 0, bytes = 0, compute = 0;
        for (Event e : events) {
            reads += e.stats().readOps();
            bytes += e.stats().storageBytesRead();
            compute += e.stats().computeOps();
        }
        return new EventStats(reads, bytes, Math.max(1, compute), processingTimeMs);
    }

    /** {@code "cursor":...,"has_next":...,"stats":{...}}}: the page's object after its events. */
    private static ByteBuf tail(ByteBufAllocator alloc, String cursor, boolean hasNext, EventStats stats)
            throws IOException {
        ByteBuf rest = JsonResponses.fragment(alloc, g -> {
            g.writeStartObject();
            g.writeStringField("cursor", cursor);
            g.writeBooleanField("has_next", hasNext);
            g.writeFieldName("stats");
            EventJson.writeStats(g, stats);
            g.writeEndObject();
        });
        return rest.skipBytes(1); // the object's own '{': the fields continue the page's object
    }
}
