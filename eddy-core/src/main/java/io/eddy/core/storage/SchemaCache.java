package io.eddy.core.storage;

import io.eddy.core.schema.CollectionDef;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collection definitions shared by every transaction whose snapshot holds the same schema, so that a
 * query naming a collection does not read and decode its schema entry from RocksDB each time (a read
 * per query, most of the cost of naming a collection).
 *
 * <p>Validity comes from a version counter in the manner of a sequence lock: the committer makes it odd
 * before writing a batch that changes any schema entry and even again once the write has returned (or
 * failed). A transaction reads the counter before and after taking its snapshot; if both reads give the
 * same even value, no schema write became visible in between, so every snapshot tagged with that value
 * holds exactly the same schema entries, and a definition read under one of them is valid for all of
 * them. A transaction whose snapshot raced a schema write gets no version and reads RocksDB, as does one
 * looking up a name its own writes changed.
 *
 * <p>Only definitions that exist are kept (a query can name any number of missing ones), and the map is
 * emptied when it grows past {@link #MAX_ENTRIES}: a cache, never a source of truth.
 */
final class SchemaCache {
    /** A transaction's version when its snapshot raced a schema write: it does not use the cache. */
    static final long NONE = -1;
    static final int MAX_ENTRIES = 10_000;

    private record Entry(long version, CollectionDef def) {}

    private final AtomicLong version = new AtomicLong();
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** Read before and after taking a snapshot; see {@link #stable}. */
    long version() {
        return version.get();
    }

    /** The schema version of a snapshot taken between two reads of {@link #version()}, or {@link #NONE}. */
    static long stable(long before, long after) {
        return before == after && (before & 1) == 0 ? before : NONE;
    }

    /** Committer thread: a batch that changes schema entries is about to be written. */
    void schemaWriteStarting() {
        version.incrementAndGet();
    }

    /** Committer thread: that batch's write returned or failed. */
    void schemaWriteFinished() {
        version.incrementAndGet();
    }

    /** The definition of {@code name} as snapshots of schema version {@code v} see it, or null if not known. */
    CollectionDef get(String name, long v) {
        Entry e = entries.get(name);
        return e != null && e.version == v ? e.def : null;
    }

    /** Remembers what a snapshot of schema version {@code v} holds for {@code name}, if that is still the current version. */
    void put(String name, long v, CollectionDef def) {
        if (v == NONE || def == null || version.get() != v) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(name, new Entry(v, def));
    }
}
