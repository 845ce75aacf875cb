package io.eddy.core.storage;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.txn.Transaction;
import java.util.concurrent.CompletableFuture;

/**
 * The database: documents, indexes, schema and the change log in one embedded RocksDB.
 *
 * <p>Invariants:
 * <ul>
 *   <li>One commit pipeline orders all transactions; each commit gets a {@code txn_ts} in microseconds
 *       strictly greater than every earlier one, across restarts.</li>
 *   <li>A commit's future completes only after its write is synced to disk (group commit: many
 *       transactions share one synced write).</li>
 *   <li>Documents, index entries, schema and change-log records of a transaction are one atomic write.</li>
 *   <li>A snapshot taken by {@link #begin()} sees exactly the transactions with
 *       {@code txn_ts <= snapshotTs}.</li>
 * </ul>
 */
public interface Store extends AutoCloseable {

    /** Opens (creating if needed) the store in {@code config.dataDir()}. */
    static Store open(StoreConfig config) {
        return RocksStore.open(config);
    }

    /** Starts a transaction reading the latest committed snapshot. */
    Transaction begin();

    /**
     * Commits the transaction. Completes with its {@code txn_ts} once durable, or exceptionally with
     * {@link io.eddy.core.txn.TransactionConflictException} (nothing written). A transaction without
     * writes completes at once with its snapshot time.
     */
    CompletableFuture<Long> commit(Transaction txn);

    /** The commit time of the latest durable transaction. */
    long lastCommittedTs();

    ChangeLog changeLog();

    /** Commit pipeline counters (group commit at work: {@code batches < committed}). */
    default StoreStats stats() {
        return StoreStats.EMPTY;
    }

    /** Stops accepting commits, finishes the ones queued, and closes the database. */
    @Override
    void close();
}
