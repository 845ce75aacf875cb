package io.eddy.core.txn;

/** A transaction read data that another transaction changed before it committed; it may be retried. */
public final class TransactionConflictException extends RuntimeException {
    public TransactionConflictException(String message) {
        super(message, null, false, false);
    }
}
