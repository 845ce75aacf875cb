package io.eddy.core.changelog;

import java.util.List;
import java.util.Set;

/**
 * One committed transaction as change-log listeners see it.
 *
 * @param txnTs its commit time (microseconds)
 * @param records its change records in ordinal order; empty for a transaction that wrote no documents
 * @param schemaChanges the names of the collections whose definitions it created, changed, renamed
 *     (both names) or deleted; empty for most transactions. A definition change has no change record,
 *     so this is how a listener that holds what it resolved against the schema learns it may be stale.
 */
public record CommittedTxn(long txnTs, List<ChangeRecord> records, Set<String> schemaChanges) {
    public CommittedTxn {
        records = List.copyOf(records);
        schemaChanges = schemaChanges.isEmpty() ? Set.of() : Set.copyOf(schemaChanges);
    }

    /** A transaction that changed no collection definition. */
    public CommittedTxn(long txnTs, List<ChangeRecord> records) {
        this(txnTs, records, Set.of());
    }
}
