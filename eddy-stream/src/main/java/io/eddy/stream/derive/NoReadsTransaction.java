package io.eddy.stream.derive;

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
 * The transaction of a derivation whose result must not depend on when it runs: every call that would
 * touch the store throws {@link ReadAttempted}, and the caller derives again the ordinary way. Most
 * stream sources never read (a filter or projection over the changed document), so their events are a
 * function of the change record alone. Two users: the live dispatcher derives a commit while its write
 * is still syncing (its records are not visible yet, so a read would see the database without them),
 * and a feed's read-ahead derives the next page before it is asked for (a read would see the database
 * as of the read-ahead, not as of the request).
 */
public final class NoReadsTransaction implements Transaction {
    public static final NoReadsTransaction INSTANCE = new NoReadsTransaction();

    /** A derivation asked the store for something; thrown without a stack trace (it is control flow). */
    public static final class ReadAttempted extends RuntimeException {
        static final ReadAttempted INSTANCE = new ReadAttempted();

        private ReadAttempted() {
            super("a derivation read the store where it must not", null, false, false);
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
