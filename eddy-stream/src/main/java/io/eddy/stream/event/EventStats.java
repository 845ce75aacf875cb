package io.eddy.stream.event;

/**
 * What producing one event cost, reported in its {@code stats}: documents read ({@code read_ops}: the
 * changed document plus any the set's filter or projection read), the change-log bytes read
 * ({@code storage_bytes_read}), evaluation work ({@code compute_ops}: at least one, then one per 50
 * evaluation steps, as for queries) and the time spent deriving it.
 */
public record EventStats(long readOps, long storageBytesRead, long computeOps, long processingTimeMs) {
    /** For events that cost nothing to produce (status, and errors of the request itself). */
    public static final EventStats ZERO = new EventStats(0, 0, 0, 0);

    public boolean isZero() {
        return readOps == 0 && storageBytesRead == 0 && computeOps == 0 && processingTimeMs == 0;
    }

    /** The sum of two events' costs (a feed page's stats sum its events'). */
    public EventStats plus(EventStats o) {
        return new EventStats(readOps + o.readOps, storageBytesRead + o.storageBytesRead, computeOps + o.computeOps,
                processingTimeMs + o.processingTimeMs);
    }
}
