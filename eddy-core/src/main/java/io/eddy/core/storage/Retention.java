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
 *   <li>Change-log retention: each collection's history is kept for {@code max(minHistoryRetention,
 *       its history_days)}. Records older than the longest-lived collection's horizon go with one range
 *       delete; a collection kept for less also loses its records up to its own horizon (point deletes
 *       found through its {@code changelog_by_coll} entries). Submitted through the committer with the
 *       new horizons ({@code retained_from}, {@code retained_from/<collection>}) in the same batch.</li>
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

    /**
     * What the schema asks for now: the global horizon (the longest-lived collection's) and, per
     * collection name, how long it keeps its history ({@code max(minHistoryRetention, history_days)};
     * names no collection has now — deleted or renamed ones — keep the minimum).
     */
    private record Plan(Instant now, Duration min, Map<String, Duration> keep, long global) {
        long horizonOf(String coll) {
            return cutoff(now, keep.getOrDefault(coll, min));
        }
    }

    private Plan plan() {
        Duration min = store.config.minHistoryRetention();
        Duration longest = min;
        Map<String, Duration> keep = new HashMap<>();
        try (RocksTransaction t = (RocksTransaction) store.begin()) {
            for (CollectionDef c : t.collections().values()) {
                Duration d = Duration.ofDays(Math.max(0, c.historyDays()));
                Duration k = d.compareTo(min) > 0 ? d : min;
                keep.put(c.name(), k);
                if (k.compareTo(longest) > 0) longest = k;
            }
        }
        Instant now = store.config.clock().instant();
        return new Plan(now, min, keep, cutoff(now, longest));
    }

    private static long cutoff(Instant now, Duration keep) {
        return micros(now) - Math.min(keep.toNanos() / 1000, micros(now));
    }

    private static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    /** At most this many records of one collection are removed ahead of the global horizon per run. */
    static final int MAX_COLLECTION_RECORDS_PER_RUN = 100_000;

    /**
     * One collection's history to remove ahead of the global horizon: its records in the log (point
     * deletes: other collections' records lie between them) and its entries before {@code to}.
     */
    private record CollectionCut(byte[] prefix, String coll, long to, List<byte[]> logKeys) {}

    /**
     * Removes history past its retention. Every collection's records before the global horizon (the
     * longest-lived collection's) go with one range delete of the log and of each collection's entries;
     * a collection that keeps less history also loses its records between the global horizon and its
     * own, found through its entries. Both, with the new horizons, in one write through the committer.
     */
    void expireHistory() {
        expireHistory(MAX_COLLECTION_RECORDS_PER_RUN);
    }

    /** {@link #expireHistory()} removing at most {@code maxCollectionRecords} records of each collection ahead of the global horizon. */
    void expireHistory(int maxCollectionRecords) {
        Plan plan = plan();
        long global = plan.global();
        List<CollectionCut> cuts = new ArrayList<>();
        List<byte[]> prefixes = RocksChangeLog.collectionPrefixes(store);
        for (byte[] prefix : prefixes) {
            String coll = Keys.collOfLogCollPrefix(prefix);
            long want = plan.horizonOf(coll);
            long have = Math.max(Math.max(global, store.retainedFromTs), store.retainedFromByColl.getOrDefault(coll, 0L));
            if (want > have) cuts.add(cut(prefix, coll, have, want, maxCollectionRecords));
        }
        boolean globalMoves = global > store.retainedFromTs;
        if (!globalMoves && cuts.isEmpty()) return;
        store.submitMaintenance(b -> {
            if (globalMoves) {
                b.deleteRange(store.cfLog, Keys.logKey(0, 0), Keys.logKey(global, 0));
                for (byte[] prefix : prefixes) {
                    b.deleteRange(store.cfLogByColl, Keys.logCollKey(prefix, Keys.logKey(0, 0)),
                            Keys.logCollKey(prefix, Keys.logKey(global, 0)));
                }
                b.put(store.cfMeta, Keys.META_RETAINED_FROM, Keys.longBytes(global));
            }
            for (CollectionCut c : cuts) {
                for (byte[] key : c.logKeys()) b.delete(store.cfLog, key);
                b.deleteRange(store.cfLogByColl, Keys.logCollKey(c.prefix(), Keys.logKey(0, 0)),
                        Keys.logCollKey(c.prefix(), Keys.logKey(c.to(), 0)));
                b.put(store.cfMeta, Keys.retainedFromCollKey(c.prefix()), Keys.longBytes(c.to()));
            }
        }, () -> {
            if (globalMoves) store.retainedFromTs = global;
            for (CollectionCut c : cuts) store.retainedFromByColl.put(c.coll(), c.to());
        }).join();
        log.debug("change log retained from {} ({} collections retained for less)", global, cuts.size());
    }

    /**
     * The records of the collection with entries under {@code prefix} in {@code [from, to)}, at most
     * {@code max} of them (then {@code to} moves back to the first commit left whole). History that old
     * is no longer written, so reading it before the write is safe.
     */
    private CollectionCut cut(byte[] prefix, String coll, long from, long to, int max) {
        List<byte[]> keys = new ArrayList<>();
        long lastTs = Long.MIN_VALUE;
        try (RocksIterator it = store.db.newIterator(store.cfLogByColl)) {
            for (it.seek(Keys.logCollKey(prefix, Keys.logKey(from, 0))); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length != prefix.length + Keys.LOG_KEY_BYTES
                        || !java.util.Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) break;
                byte[] logKey = java.util.Arrays.copyOfRange(k, prefix.length, k.length);
                long ts = Keys.logTsOf(logKey);
                if (ts >= to) break;
                if (keys.size() >= max && ts != lastTs) {
                    to = ts; // the rest next run; a commit's records go together
                    break;
                }
                keys.add(logKey);
                lastTs = ts;
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StorageException("change log read failed", e);
        }
        return new CollectionCut(prefix, coll, to, keys);
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
