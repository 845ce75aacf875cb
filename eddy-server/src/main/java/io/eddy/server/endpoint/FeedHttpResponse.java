package io.eddy.server.endpoint;

import io.eddy.server.http.JsonResponses;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventType;
import io.eddy.stream.feed.FeedPage;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;

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
 * Refusals use {@link StreamHttpResponse#protocolError}.
 */
public final class FeedHttpResponse {
    private FeedHttpResponse() {}

    public static FullHttpResponse render(ByteBufAllocator alloc, FeedPage page, long processingTimeMs) throws IOException {
        String cursor = page.cursor();
        if (cursor == null || cursor.isBlank()) {
            throw new IllegalStateException("a feed page must carry a cursor");
        }
        return JsonResponses.json(alloc, HttpResponseStatus.OK, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("events");
            for (Event e : page.events()) {
                if (e.type() != EventType.STATUS) {
                    EventJson.write(g, e);
                }
            }
            g.writeEndArray();
            g.writeStringField("cursor", cursor);
            g.writeBooleanField("has_next", page.hasNext());
            g.writeFieldName("stats");
            EventJson.writeStats(g, processingTimeMs);
            g.writeEndObject();
        });
    }
}
