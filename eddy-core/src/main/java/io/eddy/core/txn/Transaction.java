package io.eddy.core.txn;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.Value;
import java.util.List;
import java.util.Map;

/**
 * One FQL query's transaction: reads a consistent snapshot, buffers its writes, and is committed whole
 * or not at all by {@code Store.commit}. Reads see the transaction's own earlier writes.
 *
 * <p>Serializability: every read is recorded (documents by id, collections scanned, schema entries
 * consulted). At commit the store rejects the transaction with {@link TransactionConflictException} if
 * anything it read was written by a transaction that committed after this snapshot.
 *
 * <p>Documents whose {@code ttl} field is a time at or before the snapshot time are invisible.
 * Documents written by this transaction carry {@link DocumentValue#PENDING_TS} as their {@code ts}.
 *
 * <p>Not thread-safe: one query evaluates on one thread.
 */
public interface Transaction extends AutoCloseable {

    /** The commit time (microseconds) of the last transaction visible to this snapshot. */
    long snapshotTs();

    /** The collections visible to this transaction, including its own schema changes, by name. */
    Map<String, CollectionDef> collections();

    /** The named collection, or null; records a read of its definition. */
    CollectionDef collection(String name);

    /** The live document, or null if there is none (never created, deleted, or expired). */
    DocumentValue get(CollectionDef coll, String id);

    /** All live documents of the collection in id order (numeric order), after {@code afterId} if not null. */
    Scan<DocumentValue> scan(CollectionDef coll, String afterId);

    /**
     * Entries of an index whose terms equal {@code terms}, in index order (values with their declared
     * order, then document id), restricted to values {@code >= from} and {@code <= to} (each a prefix of
     * the values, compared in index order, or null for unbounded), continuing after {@code after}
     * (a position from an earlier entry, or null).
     */
    Scan<IndexEntry> scanIndex(CollectionDef coll, IndexDef index, List<Value> terms,
                               List<Value> from, List<Value> to, byte[] after);

    /**
     * Creates a document. {@code id} null means a new unique id. Throws
     * {@link DocumentExistsException} if a live document has that id.
     */
    DocumentValue create(CollectionDef coll, String id, ObjectValue data);

    /** Replaces the document's fields; the document must exist. Returns the new version. */
    DocumentValue replace(CollectionDef coll, String id, ObjectValue data);

    /** Deletes the document; it must exist. Returns the version deleted. */
    DocumentValue delete(CollectionDef coll, String id);

    /** Creates a collection; the name must be free. Indexes of a new collection start empty. */
    CollectionDef createCollection(CollectionSpec spec);

    /**
     * Changes a collection's definition (possibly its name). Added indexes are built from the documents
     * already in the collection within this transaction; removed indexes' entries are deleted.
     */
    CollectionDef updateCollection(String name, CollectionSpec spec);

    /** Deletes a collection with all its documents and index entries. */
    void deleteCollection(String name);

    /** A new unique 64-bit document id, as a decimal string. */
    String newId();

    /** Whether this transaction has written anything. Read-only transactions need no commit. */
    boolean hasWrites();

    /** Releases the snapshot; a transaction that is not committed is discarded. */
    @Override
    void close();
}
