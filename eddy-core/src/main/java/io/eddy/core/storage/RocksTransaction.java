package io.eddy.core.storage;

import io.eddy.core.codec.ByteReader;
import io.eddy.core.codec.ByteWriter;
import io.eddy.core.codec.CorruptDataException;
import io.eddy.core.codec.KeyCodec;
import io.eddy.core.codec.ValueCodec;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.txn.DocumentExistsException;
import io.eddy.core.txn.DocumentNotFoundException;
import io.eddy.core.txn.IndexEntry;
import io.eddy.core.txn.Scan;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatchWithIndex;

/**
 * A transaction over one RocksDB {@link Snapshot}, with its own writes overlaid by a
 * {@link WriteBatchWithIndex} (reads see them) and mirrored in {@link TxnWrites} (what the committer
 * writes). Reads are recorded in {@link #reads} for validation at commit.
 *
 * <p>Invariants: every stored document has exactly one entry in each index of its collection's
 * current definition (expired documents included, until purged); a document's index entries are
 * changed in the same transaction as the document. Documents written here carry
 * {@link DocumentValue#PENDING_TS}; their stored bytes get the commit ts patched in by the committer.
 *
 * <p>A {@link Scan} is a live view: if the transaction writes while a scan is open, the scan
 * re-positions after the last key it returned and sees writes to later keys. Range deletes (dropped
 * indexes, deleted collections) cannot be overlaid by a WriteBatchWithIndex, so reads of those ranges
 * are cut off by {@link #deletedColls} and {@link #droppedIndexes} instead.
 */
final class RocksTransaction implements Transaction {
    final RocksStore store;
    final Object pin;
    final ReadSet reads = new ReadSet();
    final TxnWrites writes = new TxnWrites();
    final Instant now;
    private final Snapshot snapshot;
    private final ReadOptions readOpts;
    private final long snapshotTs;
    private WriteBatchWithIndex wbwi;
    /** Bumped on every write, so open scans know to re-position. */
    int modCount;
    final Set<Long> deletedColls = new HashSet<>();
    final Set<Integer> droppedIndexes = new HashSet<>();
    /** Definitions this transaction wrote, by collId: a stale CollectionDef argument resolves to these. */
    final Map<Long, CollectionDef> ownDefs = new HashMap<>();
    private final Map<String, Optional<CollectionDef>> schemaCache = new HashMap<>();
    /** The snapshot's schema version in the store's {@link SchemaCache}, or {@link SchemaCache#NONE}. */
    private final long schemaVersion;
    /** Scans not yet closed (released with the transaction); created with the first scan, as most writes scan nothing. */
    private Set<OverlayScan<?>> openScans;
    private final SchemaOps schemaOps = new SchemaOps(this);
    private boolean committed;
    private boolean closed;

    RocksTransaction(RocksStore store, Snapshot snapshot, long snapshotTs, Instant now, Object pin, long schemaVersion) {
        this.store = store;
        this.schemaVersion = schemaVersion;
        this.snapshot = snapshot;
        this.snapshotTs = snapshotTs;
        this.now = now;
        this.pin = pin;
        this.readOpts = new ReadOptions().setSnapshot(snapshot);
    }

    // ---- plumbing -------------------------------------------------------------------------------

    private <T> T locked(Supplier<T> body) {
        store.lifecycle.readLock().lock();
        try {
            checkOpen();
            return body.get();
        } finally {
            store.lifecycle.readLock().unlock();
        }
    }

    void lockShared() { store.lifecycle.readLock().lock(); }

    void unlockShared() { store.lifecycle.readLock().unlock(); }

    void checkOpen() {
        if (closed || store.closed) throw new IllegalStateException("The transaction is closed.");
    }

    private void checkWritable() {
        if (committed) throw new IllegalStateException("The transaction was already committed.");
    }

    /**
     * A point read at the snapshot, seeing this transaction's own writes: those are in {@link #writes}
     * (last write per key), so no native batch is needed for it.
     */
    byte[] rawGet(TxnWrites.Cf cf, byte[] key) {
        if (!writes.ops.isEmpty()) {
            TxnWrites.Op own = writes.ops.get(new TxnWrites.OpKey(cf, key));
            if (own != null) return own.value() == null ? null : own.value().clone();
        }
        try {
            return store.db.get(store.handle(cf), readOpts, key);
        } catch (RocksDBException e) {
            throw new StorageException("read failed", e);
        }
    }

