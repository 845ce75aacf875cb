package io.eddy.stream.feed;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.changelog.LogPosition;
import io.eddy.fql.interp.ElementPipeline;
import io.eddy.stream.derive.EventDeriver;
import io.eddy.stream.derive.StreamSource;
import io.eddy.stream.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reads history for feeds and stream replay: walks the change log after a position, page by page (so
 * memory stays bounded however long the history), deriving events with {@link EventDeriver}.
 */
public final class LogScanner {
    private final ChangeLog log;
    private final int pageRecords;
    private final LongAdder scanned = new LongAdder();

    public LogScanner(ChangeLog log, int pageRecords) {
        this.log = log;
        this.pageRecords = pageRecords;
    }

    /**
     * The outcome of one scan.
     *
     * @param events derived events, at most the requested number, ending at the first error event
     * @param lastScanned the position of the last record examined (or the start position)
     * @param more true when the scan stopped with records up to {@code horizon} left unexamined
     */
    public record Result(List<Event> events, LogPosition lastScanned, boolean more) {}

    /** Change-log records read by every scan so far. */
    public long recordsScanned() {
        return scanned.sum();
    }

    /** How many records pass between two looks at the deadline. */
    static final int DEADLINE_STRIDE = 64;

    /**
     * Scans records strictly after {@code after} and at or before {@code horizonTs}, collecting up to
     * {@code maxEvents} events. Stops early at an error event or when {@code deadlineNanos} passes.
     */
    public Result scan(StreamSource source, LogPosition after, long horizonTs, int maxEvents, ElementPipeline pipeline,
                       long deadlineNanos) {
        List<Event> events = new ArrayList<>();
        LogPosition pos = after;
        while (true) {
            if (System.nanoTime() - deadlineNanos > 0) return new Result(events, pos, true);
            // Only the source's collection can yield events (EventDeriver matches documents by their
            // collection): the log reads only that collection's records.
            ChangeLog.CollectionPage page = log.readCollection(pos, source.coll(), horizonTs, pageRecords);
            scanned.add(page.records().size());
            int examined = 0;
            for (ChangeRecord rec : page.records()) {
                // The clock every DEADLINE_STRIDE records: a record takes about a microsecond, so the
                // deadline is kept to well under a millisecond, without a clock read per record.
                if (events.size() >= maxEvents
                        || (examined++ % DEADLINE_STRIDE == 0 && System.nanoTime() - deadlineNanos > 0)) {
                    return new Result(events, pos, true);
                }
                pos = rec.position();
                Event e = EventDeriver.derive(source, rec, pipeline);
                if (e != null) {
                    events.add(e);
                    if (e.isError()) return new Result(events, pos, true);
                }
            }
            // Every record of the page was taken: up to where the page says the log is accounted for,
            // whatever else it holds belongs to other collections and yields nothing.
            pos = page.lastExamined();
            if (page.exhausted()) return new Result(events, pos, false);
        }
    }
}
