package io.eddy.stream.feed;

import io.eddy.stream.event.Event;
import java.util.List;

/** One page of an event feed: events (never status), the cursor to poll from next, and whether more are waiting. */
public record FeedPage(List<Event> events, String cursor, boolean hasNext) {
    public FeedPage {
        events = List.copyOf(events);
    }
}