    /**
     * The snapshot merged with this transaction's writes. Caller closes. The native batch that merges
     * them is built from {@link #writes} at the first scan after a write, and kept up to date from then
     * on: most writing transactions (a create, an update by id) never scan after writing, and skip it.
     */
    RocksIterator newIterator(TxnWrites.Cf cf) {
        ColumnFamilyHandle h = store.handle(cf);
        RocksIterator base = store.db.newIterator(h, readOpts);
        if (wbwi == null && !writes.ops.isEmpty()) {
            wbwi = new WriteBatchWithIndex(true);
            for (TxnWrites.Op op : writes.ops.values()) applyToBatch(op.cf(), op.key(), op.value());
        }
        return wbwi == null ? base : wbwi.newIteratorWithBase(h, base, readOpts);
    }

    private void applyToBatch(TxnWrites.Cf cf, byte[] key, byte[] value) {
        try {
            if (value == null) wbwi.delete(store.handle(cf), key);
            else wbwi.put(store.handle(cf), key, value);
        } catch (RocksDBException e) {
            throw new StorageException("write failed", e);
        }
    }

    void put(TxnWrites.Cf cf, byte[] key, byte[] value, boolean tsHeader) {
        if (wbwi != null) applyToBatch(cf, key, value);
        writes.put(cf, key, value, tsHeader);
        modCount++;
    }

    void delete(TxnWrites.Cf cf, byte[] key) {
        if (wbwi != null) applyToBatch(cf, key, null);
        writes.delete(cf, key);
        modCount++;
    }

    <T> Scan<T> openScan(TxnWrites.Cf cf, byte[] lower, boolean lowerExclusive, byte[] upper, OverlayScan.Mapper<T> m) {
        OverlayScan<T> s = new OverlayScan<>(this, cf, lower, lowerExclusive, upper, m);
        if (openScans == null) openScans = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        openScans.add(s);
        return s;
    }

    void scanClosed(OverlayScan<?> s) {
        if (openScans != null) openScans.remove(s);
    }

    /** The definition to use for a collection argument: this transaction's own version if it changed it. */
    CollectionDef current(CollectionDef coll) {
        return ownDefs.getOrDefault(coll.collId(), coll);
    }

    /** Writes to a collection this transaction deleted would be lost under its range delete. */
    private CollectionDef currentForWrite(CollectionDef coll) {
        checkWritable();
        if (deletedColls.contains(coll.collId()))
            throw new IllegalStateException("The collection " + coll.name() + " was deleted in this transaction.");
        return current(coll);
    }

    void cacheSchema(String name, CollectionDef def) { schemaCache.put(name, Optional.ofNullable(def)); }

    // ---- documents ------------------------------------------------------------------------------

    /** A stored document, visible or expired. */
    record Stored(long docId, DocumentValue doc, boolean expired) {}

    boolean isExpired(ObjectValue data) {
        return data.get("ttl") instanceof TimeValue t && !t.value().isAfter(now);
    }

    /** The document's expiry time, or null when it has no {@code ttl}. */
    static Instant ttlOf(ObjectValue data) {
        return data.get("ttl") instanceof TimeValue t ? t.value() : null;
    }

    private static final byte[] NO_BYTES = {};

    /** The document's data over its stored bytes (owned by the caller's read), decoded on first use. */
    static ObjectValue decodeData(byte[] raw) {
        if (raw.length <= Keys.TS_HEADER) throw new CorruptDataException("document without data");
        return ValueCodec.lazyObject(raw, Keys.TS_HEADER, raw.length - Keys.TS_HEADER);
    }

    static byte[] encodeDoc(long ts, ObjectValue data) {
        ByteWriter w = new ByteWriter(384).putLong(ts); // a typical document without growing
        ValueCodec.write(w, data);
        return w.toByteArray();
    }

    Stored decodeStored(String coll, long docId, byte[] raw) {
        ObjectValue data = decodeData(raw);
        return new Stored(docId, new DocumentValue(coll, Long.toString(docId), Keys.readLong(raw, 0), data), isExpired(data));
    }

    private Stored readStored(CollectionDef coll, long docId) {
        if (deletedColls.contains(coll.collId())) return null;
        byte[] raw = rawGet(TxnWrites.Cf.DOCS, Keys.docKey(coll.collId(), docId));
        return raw == null ? null : decodeStored(coll.name(), docId, raw);
    }

    private static DocumentValue visible(Stored s) {
        return s == null || s.expired() ? null : s.doc();
    }

