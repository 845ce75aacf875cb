package io.eddy.core.changelog;

/**
 * A position in the change log: (commit time in microseconds, ordinal within the transaction).
 * Positions order records; a reader resuming "after" a position sees only later records.
 */
public record LogPosition(long txnTs, int ordinal) implements Comparable<LogPosition> {
    /** Before every record of the transaction at {@code txnTs}. */
    public static LogPosition startOf(long txnTs) { return new LogPosition(txnTs, -1); }
    /** After every record of the transaction at {@code txnTs}. */
    public static LogPosition endOf(long txnTs) { return new LogPosition(txnTs, Integer.MAX_VALUE); }

    @Override public int compareTo(LogPosition o) {
        int c = Long.compare(txnTs, o.txnTs);
        return c != 0 ? c : Integer.compare(ordinal, o.ordinal);
    }
}
