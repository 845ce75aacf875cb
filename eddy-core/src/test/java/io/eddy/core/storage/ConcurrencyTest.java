package io.eddy.core.storage;

import static io.eddy.core.storage.Fixtures.createCollection;
import static io.eddy.core.storage.Fixtures.drain;
import static io.eddy.core.storage.Fixtures.inTxn;
import static io.eddy.core.storage.Fixtures.obj;
import static io.eddy.core.storage.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.changelog.LogPosition;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.Transaction;
import io.eddy.core.txn.TransactionConflictException;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.ObjectValue;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
    @TempDir Path dir;

    private static void assertConflict(CompletableFuture<Long> f) {
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TransactionConflictException.class);
    }

    @Test
    void snapshotIsolation() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            inTxn(store, t -> t.create(c, "1", obj("v", 1)));
            try (Transaction old = store.begin()) {
                long before = old.snapshotTs();
                inTxn(store, t -> t.replace(c, "1", obj("v", 2)));
                inTxn(store, t -> t.create(c, "2", obj("v", 2)));
                assertThat(old.get(c, "1").data()).isEqualTo(obj("v", 1));
                assertThat(old.get(c, "2")).isNull();
                assertThat(drain(old.scan(c, null))).hasSize(1);
                assertThat(old.snapshotTs()).isEqualTo(before).isLessThan(store.lastCommittedTs());
            }
            try (Transaction now = store.begin()) {
                assertThat(now.get(c, "1").data()).isEqualTo(obj("v", 2));
                assertThat(now.snapshotTs()).isEqualTo(store.lastCommittedTs());
            }
        }
    }

    @Test
    void readThenWriteSameDocumentConflicts() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            inTxn(store, t -> t.create(c, "1", obj("n", 0)));
            Transaction a = store.begin(), b = store.begin();
            for (Transaction t : List.of(a, b)) {
                int n = ((IntValue) t.get(c, "1").data().get("n")).value();
                t.replace(c, "1", obj("n", n + 1));
            }
            assertThat(store.commit(a).join()).isPositive();
            assertConflict(store.commit(b));
            a.close();
            b.close();
            assertThat(store.stats().conflicts()).isEqualTo(1);
            try (Transaction t = store.begin()) {
                assertThat(t.get(c, "1").data()).isEqualTo(obj("n", 1));
            }
        }
    }

    @Test
    void conflictsWithinOneGroupCommitBatch() throws Exception {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            inTxn(store, t -> t.create(c, "1", obj("n", 0)));
            // Many transactions read-modify-write the same doc from the same snapshot: exactly one wins,
            // however the committer groups them.
            List<Transaction> txns = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Transaction t = store.begin();
                t.get(c, "1");
                t.replace(c, "1", obj("n", i));
                txns.add(t);
            }
            List<CompletableFuture<Long>> fs = txns.stream().map(store::commit).toList();
            int ok = 0;
            for (CompletableFuture<Long> f : fs) {
                try {
                    f.join();
                    ok++;
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(TransactionConflictException.class);
                }
            }
            txns.forEach(Transaction::close);
            assertThat(ok).isEqualTo(1);
        }
    }

    @Test
    void scanVersusInsertConflicts() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("C", Map.of("all", Fixtures.index(List.of(), List.of("v")))));
            CollectionDef other = createCollection(store, spec("Other", Map.of()));
            // a scans C and writes elsewhere; b inserts into C: a must fail (phantom)
            Transaction a = store.begin(), b = store.begin();
            assertThat(drain(a.scan(c, null))).isEmpty();
            a.create(other, null, obj("count", 0));
            b.create(c, null, obj("v", 1));
            store.commit(b).join();
            assertConflict(store.commit(a));
            // same through an index scan
            Transaction x = store.begin(), y = store.begin();
            drain(x.scanIndex(c, c.indexes().get("all"), List.of(), null, null, null));
            x.create(other, null, obj("count", 1));
            y.create(c, null, obj("v", 2));
            store.commit(y).join();
            assertConflict(store.commit(x));
            // blind writes do not conflict
            Transaction p = store.begin(), q = store.begin();
            p.create(c, null, obj("v", 3));
            q.create(c, null, obj("v", 4));
            store.commit(p).join();
            assertThat(store.commit(q).join()).isPositive();
            for (Transaction t : List.of(a, b, x, y, p, q)) t.close();
        }
    }

    @Test
    void createWithSameExplicitIdConflicts() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            Transaction a = store.begin(), b = store.begin();
            a.create(c, "5", obj("by", "a"));
            b.create(c, "5", obj("by", "b"));
            store.commit(a).join();
            assertConflict(store.commit(b));
            a.close();
            b.close();
        }
    }

    @Test
    void schemaChangesConflictWithReadersOfTheSchema() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            createCollection(store, spec("C", Map.of()));
            Transaction a = store.begin(), b = store.begin();
            CollectionDef ca = a.collection("C");
            a.create(ca, null, obj("x", 1));
            b.deleteCollection("C");
            store.commit(b).join();
            assertConflict(store.commit(a)); // a's document would be orphaned
            Transaction lister = store.begin(), creator = store.begin();
            assertThat(lister.collections()).containsOnlyKeys();
            lister.createCollection(spec("Other", Map.of()));
            creator.createCollection(spec("Other2", Map.of()));
            store.commit(creator).join();
            assertConflict(store.commit(lister));
            for (Transaction t : List.of(a, b, lister, creator)) t.close();
        }
    }

    @Test
    void groupCommitFromManyThreads() throws Exception {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            StoreStats before = store.stats();
            int threads = 16, perThread = 100;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            ConcurrentLinkedQueue<Long> tss = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int j = 0; j < perThread; j++) {
                        try (Transaction t = store.begin()) {
                            t.create(c, null, obj("j", j));
                            tss.add(store.commit(t).join());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            StoreStats after = store.stats();
            long committed = after.committed() - before.committed();
            long batches = after.batches() - before.batches();
            System.out.printf("group commit: %d transactions in %d batches (max batch %d)%n", committed, batches, after.maxBatch());
            assertThat(committed).isEqualTo(threads * perThread);
            assertThat(batches).isLessThan(committed);
            assertThat(tss).doesNotHaveDuplicates().hasSize(threads * perThread);
            assertThat(store.changeLog().read(null, 10_000)).hasSize(threads * perThread);
        }
    }

    /**
     * The snapshot ts is exact: replaying the change log strictly after a snapshot's ts on top of the
     * snapshot's contents gives the latest state, with no record missing or counted twice.
     */
    @Test
    void snapshotTsIsExactUnderConcurrentCommits() throws Exception {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            AtomicInteger failures = new AtomicInteger();
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 600; i++) {
                    try (Transaction t = store.begin()) {
                        t.create(c, null, obj("i", i));
                        store.commit(t).join();
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            });
            Thread writer2 = new Thread(() -> {
                for (int i = 0; i < 600; i++) {
                    try (Transaction t = store.begin()) {
                        t.create(c, null, obj("k", i));
                        store.commit(t); // not waiting: keeps the queue full
                    }
                }
            });
            writer.start();
            writer2.start();
            for (int round = 0; round < 60; round++) {
                try (Transaction t = store.begin()) {
                    List<DocumentValue> docs = drain(t.scan(c, null));
                    long maxTs = docs.stream().mapToLong(DocumentValue::ts).max().orElse(0);
                    assertThat(maxTs).isLessThanOrEqualTo(t.snapshotTs());
                    // every change record at or before the snapshot ts is in the snapshot, none after it
                    List<ChangeRecord> upTo = store.changeLog().read(LogPosition.startOf(0), 100_000).stream()
                            .filter(r -> r.collId() == c.collId()).toList();
                    long inSnapshot = upTo.stream().filter(r -> r.txnTs() <= t.snapshotTs()).count();
                    assertThat(inSnapshot).isEqualTo(docs.size());
                }
                Thread.sleep(2);
            }
            writer.join();
            writer2.join();
            assertThat(failures.get()).isZero();
        }
    }

    @Test
    void oldOpenTransactionsStillValidatePreciselyAfterManyCommits() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            CollectionDef d = createCollection(store, spec("D", Map.of()));
            inTxn(store, t -> t.create(d, "1", obj("n", 0)));
            Transaction old = store.begin();
            old.get(d, "1");
            old.replace(d, "1", obj("n", 1));
            // enough commits elsewhere to trigger pruning several times
            for (int i = 0; i < 3000; i++) {
                try (Transaction t = store.begin()) {
                    t.create(c, null, ObjectValue.EMPTY);
                    store.commit(t);
                }
            }
            inTxn(store, t -> t.get(c, "1")); // drain
            assertThat(store.commit(old).join()).isPositive(); // nothing it read changed: no conflict
            old.close();
            // and a real conflict is still seen after pruning
            Transaction stale = store.begin();
            stale.get(d, "1");
            stale.create(c, null, ObjectValue.EMPTY);
            inTxn(store, t -> t.replace(d, "1", obj("n", 2)));
            for (int i = 0; i < 3000; i++) {
                try (Transaction t = store.begin()) {
                    t.create(c, null, ObjectValue.EMPTY);
                    store.commit(t);
                }
            }
            assertConflict(store.commit(stale));
            stale.close();
        }
    }
}
