package io.eddy.core.storage;

import io.eddy.core.txn.Scan;
import java.util.Arrays;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A forward scan over {@code [lower, upper)} of one column family, reading the transaction's snapshot
 * merged with its own writes. The iterator is re-created (and re-positioned just after the last key
 * returned) whenever the transaction has written since it was created, because an iterator over a
 * WriteBatchWithIndex is not guaranteed to stay valid across modifications of the batch.
 */
final class OverlayScan<T> implements Scan<T> {
    /** Turns an entry into a result, or null to skip it. */
    @FunctionalInterface
    interface Mapper<T> {
        T map(byte[] key, byte[] value);
    }

    private final RocksTransaction txn;
    private final TxnWrites.Cf cf;
    private final byte[] lower;
    private final boolean lowerExclusive;
    private final byte[] upper;
    private final Mapper<T> mapper;
    private RocksIterator it;
    private int itMod;
    private byte[] lastKey;
    private boolean done;

    OverlayScan(RocksTransaction txn, TxnWrites.Cf cf, byte[] lower, boolean lowerExclusive, byte[] upper, Mapper<T> mapper) {
        this.txn = txn;
        this.cf = cf;
        this.lower = lower;
        this.lowerExclusive = lowerExclusive;
        this.upper = upper;
        this.mapper = mapper;
    }

    @Override
    public T next() {
        txn.lockShared();
        try {
            if (done) return null;
            txn.checkOpen();
            while (true) {
                if (it == null || itMod != txn.modCount) reposition();
                if (!it.isValid()) {
                    it.status();
                    release();
                    return null;
                }
                byte[] k = it.key();
                if (upper != null && Arrays.compareUnsigned(k, upper) >= 0) {
                    release();
                    return null;
                }
                byte[] v = it.value();
                lastKey = k;
                it.next();
                T t = mapper.map(k, v);
                if (t != null) return t;
            }
        } catch (RocksDBException e) {
            throw new StorageException("scan failed", e);
        } finally {
            txn.unlockShared();
        }
    }

    private void reposition() {
        if (it != null) it.close();
        it = txn.newIterator(cf);
        itMod = txn.modCount;
        byte[] target = lastKey != null ? lastKey : lower;
        it.seek(target);
        if ((lastKey != null || lowerExclusive) && it.isValid() && Arrays.equals(it.key(), target)) it.next();
    }

    /** Frees the iterator; the scan returns null from now on. */
    void release() {
        done = true;
        if (it != null) {
            it.close();
            it = null;
        }
        txn.scanClosed(this);
    }

    @Override
    public void close() {
        txn.lockShared();
        try {
            if (!done) release();
        } finally {
            txn.unlockShared();
        }
    }
}
