package io.eddy.core.changelog;

import java.util.List;

/**
 * The durable, ordered log of document changes, written in the same atomic write as the documents.
 * Streams and feeds read only this.
 */
public interface ChangeLog {

    /** Up to {@code limit} records strictly after {@code after}, in log order. */
    List<ChangeRecord> read(LogPosition after, int limit);

    /**
     * Up to {@code limit} records of collection {@code coll} strictly after {@code after} and at or
     * before {@code horizonTs}, in log order. The log keeps each collection's records listed apart, so
     * the cost follows this collection's records, not the other collections' writes in the window.
     */
    CollectionPage readCollection(LogPosition after, String coll, long horizonTs, int limit);

    /**
     * @param records the collection's records
     * @param lastExamined the position up to which the log has been accounted for: the last record
     *     returned, or, when exhausted, the end of the horizon (never before {@code after})
     * @param exhausted true when the collection has no record after {@code lastExamined} at or before
     *     the horizon
     */
    record CollectionPage(List<ChangeRecord> records, LogPosition lastExamined, boolean exhausted) {}

    /**
     * The oldest commit time (microseconds) whose records are still guaranteed to be present; earlier
     * history may have been removed by retention.
     */
    long retainedFromTs();

    /**
     * Registers a listener that receives every durable commit's records, in commit order, on the
     * commit thread, after the commit is durable and visible to new snapshots: one call per group
     * commit, with the transactions it made durable together (a listener that hands work to another
     * thread then hands it over once per synced write, not once per transaction). The listener must
     * not block. Transactions that wrote no documents are delivered with no records and their commit
     * time so that readers can advance. Returns a handle that unregisters it.
     *
     * <p>Listeners of a commit are called before that commit's {@code Store.commit} future completes,
     * so a client that saw its commit acknowledged knows every listener has seen it. {@link #read} may
     * return a durable commit's records slightly before its listeners are called; a reader that mixes
     * both deduplicates by {@link LogPosition}.
     */
    AutoCloseable addListener(CommitListener listener);

    /** Receives committed transactions' change records. */
    @FunctionalInterface
    interface CommitListener {
        /** @param group the transactions of one group commit, in commit order (never empty) */
        void committed(List<CommittedTxn> group);
    }
}
