package io.eddy.core.storage;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.Scan;
import io.eddy.core.txn.TransactionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background upkeep, run every minute on its own thread, and directly by
 * tests:
 * <ul>
 *   <li>Change-log retention: history is kept for {@code max(minHistoryRetention, every collection's
 *       history_days)}; older records are removed by one range delete submitted through the committer,
 *       which also persists the new {@code retained_from} horizon in the same batch.</li>
 *   <li>TTL purge: documents whose {@code ttl} has passed are deleted (with their index and expiry
 *       entries) by ordinary internal transactions that write no change-log record; such documents are
 *       already invisible to every snapshot, so removing them changes nothing observable. They are
 *       found through the expiry family (ttl, collection, id), written with the documents.</li>
 * </ul>
 */
final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final int PURGE_BATCH = 1000;
    static final int MAX_PURGE_PER_RUN = 100_000;
    private final RocksStore store;

    Retention(RocksStore store) {
        this.store = store;
    }

    void runSafely() {
        try {
            expireHistory();
            purgeExpired();
        } catch (RuntimeException e) {
            if (!store.closed) log.warn("retention run failed", e);
        }
    }

    /** One full run: expire change-log history, then purge expired documents. */
    void run() {
        expireHistory();
        purgeExpired();
    }

    /** The ts below which history may go, from the clock and the committed schema. */
    long horizon() {
        Duration keep = store.config.minHistoryRetention();
        try (RocksTransaction t = (RocksTransaction) store.begin()) {
            for (CollectionDef c : t.collections().values()) {
                Duration d = Duration.ofDays(Math.max(0, c.historyDays()));
                if (d.compareTo(keep) > 0) keep = d;
            }
        }
        Instant now = store.config.clock().instant();
        return micros(now) - Math.min(keep.toNanos() / 1000, micros(now));
    }

    private static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    void expireHistory() {
        long horizon = horizon();
        if (horizon <= store.retainedFromTs) return;
        store.submitMaintenance(b -> {
            b.deleteRange(store.cfLog, Keys.logKey(0, 0), Keys.logKey(horizon, 0));
            for (byte[] prefix : RocksChangeLog.collectionPrefixes(store)) {
                b.deleteRange(store.cfLogByColl, Keys.logCollKey(prefix, Keys.logKey(0, 0)),
                        Keys.logCollKey(prefix, Keys.logKey(horizon, 0)));
            }
            b.put(store.cfMeta, Keys.META_RETAINED_FROM, Keys.longBytes(horizon));
        }, () -> store.retainedFromTs = horizon).join();
        log.debug("change log retained from {}", horizon);
    }

    /**
     * Deletes documents whose {@code ttl} has passed (at most {@link #MAX_PURGE_PER_RUN} per run);
     * returns how many. Reads only the expiry entries that are due, so its cost follows the expired
     * documents, not the stored ones. An entry whose document or collection is gone (a deleted
     * collection leaves its entries behind) is dropped when it comes due.
     */
    int purgeExpired() {
        int purged = 0;
        byte[] from = new byte[0];
        boolean afterFrom = false;
        while (purged < MAX_PURGE_PER_RUN && !Thread.currentThread().isInterrupted()) {
            List<byte[]> due = new ArrayList<>();
            try (RocksTransaction t = (RocksTransaction) store.begin()) {
                try (Scan<byte[]> s = t.openScan(TxnWrites.Cf.EXPIRY, from, afterFrom, Keys.expiryEnd(t.now), (k, v) -> k)) {
                    for (byte[] k; due.size() < PURGE_BATCH && (k = s.next()) != null; ) due.add(k);
                }
            }
            if (due.isEmpty()) break;
            from = due.getLast();
            afterFrom = true;
            try (RocksTransaction t = (RocksTransaction) store.begin()) {
                Map<Long, CollectionDef> byId = new HashMap<>();
                for (CollectionDef c : t.collections().values()) byId.put(c.collId(), c);
                int n = 0;
                boolean wrote = false;
                for (byte[] key : due) {
                    CollectionDef c = byId.get(Keys.expiryCollIdOf(key));
                    long docId = Keys.expiryDocIdOf(key);
                    if (c != null && t.purge(c, docId)) {
                        n++;
                        wrote = true;
                    } else if (c == null || !t.hasExpiryEntry(c, docId, key)) {
                        t.delete(TxnWrites.Cf.EXPIRY, key); // its document or collection is gone
                        wrote = true;
                    }
                    // else: the document is not expired yet (its ttl is within this microsecond)
                }
                if (wrote) {
                    store.commit(t).join();
                    purged += n;
                }
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof TransactionConflictException)) throw e;
                // a concurrent change to one of them; the next run retries
            }
            if (due.size() < PURGE_BATCH) break;
        }
        if (purged > 0) log.info("purged {} expired documents", purged);
        return purged;
    }

    /**
     * Format 1 to 2: writes the expiry entry of every stored document that has a {@code ttl}, before
     * the store serves anything (the committer has not started).
     */
    static void buildExpiryIndex(RocksStore store) throws RocksDBException {
        long entries = 0;
        try (RocksIterator it = store.db.newIterator(store.cfDocs); WriteBatch wb = new WriteBatch()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                Instant ttl = RocksTransaction.ttlOf(RocksTransaction.decodeData(it.value()));
                if (ttl == null) continue;
                wb.put(store.cfExpiry, Keys.expiryKey(ttl, Keys.readLong(key, 0), Keys.docIdOf(key)), new byte[0]);
                entries++;
            }
            it.status();
            try (WriteOptions sync = new WriteOptions().setSync(true)) {
                store.db.write(sync, wb);
            }
        }
        log.info("built the expiry index of {} documents (store format 1 -> 2)", entries);
    }
}
