package io.eddy.stream.event;

import io.eddy.core.changelog.LogPosition;
import io.eddy.core.value.Value;

/**
 * One event of a stream or feed. Data events carry the set's view of the document ({@code data}) and
 * their change-log position; status events carry a position only; error events carry the error and,
 * when caused by a change, that change's position (never rendered: error events have no cursor on the
 * wire, but a feed resumes after it). Every event carries what producing it cost ({@link EventStats}).
 */
public record Event(EventType type, Value data, LogPosition position, ErrorInfo error, EventStats stats) {

    /** An error: a stable code, a message, and for {@code abort} the aborted value. */
    public record ErrorInfo(String code, String message, Value abort) {}

    public static Event data(EventType type, Value data, LogPosition position) {
        return new Event(type, data, position, null, EventStats.ZERO);
    }

    public static Event status(LogPosition position) {
        return new Event(EventType.STATUS, null, position, null, EventStats.ZERO);
    }

    public static Event error(String code, String message, Value abort, LogPosition position) {
        return new Event(EventType.ERROR, null, position, new ErrorInfo(code, message, abort), EventStats.ZERO);
    }

    /** This event with the cost of producing it. */
    public Event withStats(EventStats stats) {
        return new Event(type, data, position, error, stats);
    }

    public boolean isError() { return type == EventType.ERROR; }

    public String cursor() { return position == null ? null : EventCursor.encode(position); }
}
