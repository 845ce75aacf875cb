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
import io.eddy.server.wire.JsonBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
 * <p>Large pages (up to 16,000 events, several MiB) are rendered in slices while they are read
 * ({@link FeedPageRenderer}): writing the events' JSON is most of a page's cost. Each slice is a
 * comma-separated run of events in its own buffers; the body is the slices joined in order, between
 * the fixed head and the tail, byte for byte what one generator would have written.
 * Refusals use {@link StreamHttpResponse#protocolError}.
 */
public final class FeedHttpResponse {
    static final byte[] HEAD = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    static final byte[] COMMA = {','};
    static final byte[] END_OF_EVENTS = {']', ','};

    private FeedHttpResponse() {}

    /** Renders on the calling thread only. */
    public static FullHttpResponse render(ByteBufAllocator alloc, FeedPage page, long processingTimeMs) throws IOException {
        FeedPageRenderer renderer = new FeedPageRenderer(alloc, Runnable::run);
        return renderer.finish(page, processingTimeMs);
    }

    /** The events a page renders: all of them but status events (a feed has none). */
    static List<Event> pageEvents(FeedPage page) {
        List<Event> events = page.events();
        for (Event e : events) {
            if (e.type() == EventType.STATUS) {
                return events.stream().filter(x -> x.type() != EventType.STATUS).toList();
            }
        }
        return events;
    }

    /** The page's body: head, the slices' events joined by commas, tail. Takes the slices. */
    static FullHttpResponse assemble(ByteBufAllocator alloc, FeedPage page, List<Event> events, List<ByteBuf> slices,
                                     long processingTimeMs) throws IOException {
        String cursor = page.cursor();
        List<ByteBuf> parts = new ArrayList<>(2 * slices.size() + 3);
        int taken = 0;
        try {
            if (cursor == null || cursor.isBlank()) {
                throw new IllegalStateException("a feed page must carry a cursor");
            }
            parts.add(Unpooled.wrappedBuffer(HEAD));
            boolean first = true;
            for (; taken < slices.size(); taken++) {
                ByteBuf slice = slices.get(taken);
                if (!slice.isReadable()) {
                    slice.release();
                    continue;
                }
                if (!first) {
                    parts.add(Unpooled.wrappedBuffer(COMMA));
                }
                parts.add(slice);
                first = false;
            }
            parts.add(Unpooled.wrappedBuffer(END_OF_EVENTS));
            parts.add(tail(alloc, cursor, page.hasNext(), pageStats(events, processingTimeMs)));
            return JsonResponses.ofParts(alloc, HttpResponseStatus.OK, parts);
        } catch (IOException | RuntimeException | Error e) {
            parts.forEach(ByteBuf::release);
            for (ByteBuf slice : slices.subList(taken, slices.size())) {
                slice.release();
            }
            throw e;
        }
    }

    static ByteBuf renderSlice(ByteBufAllocator alloc, List<Event> slice) {
        try {
            JsonBytes scratch = new JsonBytes(1024);
            return JsonResponses.fragment(alloc, g -> {
                for (Event e : slice) {
                    EventJson.write(g, e, scratch);
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

    /**
     * What follows a page's events when they were sent apart ({@link FeedPageRenderer#takeRendered}):
     * {@code ],"cursor":...,"has_next":...,"stats":{...}}}.
     */
    static ByteBuf end(ByteBufAllocator alloc, FeedPage page, List<Event> events, long processingTimeMs) throws IOException {
        String cursor = page.cursor();
        if (cursor == null || cursor.isBlank()) {
            throw new IllegalStateException("a feed page must carry a cursor");
        }
        ByteBuf tail = tail(alloc, cursor, page.hasNext(), pageStats(events, processingTimeMs));
        return Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(END_OF_EVENTS), tail);
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
