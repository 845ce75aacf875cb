package io.eddy.core.storage;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.changelog.CommittedTxn;
import io.eddy.core.changelog.LogPosition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rocksdb.RocksDBException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change log in the {@code changelog} column family, keyed by {@code (txnTs, ordinal)}, with each
 * collection's records listed in {@code changelog_by_coll} (written in the same batch). Reads see
 * every durable record (possibly slightly ahead of listener delivery, which follows the write);
 * listeners are called by the committer thread before each batch's write ({@code preparing}) and
 * after it is durable and visible ({@code committed}), in commit order.
 */
final class RocksChangeLog implements ChangeLog {
    private static final Logger log = LoggerFactory.getLogger(RocksChangeLog.class);
    private final RocksStore store;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();

    RocksChangeLog(RocksStore store) {
        this.store = store;
    }

    /**
     * Reads the collection's records in runs, at one snapshot: its entries in {@code changelog_by_coll}
     * say where its next record is, the log is read from there for as long as the records that follow
     * are the collection's too (a busy collection: a sequential read of the log), and the first record
     * of another collection sends the read back to the entries, which skip the others' run whatever its
     * length (a quiet collection: a seek per run). The cost follows the collection's own records, not
     * everything the log holds in the window.
     */
    @Override
    public CollectionPage readCollection(LogPosition after, String coll, long horizonTs, int limit) {
        byte[] name = coll.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = Keys.logCollPrefix(name);
        List<ChangeRecord> out = new ArrayList<>();
        LogPosition last = after;
        boolean exhausted = true;
        store.lifecycle.readLock().lock();
        try {
            if (store.closed) throw new IllegalStateException("The store is closed.");
            Snapshot snapshot = store.db.getSnapshot();
            // A change-log read is a scan: each block is read once, in order. Its blocks are not put in
            // the shared block cache (RocksDB's advice for bulk scans), where they would push out the
            // documents' and indexes' blocks that point reads use again; blocks already there are used.
            try (ReadOptions at = new ReadOptions().setSnapshot(snapshot).setFillCache(false);
                 RocksIterator entries = store.db.newIterator(store.cfLogByColl, at);
                 RocksIterator records = store.db.newIterator(store.cfLog, at)) {
                int examined = 0;
                byte[] entry = new byte[prefix.length + Keys.LOG_KEY_BYTES];
                byte[] key = new byte[Keys.LOG_KEY_BYTES];
                byte[] found = new byte[Keys.LOG_KEY_BYTES];
                runs:
                while (true) {
                    entries.seek(Keys.logCollKey(prefix, startKey(last)));
                    if (!entries.isValid() || entries.key(entry) != entry.length
                            || !Arrays.equals(entry, 0, prefix.length, prefix, 0, prefix.length)) {
                        break; // no more of the collection's entries
                    }
                    System.arraycopy(entry, prefix.length, key, 0, Keys.LOG_KEY_BYTES);
                    if (Keys.logTsOf(key) > horizonTs) break;
                    records.seek(key);
                    if (!records.isValid() || records.key(found) != found.length || !Arrays.equals(found, key)) {
                        throw new StorageException("change-log entry of " + coll + " without its record at "
                                + Keys.logTsOf(key) + "/" + Keys.logOrdinalOf(key), null);
                    }
                    byte[] value = records.value();
                    while (true) { // a run of the collection's records
                        if (examined == limit) {
                            exhausted = false;
                            break runs;
                        }
                        examined++;
                        out.add(ChangeRecordCodec.decode(key, value, coll, name));
                        last = new LogPosition(Keys.logTsOf(key), Keys.logOrdinalOf(key));
                        records.next();
                        if (!records.isValid()) break runs;
                        if (records.key(key) != key.length) throw new StorageException("bad change-log key", null);
                        if (Keys.logTsOf(key) > horizonTs) break runs;
                        value = records.value();
                        if (!ChangeRecordCodec.isOf(value, value.length, name)) break; // another collection's
                    }
                }
                entries.status();
                records.status();
            } finally {
                store.db.releaseSnapshot(snapshot);
            }
        } catch (RocksDBException e) {
            throw new StorageException("change log read failed", e);
        } finally {
            store.lifecycle.readLock().unlock();
        }
        if (exhausted && horizonTs != Long.MAX_VALUE && (last == null || last.compareTo(LogPosition.endOf(horizonTs)) < 0)) {
            // Every record up to the horizon has been accounted for, this collection's and the others'.
            last = LogPosition.endOf(horizonTs);
        }
        return new CollectionPage(out, last, exhausted);
    }

    /**
     * The collection prefixes present in {@code changelog_by_coll} (collections written in the retained
     * window, deleted ones included), found by seeking past each one's entries.
     */
    static List<byte[]> collectionPrefixes(RocksStore store) {
        List<byte[]> prefixes = new ArrayList<>();
        byte[] pastEveryKey = new byte[Keys.LOG_KEY_BYTES];
        Arrays.fill(pastEveryKey, (byte) 0xFF);
        try (RocksIterator it = store.db.newIterator(store.cfLogByColl)) {
            it.seekToFirst();
            while (it.isValid()) {
                byte[] key = it.key();
                byte[] prefix = Arrays.copyOf(key, Keys.logCollPrefixLength(key));
                prefixes.add(prefix);
                it.seek(Keys.logCollKey(prefix, pastEveryKey));
                if (it.isValid() && Arrays.equals(it.key(), 0, prefix.length, prefix, 0, prefix.length)) it.next();
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StorageException("change log read failed", e);
        }
        return prefixes;
    }

    /** Builds {@code changelog_by_coll} from the log (a store of format 2 has none). */
    static void buildCollectionIndex(RocksStore store) throws RocksDBException {
        long entries = 0;
        try (RocksIterator it = store.db.newIterator(store.cfLog);
             WriteOptions sync = new WriteOptions().setSync(true)) {
            WriteBatch wb = new WriteBatch();
            try {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] prefix = Keys.logCollPrefix(ChangeRecordCodec.collUtf8(it.value()));
                    wb.put(store.cfLogByColl, Keys.logCollKey(prefix, it.key()), new byte[0]);
                    if (++entries % 10_000 == 0) {
                        store.db.write(sync, wb);
                        wb.close();
                        wb = new WriteBatch();
                    }
                }
                it.status();
                store.db.write(sync, wb);
            } finally {
                wb.close();
            }
        }
        log.info("indexed {} change-log records by collection (store format 2 -> 3)", entries);
    }


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
    public long retainedFromTs(String coll) {
        return Math.max(store.retainedFromTs, store.retainedFromByColl.getOrDefault(coll, 0L));
    }

    @Override
    public AutoCloseable addListener(CommitListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Committer thread, before the group commit's synced write. */
    void preparing(List<CommittedTxn> group) {
        notifyListeners("preparing", group, l -> l.preparing(group));
    }

    /** Committer thread, once the group commit is durable and visible. */
    void deliver(List<CommittedTxn> group) {
        notifyListeners("committed", group, l -> l.committed(group));
    }

    /** Committer thread, after the write failed. */
    void abandoned(List<CommittedTxn> group) {
        notifyListeners("abandoned", group, l -> l.abandoned(group));
    }

    /** Calls every listener; one that fails is logged and does not keep the others from the group. */
    private void notifyListeners(String call, List<CommittedTxn> group, java.util.function.Consumer<CommitListener> action) {
        for (CommitListener l : listeners) {
            try {
                action.accept(l);
            } catch (RuntimeException e) {
                log.error("change-log listener failed in {} at ts {}", call, group.getFirst().txnTs(), e);
            }
        }
    }
}
