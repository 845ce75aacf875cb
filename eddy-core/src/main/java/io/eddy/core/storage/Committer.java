package io.eddy.core.storage;

import io.eddy.core.changelog.ChangeOp;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.changelog.CommittedTxn;
import io.eddy.core.txn.TransactionConflictException;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.StoredForm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single commit pipeline. One thread takes every queued request (up to
 * {@code maxBatchTransactions}), validates each transaction against the writes of transactions
 * committed after its snapshot (including earlier ones of the same batch), gives each survivor the
 * next {@code txn_ts}, tells the change-log listeners what it is about to write (so their work can
 * overlap the write), writes all of them in ONE synced {@link WriteBatch}, and only then notifies the
 * listeners that it is durable and completes the futures (in that order, so a completed commit has
 * been seen by every listener).
 *
 * <p>Being the only writer to RocksDB is what makes snapshot timestamps exact: before writing a batch
 * it knows the sequence number the batch will end at ({@code latest + batch.count()}) and records
 * {@code endSeq -> ts of the batch's last transaction} in {@link RocksStore#seqToTs} before the write,
 * so any snapshot that sees the batch can floor-look-up its ts (see {@link RocksStore}).
 */
final class Committer {
    private static final Logger log = LoggerFactory.getLogger(Committer.class);
    private static final int TRACKER_CAP = 1_000_000;

    /** A request to the committer. */
    sealed interface Work permits CommitWork, MaintenanceWork, Stop {}

    record CommitWork(TxnWrites writes, ReadSet reads, long snapshotTs, Object pin, CompletableFuture<Long> future)
            implements Work {}

    /** A write that is no transaction (retention): applied to the batch, no ts, no validation. */
    record MaintenanceWork(BatchWriter writer, Runnable afterWrite, CompletableFuture<Void> future) implements Work {}

    enum Stop implements Work { INSTANCE }

    @FunctionalInterface
    interface BatchWriter {
        void write(WriteBatch batch) throws RocksDBException;
    }

    private record Done(CommitWork work, long ts, List<ChangeRecord> records) {}

    private final RocksStore store;
    private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final ConflictTracker tracker = new ConflictTracker();
    private final Object enqueueLock = new Object();
    private final Thread thread;
    private boolean stopping; // guarded by enqueueLock
    private long lastTs; // committer thread only (and the constructor)
    private int sizeAfterPrune;
    private int batchesSincePrune;
    private volatile long committed, conflicts, batches, maxBatch;

    Committer(RocksStore store, long lastTs) {
        this.store = store;
        this.lastTs = lastTs;
        this.thread = new Thread(this::run, "eddy-committer");
        thread.setDaemon(true);
    }

    void start() { thread.start(); }

    StoreStats stats() { return new StoreStats(committed, conflicts, batches, maxBatch); }

    <T> CompletableFuture<T> submit(Work w, CompletableFuture<T> future) {
        synchronized (enqueueLock) {
            if (stopping) return CompletableFuture.failedFuture(new IllegalStateException("The store is closed."));
            queue.add(w);
        }
        return future;
    }

    /** Rejects new work, lets the thread finish everything queued before, and waits for it. */
    void stop() {
        synchronized (enqueueLock) {
            if (!stopping) {
                stopping = true;
                queue.add(Stop.INSTANCE);
            }
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void run() {
        List<Work> batch = new ArrayList<>();
        while (true) {
            Work first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                continue; // only stop() ends the loop, so nothing queued is ever dropped
            }
            batch.clear();
            batch.add(first);
            queue.drainTo(batch, store.config.maxBatchTransactions() - 1);
            // Stop is the last item ever queued, so it can only be at the end.
            boolean stop = batch.getLast() == Stop.INSTANCE;
            if (stop) batch.removeLast();
            if (!batch.isEmpty()) {
                try {
                    process(batch);
                } catch (Throwable t) {
                    log.error("commit batch failed", t);
                    failAll(batch, t);
                }
            }
            if (stop) return;
        }
    }

    private static void failAll(List<Work> batch, Throwable t) {
        Throwable cause = t instanceof RuntimeException ? t : new StorageException("commit failed", t);
        for (Work w : batch) {
            switch (w) {
                case CommitWork c -> c.future().completeExceptionally(cause);
                case MaintenanceWork m -> m.future().completeExceptionally(cause);
                case Stop s -> { }
            }
        }
    }

    private long nextTs() {
        Instant now = store.config.clock().instant();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1000);
        lastTs = Math.max(micros, lastTs + 1);
        return lastTs;
    }

    private void process(List<Work> batch) throws RocksDBException {
        List<Done> done = new ArrayList<>();
        List<MaintenanceWork> maintenance = new ArrayList<>();
        List<CommittedTxn> group = null; // the listeners' view of the transactions written
        long prevTs = lastTs;
        try (WriteBatch wb = new WriteBatch()) {
            boolean schemaChanged = false;
            for (Work w : batch) {
                switch (w) {
                    case CommitWork c -> {
                        store.unpin(c.pin());
                        String why = tracker.conflict(c.reads(), c.snapshotTs());
                        if (why != null) {
                            conflicts++;
                            c.future().completeExceptionally(new TransactionConflictException(
                                    "Transaction conflict: " + why + " since the transaction's snapshot."));
                            continue;
                        }
                        long ts = nextTs();
                        tracker.record(c.writes(), ts);
                        done.add(new Done(c, ts, writeTxn(wb, c.writes(), ts)));
                        schemaChanged |= !c.writes().schemaNames.isEmpty();
                    }
                    case MaintenanceWork m -> {
                        m.writer().write(wb);
                        maintenance.add(m);
                    }
                    case Stop s -> { }
                }
            }
            if (!done.isEmpty()) {
                wb.put(store.cfMeta, Keys.META_LAST_TS, Keys.longBytes(lastTs));
                if (schemaChanged) {
                    wb.put(store.cfMeta, Keys.META_NEXT_COLL_ID, Keys.longBytes(store.nextCollId.get()));
                    wb.put(store.cfMeta, Keys.META_NEXT_INDEX_ID, Keys.longBytes(store.nextIndexId.get()));
                }
            }
            if (!done.isEmpty()) {
                group = new ArrayList<>(done.size());
                for (Done d : done) group.add(new CommittedTxn(d.ts(), d.records(), d.work().writes().schemaNames));
                // Listeners may start on the records (routing, deriving, encoding) while the write syncs.
                store.changeLog.preparing(group);
            }
            if (wb.count() > 0) {
                // Transactions that take their snapshot while this write becomes visible must not use
                // the shared schema definitions (SchemaCache).
                if (schemaChanged) store.schemaCache.schemaWriteStarting();
                try {
                    write(wb, done.isEmpty() ? null : lastTs);
                } finally {
                    if (schemaChanged) store.schemaCache.schemaWriteFinished();
                }
            }
        } catch (RocksDBException | RuntimeException | Error e) { // (an Error too: the listeners must hear the outcome)
            log.error("group commit of {} transactions failed", batch.size(), e);
            if (group != null) store.changeLog.abandoned(group);
            StorageException se = new StorageException("commit failed: " + e.getMessage(), e);
            // None of the batch happened, including work not reached when the failure came: every work
            // fails (a future completed already, by a conflict, stays as it is), and the conflict
            // bookkeeping forgets its writes. The ts handed out stay used: ts never repeat.
            for (Work w : batch) {
                switch (w) {
                    case CommitWork c -> {
                        store.unpin(c.pin());
                        tracker.forget(c.writes(), store.lastCommittedTs);
                        c.future().completeExceptionally(se);
                    }
                    case MaintenanceWork m -> m.future().completeExceptionally(se);
                    case Stop s -> { }
                }
            }
            return;
        }
        if (!done.isEmpty()) {
            store.lastCommittedTs = lastTs;
            committed += done.size();
            batches++;
            if (done.size() > maxBatch) maxBatch = done.size();
        }
        for (MaintenanceWork m : maintenance) {
            try {
                m.afterWrite().run();
                m.future().complete(null);
            } catch (RuntimeException e) {
                m.future().completeExceptionally(e);
            }
        }
        // Listeners first: when a commit's future completes, every listener has seen it.
        if (group != null) store.changeLog.deliver(group);
        for (Done d : done) d.work().future().complete(d.ts());
        maybePrune(prevTs != lastTs);
    }

    /** Writes with sync; registers the batch's end sequence number first (see class javadoc). */
    private void write(WriteBatch wb, Long batchTs) throws RocksDBException {
        long predicted = store.db.getLatestSequenceNumber() + wb.count();
        if (batchTs != null) store.seqToTs.put(predicted, batchTs);
        try {
            store.db.write(store.syncWrite, wb);
        } catch (RocksDBException | RuntimeException e) {
            if (batchTs != null) store.seqToTs.remove(predicted, batchTs);
            throw e;
        }
        long actual = store.db.getLatestSequenceNumber();
        if (actual != predicted && batchTs != null) {
            // Cannot happen while this thread is the only writer; keep the map correct regardless.
            log.error("sequence number {} after write, expected {}", actual, predicted);
            store.seqToTs.remove(predicted, batchTs);
            store.seqToTs.put(actual, batchTs);
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private List<ChangeRecord> writeTxn(WriteBatch wb, TxnWrites w, long ts) throws RocksDBException {
        for (TxnWrites.Op op : w.ops.values()) {
            ColumnFamilyHandle cf = store.handle(op.cf());
            if (op.value() == null) wb.delete(cf, op.key());
            else {
                // In place: the array is this transaction's own (the change record below reads it too).
                if (op.tsHeader()) Keys.patchTs(op.value(), ts);
                wb.put(cf, op.key(), op.value());
            }
        }
        for (TxnWrites.RangeDelete r : w.ranges) wb.deleteRange(store.handle(r.cf()), r.from(), r.to());
        List<ChangeRecord> records = new ArrayList<>();
        int ordinal = 0;
        String prefixColl = null;
        byte[] collPrefix = null;
        for (TxnWrites.DocChange c : w.docs.values()) {
            if (c.silent || (c.before == null && c.after == null)) continue;
            ChangeOp op = c.before == null ? ChangeOp.CREATE : c.after == null ? ChangeOp.DELETE : ChangeOp.UPDATE;
            String id = Long.toString(c.docId);
            DocumentValue after = c.after == null ? null : new DocumentValue(c.coll, id, ts, c.after.data());
            DocumentValue before = c.before == null ? null : new DocumentValue(c.coll, id, c.before.ts(), c.before.data());
            ChangeRecord rec = new ChangeRecord(ts, ordinal, c.coll, c.collId, id, op, before, after, 0);
            byte[] encoded = ChangeRecordCodec.encode(rec, c.afterStored);
            if (after != null && c.afterStored != null && after.data().storedForm() == null) {
                // The record ends with the stored document (ts, then data): renderers can copy from it.
                // (Data written by a query usually knows its encoding already: the write set's bytes.)
                int dataLength = c.afterStored.length - Keys.TS_HEADER;
                after = new DocumentValue(c.coll, id, ts,
                        after.data().withStoredForm(new StoredForm(encoded, encoded.length - dataLength, dataLength)));
            }
            rec = new ChangeRecord(ts, ordinal, c.coll, c.collId, id, op, before, after, encoded.length);
            byte[] logKey = Keys.logKey(ts, ordinal);
            wb.put(store.cfLog, logKey, encoded);
            if (!c.coll.equals(prefixColl)) {
                prefixColl = c.coll;
                collPrefix = Keys.logCollPrefix(c.coll.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            wb.put(store.cfLogByColl, Keys.logCollKey(collPrefix, logKey), EMPTY);
            records.add(rec);
            ordinal++;
        }
        return List.copyOf(records);
    }

    /**
     * Forgets conflict bookkeeping no open transaction needs. Runs when the tracker has grown since
     * the last pruning, so its cost stays proportional to the writes.
     */
    private void maybePrune(boolean committedSomething) {
        if (!committedSomething) return;
        batchesSincePrune++;
        // seqToTs grows by one entry per batch even when the same keys are written again and again.
        if (tracker.size() < 2 * sizeAfterPrune + 1024 && batchesSincePrune < 1024) return;
        batchesSincePrune = 0;
        long horizon = store.pruneHorizon();
        tracker.prune(horizon);
        store.pruneSeqMap(horizon);
        if (tracker.size() > TRACKER_CAP) {
            log.warn("conflict tracker over {} entries (a transaction left open?); older snapshots will conflict",
                    TRACKER_CAP);
            tracker.prune(lastTs);
        }
        sizeAfterPrune = tracker.size();
    }
}
