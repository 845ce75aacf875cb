package io.eddy.stream.live;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.txn.IndexEntry;
import io.eddy.core.txn.Scan;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.Value;
import java.util.List;
import java.util.Map;

/**
 * The transaction of a derivation that runs while its commit is still being written: the records it
 * derives from are not visible yet, so any read would see the database without them. Every call that
 * would touch the store throws {@link ReadAttempted}, and the dispatcher derives that commit again once
 * it is durable. Most stream sources never read (a filter or projection over the changed document).
 */
final class NoReadsTransaction implements Transaction {
    static final NoReadsTransaction INSTANCE = new NoReadsTransaction();

    /** A derivation asked the store for something; thrown without a stack trace (it is control flow). */
    static final class ReadAttempted extends RuntimeException {
        static final ReadAttempted INSTANCE = new ReadAttempted();

        private ReadAttempted() {
            super("a derivation read the store before its commit was visible", null, false, false);
        }
    }

    private NoReadsTransaction() {}

    @Override public long snapshotTs() { throw ReadAttempted.INSTANCE; }
    @Override public Map<String, CollectionDef> collections() { throw ReadAttempted.INSTANCE; }
    @Override public CollectionDef collection(String name) { throw ReadAttempted.INSTANCE; }
    @Override public DocumentValue get(CollectionDef coll, String id) { throw ReadAttempted.INSTANCE; }
    @Override public Scan<DocumentValue> scan(CollectionDef coll, String afterId) { throw ReadAttempted.INSTANCE; }

    @Override
    public Scan<IndexEntry> scanIndex(CollectionDef coll, IndexDef index, List<Value> terms,
                                      List<Value> from, List<Value> to, byte[] after) {
        throw ReadAttempted.INSTANCE;
    }

    @Override public DocumentValue create(CollectionDef coll, String id, ObjectValue data) { throw ReadAttempted.INSTANCE; }
    @Override public DocumentValue replace(CollectionDef coll, String id, ObjectValue data) { throw ReadAttempted.INSTANCE; }
    @Override public DocumentValue delete(CollectionDef coll, String id) { throw ReadAttempted.INSTANCE; }
    @Override public CollectionDef createCollection(CollectionSpec spec) { throw ReadAttempted.INSTANCE; }
    @Override public CollectionDef updateCollection(String name, CollectionSpec spec) { throw ReadAttempted.INSTANCE; }
    @Override public void deleteCollection(String name) { throw ReadAttempted.INSTANCE; }
    @Override public String newId() { throw ReadAttempted.INSTANCE; }
    @Override public boolean hasWrites() { return false; }
    @Override public void close() { }
}
