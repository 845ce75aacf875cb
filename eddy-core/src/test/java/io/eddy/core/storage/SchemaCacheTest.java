package io.eddy.core.storage;

import static io.eddy.core.storage.Fixtures.createCollection;
import static io.eddy.core.storage.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.Transaction;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store-wide cache of collection definitions never shows a transaction a definition its snapshot
 * does not hold: not one written after its snapshot, not one its snapshot has since lost, not another
 * transaction's uncommitted one.
 */
class SchemaCacheTest {
    @TempDir Path dir;
    final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    void versionsAreStableOnlyWhenNoSchemaWriteOverlapsTheSnapshot() {
        SchemaCache cache = new SchemaCache();
        long v = cache.version();
        assertThat(SchemaCache.stable(v, cache.version())).isEqualTo(v);
        cache.schemaWriteStarting();
        assertThat(SchemaCache.stable(v, cache.version())).isEqualTo(SchemaCache.NONE);
        long during = cache.version();
        assertThat(SchemaCache.stable(during, during)).as("a write in flight").isEqualTo(SchemaCache.NONE);
        cache.schemaWriteFinished();
        assertThat(SchemaCache.stable(during, cache.version())).isEqualTo(SchemaCache.NONE);
        assertThat(SchemaCache.stable(cache.version(), cache.version())).isEqualTo(v + 2);
    }

    @Test
    void entriesServeOnlyTheirOwnVersionAndOnlyDefinitionsThatExist() {
        SchemaCache cache = new SchemaCache();
        long v = cache.version();
        CollectionDef def = new CollectionDef("A", 1, Map.of(), 0, null, Fixtures.obj("name", "A"), 0);
        cache.put("A", v, def);
        cache.put("Missing", v, null);
        assertThat(cache.get("A", v)).isSameAs(def);
        assertThat(cache.get("Missing", v)).isNull();
        cache.schemaWriteStarting();
        cache.schemaWriteFinished();
        assertThat(cache.get("A", v + 2)).as("another version").isNull();
        cache.put("B", v, def);
        assertThat(cache.get("B", v)).as("not put: its version is no longer current").isNull();
    }

    @Test
    void eachSnapshotSeesItsOwnDefinition() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            createCollection(store, spec("C", Map.of()));
            try (Transaction before = store.begin()) {
                // Warm the shared cache at the current version.
                try (Transaction warm = store.begin()) {
                    assertThat(warm.collection("C").indexes()).isEmpty();
                }
                try (Transaction t = store.begin()) {
                    t.updateCollection("C", spec("C", Map.of("byA", Fixtures.index(List.of(), List.of("a")))));
                    // Its own change, not the cached definition.
                    assertThat(t.collection("C").indexes()).containsOnlyKeys("byA");
                    try (Transaction other = store.begin()) {
                        assertThat(other.collection("C").indexes()).as("uncommitted elsewhere").isEmpty();
                    }
                    store.commit(t).join();
                }
                try (Transaction after = store.begin()) {
                    assertThat(after.collection("C").indexes()).containsOnlyKeys("byA");
                }
                // Began before the change, looks it up only now (with the new definition cached).
                assertThat(before.collection("C").indexes()).isEmpty();
            }
            try (Transaction before = store.begin()) {
                try (Transaction t = store.begin()) {
                    t.deleteCollection("C");
                    store.commit(t).join();
                }
                try (Transaction after = store.begin()) {
                    assertThat(after.collection("C")).isNull();
                }
                assertThat(before.collection("C")).isNotNull();
            }
        }
    }
}
