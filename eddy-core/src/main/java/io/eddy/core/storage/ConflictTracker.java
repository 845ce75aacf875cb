package io.eddy.core.storage;

import java.util.HashMap;
import java.util.Map;

/**
 * Recent writes by commit ts, for optimistic validation. Used by the committer thread only.
 *
 * <p>Invariant: for every key, the map holds the ts of the latest commit that wrote it, unless that
 * ts is at or below {@link #prunedHorizon}. A transaction whose snapshot is older than the horizon
 * cannot be validated precisely and conflicts conservatively. The committer prunes to the oldest
 * snapshot any open transaction may still commit from, so in practice only transactions left open
 * past the size cap are affected.
 */
final class ConflictTracker {
    private final Map<TxnWrites.DocKey, Long> docs = new HashMap<>();
    private final Map<Long, Long> colls = new HashMap<>();
    private final Map<String, Long> schema = new HashMap<>();
    private long schemaAll = Long.MIN_VALUE;
    private long prunedHorizon = Long.MIN_VALUE;

    /** Null if the reads are still current at commit, otherwise what changed. */
    String conflict(ReadSet r, long snapshotTs) {
        if (snapshotTs < prunedHorizon) return "snapshot too old to validate";
        if (r.allSchema && schemaAll > snapshotTs) return "the schema changed";
        for (String name : r.schemaNames) {
            if (schema.getOrDefault(name, Long.MIN_VALUE) > snapshotTs) return "collection " + name + " changed";
        }
        for (Long coll : r.colls) {
            if (colls.getOrDefault(coll, Long.MIN_VALUE) > snapshotTs) return "a document set read changed";
        }
        for (TxnWrites.DocKey k : r.docs) {
            if (docs.getOrDefault(k, Long.MIN_VALUE) > snapshotTs) return "document " + k.docId() + " changed";
        }
        return null;
    }

    void record(TxnWrites w, long ts) {
        for (TxnWrites.DocChange c : w.docs.values()) docs.put(new TxnWrites.DocKey(c.collId, c.docId), ts);
        for (Long c : w.touchedColls) colls.put(c, ts);
        for (String n : w.schemaNames) schema.put(n, ts);
        if (!w.schemaNames.isEmpty()) schemaAll = ts;
    }

    /**
     * Takes back {@link #record} of writes whose batch failed to be written: they never happened, so
     * each of their keys falls back to {@code lastCommittedTs}, which is at or after the commit that
     * really wrote the key last. That stays conservative for older snapshots and lets snapshots at
     * {@code lastCommittedTs} (every new one, until a write succeeds) commit; leaving the failed ts in
     * place would make every transaction that read those keys conflict until another commit succeeded.
     */
    void forget(TxnWrites w, long lastCommittedTs) {
        for (TxnWrites.DocChange c : w.docs.values()) {
            docs.computeIfPresent(new TxnWrites.DocKey(c.collId, c.docId), (k, ts) -> Math.min(ts, lastCommittedTs));
        }
        for (Long c : w.touchedColls) colls.computeIfPresent(c, (k, ts) -> Math.min(ts, lastCommittedTs));
        for (String n : w.schemaNames) schema.computeIfPresent(n, (k, ts) -> Math.min(ts, lastCommittedTs));
        if (!w.schemaNames.isEmpty()) schemaAll = Math.min(schemaAll, lastCommittedTs);
    }

    /** Forgets writes at or before {@code horizon}: every snapshot that may still commit sees them. */
    void prune(long horizon) {
        if (horizon <= prunedHorizon) return;
        docs.values().removeIf(ts -> ts <= horizon);
        colls.values().removeIf(ts -> ts <= horizon);
        schema.values().removeIf(ts -> ts <= horizon);
        prunedHorizon = horizon;
    }

    int size() { return docs.size() + colls.size() + schema.size(); }
}
