package io.eddy.stream.derive;

import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.Value;
import io.eddy.fql.ast.Span;
import io.eddy.fql.interp.ElementPipeline;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.ValueDepth;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventStats;
import io.eddy.stream.event.EventType;

/**
 * The one event-derivation function, shared by live streams, feeds and replay: from an event source and
 * one change-log record to the event it causes, or none.
 *
 * <ul>
 *   <li>Only records of the collection the source was resolved against count (by id, not name).</li>
 *   <li>A document <em>matches</em> a version if it belongs to the source (collection, index terms,
 *       single id) and passes the pipeline's {@code where} steps.</li>
 *   <li>Matched before and after: {@code update}; only after: {@code add}; only before: {@code remove}
 *       carrying the version before the change.</li>
 *   <li>Index sources ignore updates that change no covered field (terms or values);
 *       {@code changesOn} sources ignore updates that change no watched field, and creates and
 *       deletes of documents without any watched field.</li>
 *   <li>An error while evaluating the pipeline becomes an {@code error} event.</li>
 * </ul>
 * Deterministic given the record and the pipeline's reads, but for the measured
 * {@code processing_time_ms} in the event's stats; it never writes. Records that produce no event
 * report no cost.
 */
public final class EventDeriver {
    private EventDeriver() {}

    public static Event derive(StreamSource source, ChangeRecord rec, ElementPipeline pipeline) {
        // A collection deleted and created again keeps its name but not its id: the records of the one
        // before are not the source's (it was resolved against the current one).
        if (rec.collId() != source.collId()) return null;
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
        // A source without steps only presents the document: there is nothing to time (it would round
        // to 0 ms), and two clock reads per event were a visible share of a feed's reading thread.
        boolean evaluates = !source.def().set().ops().isEmpty();
        long startNanos = evaluates ? System.nanoTime() : 0;
        long steps = pipeline.computeSteps(), reads = pipeline.readOps();
        EventType type;
        Value data;
        Event.ErrorInfo error = null;
        try {
            Value b = inBefore ? pipeline.apply(source.def().set(), before) : null;
            Value a = inAfter ? pipeline.apply(source.def().set(), after) : null;
            // a map or projection may build values no event could carry (see ValueDepth)
            if (evaluates && (ValueDepth.exceeds(a) || ValueDepth.exceeds(b))) {
                throw ValueDepth.tooDeep("invalid_request", "The event's data", Span.NONE);
            }
            if (a != null) {
                type = b != null ? EventType.UPDATE : EventType.ADD;
                data = a;
            } else if (b != null) {
                type = EventType.REMOVE;
                data = b;
            } else {
                return null;
            }
        } catch (QueryException e) {
            type = EventType.ERROR;
            data = null;
            error = new Event.ErrorInfo(e.code(), e.getMessage(), e.abortValue());
        }
        EventStats stats = new EventStats(1 + pipeline.readOps() - reads, rec.storedBytes(),
                Math.max(1, (pipeline.computeSteps() - steps) / 50),
                evaluates ? (System.nanoTime() - startNanos) / 1_000_000 : 0);
        return new Event(type, data, rec.position(), error, stats);
    }
}