    private void recordDocRead(CollectionDef coll, long docId) {
        reads.docs.add(new TxnWrites.DocKey(coll.collId(), docId));
        reads.schemaNames.add(coll.name());
    }

    /** A document's data as it is stored (bytes with a pending ts) and as it reads back from them. */
    private record Encoded(ObjectValue data, byte[] stored) {}

    /**
     * Encodes the data once: the bytes are what is written, and the data returned is what those bytes
     * read back as (normalized exactly as a later read of the document would see it).
     */
    private static Encoded encodeForWrite(ObjectValue data) {
        if (data == null) throw new IllegalArgumentException("document data must not be null");
        byte[] stored = encodeDoc(DocumentValue.PENDING_TS, data);
        return new Encoded(decodeData(stored), stored);
    }

    /**
     * Writes one document version (or deletion) with its index entries. {@code stored} is what is
     * in storage now (expired or not: its index entries must go); {@code before} is the visible version
     * at the snapshot, kept from the first write for the change log.
     */
    void writeDoc(CollectionDef coll, long docId, Stored stored, DocumentValue after, boolean silent) {
        writeDoc(coll, docId, stored, after, after == null ? null : encodeDoc(DocumentValue.PENDING_TS, after.data()), silent);
    }

    /** As above, with {@code after}'s stored bytes already encoded ({@link #encodeForWrite}). */
    private void writeDoc(CollectionDef coll, long docId, Stored stored, DocumentValue after, byte[] afterBytes,
                          boolean silent) {
        Instant ttlBefore = stored == null ? null : ttlOf(stored.doc().data());
        Instant ttlAfter = after == null ? null : ttlOf(after.data());
        if (!java.util.Objects.equals(ttlBefore, ttlAfter)) {
            if (ttlBefore != null) delete(TxnWrites.Cf.EXPIRY, Keys.expiryKey(ttlBefore, coll.collId(), docId));
            if (ttlAfter != null) put(TxnWrites.Cf.EXPIRY, Keys.expiryKey(ttlAfter, coll.collId(), docId), NO_BYTES, false);
        }
        for (IndexDef idx : coll.indexes().values()) {
            if (stored != null) delete(TxnWrites.Cf.INDEX, IndexKeys.entryKey(idx, docId, stored.doc().data()));
            if (after != null)
                put(TxnWrites.Cf.INDEX, IndexKeys.entryKey(idx, docId, after.data()), IndexKeys.entryPayload(idx, after.data()), false);
        }
        byte[] key = Keys.docKey(coll.collId(), docId);
        if (after != null) put(TxnWrites.Cf.DOCS, key, afterBytes, true);
        else delete(TxnWrites.Cf.DOCS, key);
        TxnWrites.DocChange c = writes.docs.computeIfAbsent(new TxnWrites.DocKey(coll.collId(), docId),
                k -> new TxnWrites.DocChange(coll.collId(), docId, coll.name(), visible(stored), silent));
        c.coll = coll.name();
        c.after = after;
        c.afterStored = after == null ? null : afterBytes;
        if (!silent) writes.touchedColls.add(coll.collId());
        reads.schemaNames.add(coll.name());
    }

    @Override
    public long snapshotTs() { return snapshotTs; }

    @Override
    public DocumentValue get(CollectionDef coll, String id) {
        long docId = Keys.parseDocId(id);
        return locked(() -> {
            CollectionDef c = current(coll);
            recordDocRead(c, docId);
            return visible(readStored(c, docId));
        });
    }

    @Override
    public DocumentValue create(CollectionDef coll, String id, ObjectValue data) {
        long explicit = id == null ? 0 : Keys.parseDocId(id);
        Encoded encoded = encodeForWrite(data);
        return locked(() -> {
            CollectionDef c = currentForWrite(coll);
            long docId = explicit;
            Stored stored;
            if (id == null) {
                // Generated ids are unique within the process; the loop only guards against ids
                // minted before a restart with a clock that went back.
                do {
                    docId = store.ids.next();
                    stored = readStored(c, docId);
                } while (stored != null);
            } else {
                recordDocRead(c, docId);
                stored = readStored(c, docId);
                if (visible(stored) != null) throw new DocumentExistsException(c.name(), id);
            }
            DocumentValue doc = new DocumentValue(c.name(), Long.toString(docId), DocumentValue.PENDING_TS, encoded.data());
            writeDoc(c, docId, stored, doc, encoded.stored(), false);
            return doc;
        });
    }

