package io.eddy.core.storage;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.schema.IndexSpec;
import io.eddy.core.txn.Scan;
import io.eddy.core.value.DocumentValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collection create/update/delete inside a {@link RocksTransaction}. Schema entries are written like
 * documents (overlay + logical write, ts patched at commit) and recorded as writes of their names, so
 * any transaction that looked the name up (or listed the schema) conflicts with them.
 */
final class SchemaOps {
    private static final Logger log = LoggerFactory.getLogger(SchemaOps.class);
    private static final int PROGRESS_EVERY = 100_000;
    private final RocksTransaction txn;

    SchemaOps(RocksTransaction txn) {
        this.txn = txn;
    }

    private void putDef(CollectionDef def) {
        txn.put(TxnWrites.Cf.SCHEMA, Keys.schemaKey(def.name()), SchemaCodec.encode(def), true);
        txn.writes.schemaNames.add(def.name());
        txn.cacheSchema(def.name(), def);
        txn.ownDefs.put(def.collId(), def);
    }

    private void deleteDef(String name) {
        txn.delete(TxnWrites.Cf.SCHEMA, Keys.schemaKey(name));
        txn.writes.schemaNames.add(name);
        txn.cacheSchema(name, null);
    }

    private CollectionDef existing(String name) {
        CollectionDef def = txn.lookup(name);
        if (def == null) throw new IllegalArgumentException("The collection " + name + " does not exist.");
        return def;
    }

    private void requireFree(String name) {
        if (txn.lookup(name) != null) throw new IllegalArgumentException("The collection " + name + " already exists.");
    }

    private IndexDef newIndex(String name, IndexSpec spec) {
        return new IndexDef(name, txn.store.nextIndexId.getAndIncrement(), spec.terms(), spec.values());
    }

    CollectionDef create(CollectionSpec spec) {
        requireFree(spec.name());
        long collId = txn.store.nextCollId.getAndIncrement();
        Map<String, IndexDef> indexes = new LinkedHashMap<>();
        spec.indexes().forEach((n, s) -> indexes.put(n, newIndex(n, s)));
        CollectionDef def = new CollectionDef(spec.name(), collId, indexes, spec.historyDays(), spec.ttlDays(),
                spec.definition(), DocumentValue.PENDING_TS);
        putDef(def);
        return def;
    }

    /**
     * An index whose terms and values are unchanged keeps its id and entries; a changed one counts as
     * dropped and added (new id, rebuilt).
     */
    CollectionDef update(String name, CollectionSpec spec) {
        CollectionDef old = existing(name);
        if (!spec.name().equals(name)) {
            requireFree(spec.name());
            deleteDef(name);
        }
        Map<String, IndexDef> indexes = new LinkedHashMap<>();
        List<IndexDef> added = new ArrayList<>();
        spec.indexes().forEach((n, s) -> {
            IndexDef o = old.indexes().get(n);
            if (o != null && o.terms().equals(s.terms()) && o.values().equals(s.values())) {
                indexes.put(n, o);
            } else {
                IndexDef d = newIndex(n, s);
                indexes.put(n, d);
                added.add(d);
            }
        });
        Set<Integer> kept = indexes.values().stream().map(IndexDef::indexId).collect(Collectors.toSet());
        for (IndexDef o : old.indexes().values()) {
            if (!kept.contains(o.indexId())) {
                txn.writes.deleteRange(TxnWrites.Cf.INDEX, Keys.indexPrefix(o.indexId()), Keys.indexEnd(o.indexId()));
                txn.droppedIndexes.add(o.indexId());
            }
        }
        CollectionDef def = new CollectionDef(spec.name(), old.collId(), indexes, spec.historyDays(), spec.ttlDays(),
                spec.definition(), DocumentValue.PENDING_TS);
        putDef(def);
        if (!added.isEmpty()) build(def, added);
        return def;
    }

    /** Adds entries for every stored document (expired ones too: they keep entries until purged). */
    private void build(CollectionDef def, List<IndexDef> added) {
        List<String> names = added.stream().map(IndexDef::name).toList();
        log.info("building index(es) {} of {}: scanning its documents", names, def.name());
        long n = 0;
        try (Scan<RocksTransaction.Stored> s = txn.scanStored(def, null)) {
            for (RocksTransaction.Stored d; (d = s.next()) != null; ) {
                for (IndexDef idx : added) {
                    txn.put(TxnWrites.Cf.INDEX, IndexKeys.entryKey(idx, d.docId(), d.doc().data()),
                            IndexKeys.entryPayload(idx, d.doc().data()), false);
                }
                if (++n % PROGRESS_EVERY == 0)
                    log.info("building index(es) {} of {}: {} documents so far", names, def.name(), n);
            }
        }
        // the entries become visible with the transaction's commit; queries never see a half-built index
        log.info("built index(es) {} of {} from {} documents (visible once this transaction commits)", names, def.name(), n);
    }

    void delete(String name) {
        CollectionDef old = existing(name);
        deleteDef(name);
        txn.writes.deleteRange(TxnWrites.Cf.DOCS, Keys.collPrefix(old.collId()), Keys.collEnd(old.collId()));
        for (IndexDef idx : old.indexes().values()) {
            txn.writes.deleteRange(TxnWrites.Cf.INDEX, Keys.indexPrefix(idx.indexId()), Keys.indexEnd(idx.indexId()));
            txn.droppedIndexes.add(idx.indexId());
        }
        txn.writes.dropDocChanges(old.collId());
        txn.writes.touchedColls.add(old.collId());
        txn.deletedColls.add(old.collId());
        txn.ownDefs.remove(old.collId());
        txn.modCount++;
    }
}
