package io.eddy.fql.runtime;

import java.util.List;

/**
 * An event source created by {@code set.toStream()} / {@code eventSource()} or {@code changesOn(...)} /
 * {@code eventsOn(...)}: the streamed set and the watched field paths (empty: every change). It becomes
 * an opaque token when the query's result is rendered, because the token records the creating query's
 * commit time, which is only known after commit.
 */
public record EventSourceDef(SetValue set, List<FieldPath> watchedFields) implements io.eddy.core.value.Value {
    public EventSourceDef {
        watchedFields = List.copyOf(watchedFields);
    }

    @Override public String typeName() { return "EventSource"; }
}
