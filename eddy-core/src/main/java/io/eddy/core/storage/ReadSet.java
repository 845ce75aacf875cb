package io.eddy.core.storage;

import java.util.HashSet;
import java.util.Set;

/**
 * What a transaction read, for commit-time validation: documents by key, collections scanned (whole
 * collection and index scans, coarse per collection: any later document write in the collection
 * conflicts), schema entries by name, and whether the whole schema was listed.
 */
final class ReadSet {
    final Set<TxnWrites.DocKey> docs = new HashSet<>();
    final Set<Long> colls = new HashSet<>();
    final Set<String> schemaNames = new HashSet<>();
    boolean allSchema;
}