    @Override
    public DocumentValue replace(CollectionDef coll, String id, ObjectValue data) {
        long docId = Keys.parseDocId(id);
        Encoded encoded = encodeForWrite(data);
        return locked(() -> {
            CollectionDef c = currentForWrite(coll);
            recordDocRead(c, docId);
            Stored stored = readStored(c, docId);
            if (visible(stored) == null) throw new DocumentNotFoundException(c.name(), id);
            DocumentValue doc = new DocumentValue(c.name(), id, DocumentValue.PENDING_TS, encoded.data());
            writeDoc(c, docId, stored, doc, encoded.stored(), false);
            return doc;
        });
    }

    @Override
    public DocumentValue delete(CollectionDef coll, String id) {
        long docId = Keys.parseDocId(id);
        return locked(() -> {
            CollectionDef c = currentForWrite(coll);
            recordDocRead(c, docId);
            Stored stored = readStored(c, docId);
            if (visible(stored) == null) throw new DocumentNotFoundException(c.name(), id);
            writeDoc(c, docId, stored, null, false);
            return stored.doc();
        });
    }

    /** Whether {@code key} is the expiry entry of the document as it is stored now. */
    boolean hasExpiryEntry(CollectionDef coll, long docId, byte[] key) {
        return locked(() -> {
            Stored stored = readStored(coll, docId);
            Instant ttl = stored == null ? null : ttlOf(stored.doc().data());
            return ttl != null && java.util.Arrays.equals(Keys.expiryKey(ttl, coll.collId(), docId), key);
        });
    }

    /** TTL purge: deletes the document if it is still stored and expired, without a change record. */
    boolean purge(CollectionDef coll, long docId) {
        return locked(() -> {
            checkWritable();
            reads.docs.add(new TxnWrites.DocKey(coll.collId(), docId));
            reads.schemaNames.add(coll.name());
            Stored stored = readStored(coll, docId);
            if (stored == null || !stored.expired()) return false;
            writeDoc(coll, docId, stored, null, true);
            return true;
        });
    }

    @Override
    public Scan<DocumentValue> scan(CollectionDef coll, String afterId) {
        Scan<Stored> s = scanStored(coll, afterId);
        return new Scan<>() {
            @Override public DocumentValue next() {
                for (Stored d; (d = s.next()) != null; ) {
                    if (!d.expired()) return d.doc();
                }
                return null;
            }
            @Override public void close() { s.close(); }
        };
    }

    /** Every stored document of the collection in id order, expired ones included. */
    Scan<Stored> scanStored(CollectionDef coll, String afterId) {
        long after = afterId == null ? 0 : Keys.parseDocId(afterId);
        return locked(() -> {
            CollectionDef c = current(coll);
            reads.colls.add(c.collId());
            reads.schemaNames.add(c.name());
            if (deletedColls.contains(c.collId())) return emptyScan();
            String name = c.name();
            return openScan(TxnWrites.Cf.DOCS, Keys.docKey(c.collId(), after), afterId != null, Keys.collEnd(c.collId()),
                    (k, v) -> decodeStored(name, Keys.docIdOf(k), v));
        });
    }

    static <T> Scan<T> emptyScan() {
        return new Scan<>() {
            @Override public T next() { return null; }
            @Override public void close() { }
        };
    }

    @Override
    public Scan<IndexEntry> scanIndex(CollectionDef coll, IndexDef index, List<Value> terms,
                                      List<Value> from, List<Value> to, byte[] after) {
        return locked(() -> {
            CollectionDef c = current(coll);
            reads.colls.add(c.collId());
            reads.schemaNames.add(c.name());
            if (deletedColls.contains(c.collId()) || droppedIndexes.contains(index.indexId())) return emptyScan();
            byte[] prefix = IndexKeys.termsPrefix(index, terms).toByteArray();
            byte[] lower = prefix;
            if (from != null && !from.isEmpty()) {
                ByteWriter w = IndexKeys.termsPrefix(index, terms);
                IndexKeys.writeValues(w, index, from);
                lower = w.toByteArray();
            }
            boolean exclusive = false;
            if (after != null) {
                if (after.length < prefix.length || !Arrays.equals(after, 0, prefix.length, prefix, 0, prefix.length))
                    throw new IllegalArgumentException("The position does not belong to this index and terms.");
                if (Arrays.compareUnsigned(after, lower) >= 0) {
                    lower = after;
                    exclusive = true;
                }
            }
            byte[] upper;
            if (to != null && !to.isEmpty()) {
                ByteWriter w = IndexKeys.termsPrefix(index, terms);
                IndexKeys.writeValues(w, index, to);
                upper = KeyCodec.prefixEnd(w.toByteArray());
            } else {
                upper = KeyCodec.prefixEnd(prefix);
            }
            return openScan(TxnWrites.Cf.INDEX, lower, exclusive, upper, (k, v) -> {
                IndexKeys.Payload p = IndexKeys.decodePayload(v);
                if (p.ttl() != null && !p.ttl().value().isAfter(now)) return null;
                return new IndexEntry(p.values(), Long.toString(Keys.docIdOf(k)), k);
            });
        });
    }

