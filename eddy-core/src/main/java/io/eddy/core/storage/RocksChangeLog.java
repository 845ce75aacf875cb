package io.eddy.core.storage;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.changelog.CommittedTxn;
import io.eddy.core.changelog.LogPosition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change log in the {@code changelog} column family, keyed by {@code (txnTs, ordinal)}. Reads see
 * every durable record (possibly slightly ahead of listener delivery, which follows the write);
 * listeners are called by the committer thread after each batch is durable and visible, in commit
 * order.
 */
final class RocksChangeLog implements ChangeLog {
    private static final Logger log = LoggerFactory.getLogger(RocksChangeLog.class);
    private final RocksStore store;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();

    RocksChangeLog(RocksStore store) {
        this.store = store;
    }

    @Override
    public CollectionPage readCollection(LogPosition after, String coll, long horizonTs, int limit) {
        byte[] name = coll.getBytes(StandardCharsets.UTF_8);
        List<ChangeRecord> out = new ArrayList<>();
        LogPosition last = after;
        boolean exhausted = true;
        store.lifecycle.readLock().lock();
        try {
            if (store.closed) throw new IllegalStateException("The store is closed.");
            try (RocksIterator it = store.db.newIterator(store.cfLog)) {
                int examined = 0;
                // Past a record of another collection, the next record's head (op, collection name) is
                // copied into a reused buffer, and only a match's whole value is fetched; past a match,
                // the whole value is fetched at once (records of one collection come in runs).
                byte[] key = new byte[LOG_KEY_BYTES];
                byte[] head = new byte[RECORD_HEAD_BYTES];
                boolean lastMatched = true;
                for (it.seek(startKey(after)); it.isValid(); it.next()) {
                    if (it.key(key) != LOG_KEY_BYTES) throw new StorageException("bad change-log key", null);
                    if (Keys.logTsOf(key) > horizonTs) break;
                    if (examined == limit) {
                        exhausted = false;
                        break;
                    }
                    examined++;
                    boolean of;
                    if (lastMatched) {
                        byte[] value = it.value();
                        of = ChangeRecordCodec.isOf(value, value.length, name);
                        if (of) out.add(ChangeRecordCodec.decode(key.clone(), value));
                    } else {
                        int length = it.value(head);
                        Boolean headOf = ChangeRecordCodec.isOf(head, Math.min(length, head.length), name);
                        of = headOf != null ? headOf : ChangeRecordCodec.isOf(it.value(), length, name); // a long name
                        if (of) out.add(ChangeRecordCodec.decode(key.clone(), it.value()));
                    }
                    lastMatched = of;
                    last = new LogPosition(Keys.logTsOf(key), Keys.logOrdinalOf(key));
                }
                it.status();
            }
        } catch (RocksDBException e) {
            throw new StorageException("change log read failed", e);
        } finally {
            store.lifecycle.readLock().unlock();
        }
        return new CollectionPage(out, last, exhausted);
    }

    /** Change-log keys: txnTs(8) ordinal(4). */
    private static final int LOG_KEY_BYTES = 12;
    /** Enough of a record to hold its op and the collection names in use (longer ones are read whole). */
    private static final int RECORD_HEAD_BYTES = 96;

    private static byte[] startKey(LogPosition after) {
        if (after == null || after.txnTs() < 0) return Keys.logKey(0, 0);
        if (after.ordinal() == Integer.MAX_VALUE) return Keys.logKey(after.txnTs() + 1, 0);
        return Keys.logKey(after.txnTs(), Math.max(0, after.ordinal() + 1));
    }

    @Override
    public List<ChangeRecord> read(LogPosition after, int limit) {
        if (limit <= 0) return List.of();
        byte[] start = startKey(after);
        List<ChangeRecord> out = new ArrayList<>(Math.min(limit, 1024));
        store.lifecycle.readLock().lock();
        try {
            if (store.closed) throw new IllegalStateException("The store is closed.");
            try (RocksIterator it = store.db.newIterator(store.cfLog)) {
                for (it.seek(start); it.isValid() && out.size() < limit; it.next()) {
                    out.add(ChangeRecordCodec.decode(it.key(), it.value()));
                }
                it.status();
            }
        } catch (RocksDBException e) {
            throw new StorageException("change log read failed", e);
        } finally {
            store.lifecycle.readLock().unlock();
        }
        return out;
    }

    @Override
    public long retainedFromTs() {
        return store.retainedFromTs;
    }

    @Override
    public AutoCloseable addListener(CommitListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Committer thread: the transactions of one group commit. */
    void deliver(List<CommittedTxn> group) {
        for (CommitListener l : listeners) {
            try {
                l.committed(group);
            } catch (RuntimeException e) {
                log.error("change-log listener failed at ts {}", group.getFirst().txnTs(), e);
            }
        }
    }
}
