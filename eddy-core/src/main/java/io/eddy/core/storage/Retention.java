package io.eddy.core.storage;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.Scan;
import io.eddy.core.txn.TransactionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background upkeep, run every minute on its own thread (TTL purges every tenth run), and directly by
 * tests:
 * <ul>
 *   <li>Change-log retention: history is kept for {@code max(minHistoryRetention, every collection's
 *       history_days)}; older records are removed by one range delete submitted through the committer,
 *       which also persists the new {@code retained_from} horizon in the same batch.</li>
 *   <li>TTL purge: documents whose {@code ttl} has passed are deleted (with their index entries) by
 *       ordinary internal transactions that write no change-log record; such documents are already
 *       invisible to every snapshot, so removing them changes nothing observable.</li>
 * </ul>
 */
final class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final int PURGE_BATCH = 1000;
    static final int MAX_PURGE_PER_RUN = 100_000;
    private static final int PURGE_EVERY_RUNS = 10;
    private final RocksStore store;

    Retention(RocksStore store) {
        this.store = store;
    }

    /** Runs of the scheduled task; TTL purges (a scan of every document) run on every tenth. */
    private int runs;

    void runSafely() {
        try {
            expireHistory();
            if (runs++ % PURGE_EVERY_RUNS == 0) purgeExpired();
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
            b.put(store.cfMeta, Keys.META_RETAINED_FROM, Keys.longBytes(horizon));
        }, () -> store.retainedFromTs = horizon).join();
        log.debug("change log retained from {}", horizon);
    }

    /** Deletes expired documents (at most {@link #MAX_PURGE_PER_RUN} per collection); returns how many. */
    int purgeExpired() {
        int purged = 0;
        List<String> names;
        try (RocksTransaction t = (RocksTransaction) store.begin()) {
            names = List.copyOf(t.collections().keySet());
        }
        for (String name : names) {
            List<Long> expired = new ArrayList<>();
            try (RocksTransaction t = (RocksTransaction) store.begin()) {
                CollectionDef c = t.collection(name);
                if (c == null) continue;
                try (Scan<RocksTransaction.Stored> s = t.scanStored(c, null)) {
                    for (RocksTransaction.Stored d; expired.size() < MAX_PURGE_PER_RUN && (d = s.next()) != null; ) {
                        if (d.expired()) expired.add(d.docId());
                    }
                }
            }
            for (int i = 0; i < expired.size(); i += PURGE_BATCH) {
                if (Thread.currentThread().isInterrupted()) return purged;
                try (RocksTransaction t = (RocksTransaction) store.begin()) {
                    CollectionDef c = t.collection(name); // the current definition: its indexes are maintained
                    if (c == null) break;
                    int n = 0;
                    for (long id : expired.subList(i, Math.min(expired.size(), i + PURGE_BATCH))) {
                        if (t.purge(c, id)) n++;
                    }
                    if (n > 0) {
                        store.commit(t).join();
                        purged += n;
                    }
                } catch (CompletionException e) {
                    if (!(e.getCause() instanceof TransactionConflictException)) throw e;
                    // a concurrent change to one of them; the next run retries
                }
            }
        }
        if (purged > 0) log.info("purged {} expired documents", purged);
        return purged;
    }
}