    @Override
    public String newId() {
        return Long.toString(store.ids.next());
    }

    // ---- schema ---------------------------------------------------------------------------------

    @Override
    public Map<String, CollectionDef> collections() {
        return locked(() -> {
            reads.allSchema = true;
            Map<String, CollectionDef> out = new LinkedHashMap<>();
            try (RocksIterator it = newIterator(TxnWrites.Cf.SCHEMA)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    String name = new String(it.key(), java.nio.charset.StandardCharsets.UTF_8);
                    out.put(name, decodeSchema(name, it.value()));
                }
                it.status();
            } catch (RocksDBException e) {
                throw new StorageException("schema read failed", e);
            }
            return Collections.unmodifiableMap(out);
        });
    }

    @Override
    public CollectionDef collection(String name) {
        return locked(() -> lookup(name));
    }

    /** Records a read of the schema entry. Caller holds the lock. */
    CollectionDef lookup(String name) {
        reads.schemaNames.add(name);
        Optional<CollectionDef> cached = schemaCache.get(name);
        if (cached != null) return cached.orElse(null);
        // The store's cache holds what the snapshot holds. An entry this transaction changed is in its
        // own cache already (SchemaOps); the check keeps the shared one out of it regardless.
        boolean shared = !writes.schemaNames.contains(name);
        CollectionDef def = shared ? store.schemaCache.get(name, schemaVersion) : null;
        if (def == null) {
            byte[] raw = rawGet(TxnWrites.Cf.SCHEMA, Keys.schemaKey(name));
            def = raw == null ? null : decodeSchema(name, raw);
            if (shared) store.schemaCache.put(name, schemaVersion, def);
        }
        schemaCache.put(name, Optional.ofNullable(def));
        return def;
    }

    /** Decodes a schema entry read at this snapshot, reusing the store's decoding of the same bytes. */
    private CollectionDef decodeSchema(String name, byte[] raw) {
        RocksStore.DecodedSchema known = store.decodedSchemas.get(name);
        if (known != null && java.util.Arrays.equals(known.stored(), raw)) {
            return known.def();
        }
        CollectionDef def = SchemaCodec.decode(name, raw);
        store.decodedSchemas.put(name, new RocksStore.DecodedSchema(raw, def));
        return def;
    }

    @Override
    public CollectionDef createCollection(CollectionSpec spec) {
        return locked(() -> {
            checkWritable();
            return schemaOps.create(spec);
        });
    }

    @Override
    public CollectionDef updateCollection(String name, CollectionSpec spec) {
        return locked(() -> {
            checkWritable();
            return schemaOps.update(name, spec);
        });
    }

    @Override
    public void deleteCollection(String name) {
        locked(() -> {
            checkWritable();
            schemaOps.delete(name);
            return null;
        });
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    @Override
    public boolean hasWrites() {
        return !writes.isEmpty();
    }

    /** Freezes the transaction for the committer: no writes after this. */
    TxnWrites prepareCommit() {
        return locked(() -> {
            checkWritable();
            committed = true;
            return writes;
        });
    }

    @Override
    public void close() {
        store.lifecycle.readLock().lock();
        try {
            if (closed) return;
            if (!store.closed) releaseNatives();
            closed = true;
        } finally {
            store.lifecycle.readLock().unlock();
        }
    }

    /** Closes scans and native objects; also called by the store (under its write lock) on close. */
    void releaseNatives() {
        if (closed) return;
        closed = true;
        if (openScans != null) {
            for (OverlayScan<?> s : List.copyOf(openScans)) s.release();
            openScans.clear();
        }
        if (wbwi != null) wbwi.close();
        readOpts.close();
        store.db.releaseSnapshot(snapshot);
        store.closed(this);
    }
}
