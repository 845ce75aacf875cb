package io.eddy.stream.derive;

import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.Value;
import io.eddy.fql.interp.ElementPipeline;
import io.eddy.fql.runtime.QueryException;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventType;

/**
 * The one event-derivation function, shared by live streams, feeds and replay: from an event source and
 * one change-log record to the event it causes, or none.
 *
 * <ul>
 *   <li>A document <em>matches</em> a version if it belongs to the source (collection, index terms,
 *       single id) and passes the pipeline's {@code where} steps.</li>
 *   <li>Matched before and after: {@code update}; only after: {@code add}; only before: {@code remove}
 *       carrying the version before the change.</li>
 *   <li>Index sources ignore updates that change no covered field (terms or values);
 *       {@code changesOn} sources ignore updates that change no watched field, and creates and
 *       deletes of documents without any watched field.</li>
 *   <li>An error while evaluating the pipeline becomes an {@code error} event.</li>
 * </ul>
 * Deterministic given the record and the pipeline's reads; it never writes.
 */
public final class EventDeriver {
    private EventDeriver() {}

    public static Event derive(StreamSource source, ChangeRecord rec, ElementPipeline pipeline) {
        DocumentValue before = rec.before(), after = rec.after();
        boolean inBefore = source.contains(before), inAfter = source.contains(after);
        if (!inBefore && !inAfter) return null;
        if (inBefore && inAfter && !source.coveredFieldChanged(before, after)) return null;
        if (!source.def().watchedFields().isEmpty()) {
            if (before != null && after != null) {
                if (!source.watchedFieldChanged(before, after)) return null;
            } else if (!source.hasWatchedField(before != null ? before : after)) {
                return null;
            }
        }
        try {
            Value b = inBefore ? pipeline.apply(source.def().set(), before) : null;
            Value a = inAfter ? pipeline.apply(source.def().set(), after) : null;
            if (a != null && b != null) return Event.data(EventType.UPDATE, a, rec.position());
            if (a != null) return Event.data(EventType.ADD, a, rec.position());
            if (b != null) return Event.data(EventType.REMOVE, b, rec.position());
            return null;
        } catch (QueryException e) {
            return Event.error(e.code(), e.getMessage(), e.abortValue(), rec.position());
        }
    }
}
