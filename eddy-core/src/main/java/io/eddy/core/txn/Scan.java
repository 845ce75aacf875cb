package io.eddy.core.txn;

/**
 * A forward cursor over a range of storage, read at the transaction's snapshot merged with the
 * transaction's own writes. Must be closed; {@link #next()} returns null at the end.
 */
public interface Scan<T> extends AutoCloseable {
    T next();

    @Override
    void close();
}
