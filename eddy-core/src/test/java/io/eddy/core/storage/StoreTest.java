package io.eddy.core.storage;

import static io.eddy.core.storage.Fixtures.createCollection;
import static io.eddy.core.storage.Fixtures.drain;
import static io.eddy.core.storage.Fixtures.inTxn;
import static io.eddy.core.storage.Fixtures.obj;
import static io.eddy.core.storage.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.DocumentExistsException;
import io.eddy.core.txn.DocumentNotFoundException;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocRefValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.EventSourceValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.TimeValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    @TempDir Path dir;
    final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    void createReadUpdateDeleteAndReadYourWrites() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef users = createCollection(store, spec("User", Map.of()));
            String id;
            try (Transaction t = store.begin()) {
                DocumentValue d = t.create(users, null, obj("name", "Ann"));
                id = d.id();
                assertThat(d.ts()).isEqualTo(DocumentValue.PENDING_TS);
                assertThat(t.get(users, id)).isEqualTo(d); // read your writes
                assertThat(drain(t.scan(users, null))).containsExactly(d);
                DocumentValue r = t.replace(users, id, obj("name", "Bob"));
                assertThat(t.get(users, id).data()).isEqualTo(obj("name", "Bob"));
                assertThat(r.ts()).isEqualTo(DocumentValue.PENDING_TS);
                assertThat(t.hasWrites()).isTrue();
                long ts = store.commit(t).join();
                assertThat(ts).isEqualTo(store.lastCommittedTs()).isGreaterThan(0);
            }
            try (Transaction t = store.begin()) {
                DocumentValue d = t.get(users, id);
                assertThat(d.data()).isEqualTo(obj("name", "Bob"));
                assertThat(d.ts()).isEqualTo(store.lastCommittedTs()).isEqualTo(t.snapshotTs());
                assertThat(t.hasWrites()).isFalse();
                assertThat(store.commit(t).join()).isEqualTo(t.snapshotTs()); // read-only: trivial
                assertThatThrownBy(() -> t.create(users, null, ObjectValue.EMPTY)).isInstanceOf(IllegalStateException.class);
            }
            inTxn(store, t -> t.delete(users, id));
            try (Transaction t = store.begin()) {
                assertThat(t.get(users, id)).isNull();
                assertThatThrownBy(() -> t.delete(users, id)).isInstanceOf(DocumentNotFoundException.class);
                assertThatThrownBy(() -> t.replace(users, id, ObjectValue.EMPTY)).isInstanceOf(DocumentNotFoundException.class);
            }
        }
    }

    @Test
    void idsAreValidatedAndUnique() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            try (Transaction t = store.begin()) {
                for (String bad : List.of("abc", "-1", "0", "01", "", "99999999999999999999", "1.5")) {
                    assertThatThrownBy(() -> t.get(c, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
                    assertThatThrownBy(() -> t.create(c, bad, ObjectValue.EMPTY)).as(bad).isInstanceOf(IllegalArgumentException.class);
                }
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < 10_000; i++) {
                    String id = t.newId();
                    assertThat(Long.parseLong(id)).isPositive();
                    assertThat(ids.add(id)).isTrue();
                }
                t.create(c, "123", obj("a", 1));
                assertThatThrownBy(() -> t.create(c, "123", obj("a", 2))).isInstanceOf(DocumentExistsException.class);
                store.commit(t).join();
            }
            try (Transaction t = store.begin()) {
                assertThatThrownBy(() -> t.create(c, "123", obj("a", 2))).isInstanceOf(DocumentExistsException.class);
                assertThatThrownBy(() -> t.create(c, null, obj("x", new EventSourceValue("s"))))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void documentsInFieldsAreStoredAsRefsAndScansAreInNumericIdOrder() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            DocumentValue other = new DocumentValue("Other", "5", 1, ObjectValue.EMPTY);
            inTxn(store, t -> {
                for (String id : List.of("100", "9", "25", "1000000000000")) t.create(c, id, obj("ref", other));
                return null;
            });
            try (Transaction t = store.begin()) {
                List<String> ids = drain(t.scan(c, null)).stream().map(DocumentValue::id).toList();
                assertThat(ids).containsExactly("9", "25", "100", "1000000000000");
                assertThat(drain(t.scan(c, "25")).stream().map(DocumentValue::id).toList()).containsExactly("100", "1000000000000");
                assertThat(t.get(c, "9").data().get("ref")).isEqualTo(new DocRefValue("Other", "5"));
            }
        }
    }

    @Test
    void everythingSurvivesReopenAndTsNeverGoesBack() {
        CollectionDef c;
        long lastTs;
        try (RocksStore store = Fixtures.open(dir, clock)) {
            c = createCollection(store, spec("C", Map.of()));
            inTxn(store, t -> t.create(c, "1", obj("v", 1)));
            lastTs = store.lastCommittedTs();
        }
        clock.set(Instant.parse("2020-01-01T00:00:00Z")); // the clock goes back across the restart
        try (RocksStore store = Fixtures.open(dir, clock)) {
            assertThat(store.lastCommittedTs()).isEqualTo(lastTs);
            try (Transaction t = store.begin()) {
                assertThat(t.snapshotTs()).isEqualTo(lastTs);
                assertThat(t.collection("C")).isEqualTo(c);
                assertThat(t.get(c, "1").data()).isEqualTo(obj("v", 1));
            }
            List<Long> ts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                try (Transaction t = store.begin()) {
                    t.create(c, null, obj("i", i));
                    ts.add(store.commit(t).join());
                }
                clock.advance(Duration.ofNanos(-500)); // and keeps going back
            }
            assertThat(ts.getFirst()).isGreaterThan(lastTs);
            for (int i = 1; i < ts.size(); i++) assertThat(ts.get(i)).isGreaterThan(ts.get(i - 1));
            lastTs = ts.getLast();
            // a new collection gets a new id, also after restart
            CollectionDef d = createCollection(store, spec("D", Map.of()));
            assertThat(d.collId()).isNotEqualTo(c.collId());
        }
        try (RocksStore store = Fixtures.open(dir, clock)) {
            try (Transaction t = store.begin()) {
                t.create(c, null, ObjectValue.EMPTY);
                assertThat(store.commit(t).join()).isEqualTo(lastTs + 2); // +1 was D's creation
            }
            CollectionDef e = createCollection(store, spec("E", Map.of()));
            try (Transaction t = store.begin()) {
                assertThat(e.collId()).isGreaterThan(t.collection("D").collId());
            }
        }
    }

    @Test
    void ttlHidesExpiredDocumentsAndPurgeRemovesThemWithoutChangeRecords() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of("byA", Fixtures.index(List.of(), List.of("a")))));
            Instant soon = clock.instant().plusSeconds(60);
            inTxn(store, t -> {
                t.create(c, "1", obj("a", 1, "ttl", new TimeValue(soon)));
                t.create(c, "2", obj("a", 2));
                return null;
            });
            var index = c.indexes().get("byA");
            try (Transaction t = store.begin()) {
                assertThat(t.get(c, "1")).isNotNull();
                assertThat(drain(t.scanIndex(c, index, List.of(), null, null, null))).hasSize(2);
            }
            clock.advance(Duration.ofSeconds(60)); // ttl == now: expired
            try (Transaction t = store.begin()) {
                assertThat(t.get(c, "1")).isNull();
                assertThat(drain(t.scan(c, null)).stream().map(DocumentValue::id).toList()).containsExactly("2");
                assertThat(drain(t.scanIndex(c, index, List.of(), null, null, null)).stream().map(e -> e.docId()).toList())
                        .containsExactly("2");
                assertThatThrownBy(() -> t.replace(c, "1", ObjectValue.EMPTY)).isInstanceOf(DocumentNotFoundException.class);
            }
            long logSize = store.changeLog().read(null, 1000).size();
            assertThat(store.retention().purgeExpired()).isEqualTo(1);
            assertThat(store.changeLog().read(null, 1000)).hasSize((int) logSize); // no record for expiry
            try (Transaction t = store.begin()) {
                assertThat(drain(((RocksTransaction) t).scanStored(c, null))).hasSize(1);
                // re-creating the expired id is a create (not an update) and replaces its index entry
                t.create(c, "1", obj("a", 5));
                assertThat(drain(t.scanIndex(c, index, List.of(), null, null, null)).stream().map(e -> e.docId()).toList())
                        .containsExactly("2", "1");
                store.commit(t).join();
            }
        }
    }

    private static int expiryEntries(RocksStore store) {
        try (RocksTransaction t = (RocksTransaction) store.begin();
             var scan = t.openScan(TxnWrites.Cf.EXPIRY, new byte[0], false, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                     (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, (k, v) -> k)) {
            return drain(scan).size();
        }
    }

    @Test
    void purgeFollowsTheExpiryEntriesWrittenWithTheDocuments() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            Instant t0 = clock.instant();
            inTxn(store, t -> {
                t.create(c, "1", obj("ttl", new TimeValue(t0.plusSeconds(10))));
                t.create(c, "2", obj("ttl", new TimeValue(t0.plusSeconds(20))));
                t.create(c, "3", obj("ttl", new TimeValue(t0.plusSeconds(30))));
                t.create(c, "4", obj("a", 1));
                return null;
            });
            assertThat(expiryEntries(store)).isEqualTo(3);
            inTxn(store, t -> {
                t.replace(c, "1", obj("ttl", new TimeValue(t0.plusSeconds(40)))); // moves its entry
                t.replace(c, "2", obj("a", 2)); // no ttl any more: no entry
                t.delete(c, "3");
                t.replace(c, "4", obj("ttl", new TimeValue(t0.plusSeconds(5))));
                return null;
            });
            assertThat(expiryEntries(store)).isEqualTo(2);
            clock.advance(Duration.ofSeconds(35));
            assertThat(store.retention().purgeExpired()).isEqualTo(1); // 4, not 1 (moved to +40 s)
            assertThat(expiryEntries(store)).isEqualTo(1);
            try (Transaction t = store.begin()) {
                assertThat(drain(((RocksTransaction) t).scanStored(c, null)).stream().map(d -> d.doc().id()).toList())
                        .containsExactly("1", "2");
            }
            // A deleted collection leaves its entries; they are dropped when they come due.
            CollectionDef d = createCollection(store, spec("D", Map.of()));
            inTxn(store, t -> t.create(d, "9", obj("ttl", new TimeValue(clock.instant().plusSeconds(1)))));
            inTxn(store, t -> {
                t.deleteCollection("D");
                return null;
            });
            assertThat(expiryEntries(store)).isEqualTo(2);
            clock.advance(Duration.ofSeconds(10));
            assertThat(store.retention().purgeExpired()).isEqualTo(1); // document 1 of C
            assertThat(expiryEntries(store)).isZero();
        }
    }

    @Test
    void aStoreOfTheFirstFormatGetsItsExpiryEntriesWhenOpened() throws Exception {
        CollectionDef c;
        try (RocksStore store = Fixtures.open(dir, clock)) {
            c = createCollection(store, spec("C", Map.of()));
            CollectionDef cc = c;
            inTxn(store, t -> {
                t.create(cc, "1", obj("ttl", new TimeValue(clock.instant().plusSeconds(10))));
                t.create(cc, "2", obj("a", 1));
                return null;
            });
            // What a format-1 store looks like: no expiry family contents, format 1.
            try (var wb = new org.rocksdb.WriteBatch(); var sync = new org.rocksdb.WriteOptions().setSync(true)) {
                wb.deleteRange(store.cfExpiry, new byte[0], new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
                wb.put(store.cfMeta, Keys.META_FORMAT, Keys.longBytes(1));
                store.db.write(sync, wb);
            }
            assertThat(expiryEntries(store)).isZero();
        }
        try (RocksStore store = Fixtures.open(dir, clock)) {
            assertThat(expiryEntries(store)).isEqualTo(1);
            assertThat(Keys.longOf(store.db.get(store.cfMeta, Keys.META_FORMAT), -1)).isEqualTo(Keys.FORMAT_VERSION);
            clock.advance(Duration.ofSeconds(10));
            assertThat(store.retention().purgeExpired()).isEqualTo(1);
            try (Transaction t = store.begin()) {
                assertThat(drain(((RocksTransaction) t).scanStored(t.collection("C"), null))).hasSize(1);
            }
        }
    }

    @Test
    void createOverExpiredDocumentBeforePurgeIsACreate() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of("byA", Fixtures.index(List.of(), List.of("a")))));
            inTxn(store, t -> t.create(c, "7", obj("a", 1, "ttl", new TimeValue(clock.instant().plusSeconds(1)))));
            clock.advance(Duration.ofSeconds(2));
            long ts = inTxn(store, t -> {
                t.create(c, "7", obj("a", 2));
                return 0L;
            });
            var recs = store.changeLog().read(null, 100);
            assertThat(recs.getLast().op()).isEqualTo(io.eddy.core.changelog.ChangeOp.CREATE);
            assertThat(recs.getLast().before()).isNull();
            try (Transaction t = store.begin()) {
                assertThat(drain(t.scanIndex(c, c.indexes().get("byA"), List.of(), null, null, null)))
                        .extracting(e -> e.values()).containsExactly(Fixtures.vals(2));
            }
        }
    }

    @Test
    void snapshotsAreReleased() throws Exception {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            for (int i = 0; i < 100; i++) {
                try (Transaction t = store.begin(); var s = t.scan(c, null)) {
                    t.create(c, null, ObjectValue.EMPTY);
                    s.next();
                    if (i % 2 == 0) store.commit(t).join();
                }
            }
            assertThat(store.db.getProperty("rocksdb.num-snapshots")).isEqualTo("0");
            Transaction open = store.begin();
            assertThat(store.db.getProperty("rocksdb.num-snapshots")).isEqualTo("1");
            open.close();
            assertThat(store.db.getProperty("rocksdb.num-snapshots")).isEqualTo("0");
        }
    }

    @Test
    void closeFailsNewCommitsAndTransactions() {
        RocksStore store = Fixtures.open(dir, clock);
        CollectionDef c = createCollection(store, spec("C", Map.of()));
        Transaction open = store.begin();
        Transaction pending = store.begin();
        pending.create(c, null, ObjectValue.EMPTY);
        store.close();
        CompletableFuture<Long> f = store.commit(pending);
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(store::begin).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> open.get(c, "1")).isInstanceOf(IllegalStateException.class);
        open.close(); // no crash: natives were released by the store
        pending.close();
        store.close(); // idempotent
    }
}
