package io.eddy.core.changelog;

import java.util.List;

/**
 * One committed transaction as change-log listeners see it.
 *
 * @param txnTs its commit time (microseconds)
 * @param records its change records in ordinal order; empty for a transaction that wrote no documents
 */
public record CommittedTxn(long txnTs, List<ChangeRecord> records) {
    public CommittedTxn {
        records = List.copyOf(records);
    }
}
