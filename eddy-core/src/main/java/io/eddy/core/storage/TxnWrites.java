package io.eddy.core.storage;

import io.eddy.core.value.DocumentValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The logical writes of one transaction, from which the committer builds the final batch. The
 * transaction's {@code WriteBatchWithIndex} only serves its own reads; this is the authoritative copy
 * (it also holds what a WriteBatchWithIndex cannot: range deletes, per-document before/after versions).
 *
 * <p>Last write per key wins ({@link #ops}), range deletes are written after the transaction's other
 * operations (a range is only deleted for an index or collection that the same transaction never
 * writes again, so this order is safe), and {@link #docs} keeps documents in first-write order, which
 * is their change-log ordinal order.
 */
final class TxnWrites {
    enum Cf { DOCS, INDEX, SCHEMA, EXPIRY }

    /** A put ({@code value != null}) or delete. Values with {@code tsHeader} get the commit ts patched in. */
    record Op(Cf cf, byte[] key, byte[] value, boolean tsHeader) {}

    record RangeDelete(Cf cf, byte[] from, byte[] to) {}

    /** Key of {@link #ops}: byte arrays compared by content. */
    record OpKey(Cf cf, byte[] key) {
        @Override public boolean equals(Object o) {
            return o instanceof OpKey k && k.cf == cf && Arrays.equals(k.key, key);
        }
        @Override public int hashCode() { return cf.hashCode() * 31 + Arrays.hashCode(key); }
    }

    /** The net change to one document: the version at the snapshot and the latest one written. */
    static final class DocChange {
        final long collId;
        final long docId;
        String coll;
        final DocumentValue before;
        DocumentValue after;
        /**
         * {@link #after} as it is written to the {@code docs} family ({@code ts(8) ValueCodec(data)}, the
         * same array as its {@link Op}'s value, whose ts the committer patches in place): the change
         * record copies it instead of encoding the document again. Null when {@link #after} is.
         */
        byte[] afterStored;
        /** TTL purges: removed without a change-log record. */
        final boolean silent;

        DocChange(long collId, long docId, String coll, DocumentValue before, boolean silent) {
            this.collId = collId;
            this.docId = docId;
            this.coll = coll;
            this.before = before;
            this.silent = silent;
        }
    }

    final Map<OpKey, Op> ops = new LinkedHashMap<>();
    final List<RangeDelete> ranges = new ArrayList<>();
    final Map<DocKey, DocChange> docs = new LinkedHashMap<>();
    /** Collections whose document set changed (for scan conflicts). */
    final Set<Long> touchedColls = new HashSet<>();
    /** Schema entries written (created, changed, renamed from/to, deleted). */
    final Set<String> schemaNames = new HashSet<>();

    void put(Cf cf, byte[] key, byte[] value, boolean tsHeader) {
        ops.put(new OpKey(cf, key), new Op(cf, key, value, tsHeader));
    }

    void delete(Cf cf, byte[] key) {
        ops.put(new OpKey(cf, key), new Op(cf, key, null, false));
    }

    void deleteRange(Cf cf, byte[] from, byte[] to) {
        ranges.add(new RangeDelete(cf, from, to));
    }

    boolean isEmpty() {
        return ops.isEmpty() && ranges.isEmpty() && docs.isEmpty() && schemaNames.isEmpty();
    }

    /** Forgets the document changes of a deleted collection: its documents leave no change records. */
    void dropDocChanges(long collId) {
        docs.values().removeIf(c -> c.collId == collId);
    }

    /** A document by (collection id, document id). */
    record DocKey(long collId, long docId) {}
}
