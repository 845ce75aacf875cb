package io.eddy.core.changelog;

import io.eddy.core.value.DocumentValue;

/**
 * One change-log record: the net effect of one transaction on one document. Records are ordered by
 * ({@code txnTs}, {@code ordinal}); the ordinal numbers the documents a transaction wrote, from 0.
 *
 * @param before the version before the transaction, or null for a create
 * @param after the version the transaction left, or null for a delete
 * @param storedBytes the size of the record in the change log (both versions): what reading it costs,
 *     reported in event stats as {@code storage_bytes_read}
 */
public record ChangeRecord(long txnTs, int ordinal, String coll, long collId, String id, ChangeOp op,
                           DocumentValue before, DocumentValue after, int storedBytes) {
    public LogPosition position() { return new LogPosition(txnTs, ordinal); }

    /** This record with its stored size, once encoded. */
    public ChangeRecord withStoredBytes(int bytes) {
        return new ChangeRecord(txnTs, ordinal, coll, collId, id, op, before, after, bytes);
    }
}
