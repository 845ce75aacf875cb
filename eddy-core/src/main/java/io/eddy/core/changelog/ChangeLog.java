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
     * The oldest commit time whose records of collection {@code coll} are still guaranteed to be
     * present: each collection keeps its own history ({@code history_days}, at least the server's
     * minimum), so a short-lived collection's horizon may be later than {@link #retainedFromTs()}.
     */
    default long retainedFromTs(String coll) {
        return retainedFromTs();
    }

    /**
     * Registers a listener that receives every durable commit's records, in commit order, on the
     * commit thread, after the commit is durable and visible to new snapshots (and, before the write,
     * what is about to be written: {@link CommitListener#preparing}): one call per group
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

    /**
     * Receives committed transactions' change records. For each group commit the commit thread calls
     * {@link #preparing} before the synced write, then exactly one of {@link #committed} (durable and
     * visible, before the transactions' commit futures complete) or {@link #abandoned} (the write
     * failed: none of it exists), with the same list object.
     * One group commit is in flight at a time: {@code preparing} of the next comes after the outcome
     * of the previous.
     */
    @FunctionalInterface
    interface CommitListener {
        /**
         * Before the group commit's synced write: its records, with their final positions, that are
         * not yet durable or visible. A listener may start work from them (so that it overlaps the
         * write), but must publish nothing until {@link #committed}. Must not block.
         */
        default void preparing(List<CommittedTxn> group) {}

        /** @param group the transactions of one group commit, in commit order (never empty) */
        void committed(List<CommittedTxn> group);

        /** The group commit announced by {@link #preparing} failed: nothing of it was written. */
        default void abandoned(List<CommittedTxn> group) {}
    }
}
