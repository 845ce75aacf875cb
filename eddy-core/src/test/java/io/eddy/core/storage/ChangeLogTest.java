package io.eddy.core.storage;

import static io.eddy.core.storage.Fixtures.createCollection;
import static io.eddy.core.storage.Fixtures.inTxn;
import static io.eddy.core.storage.Fixtures.obj;
import static io.eddy.core.storage.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.changelog.ChangeOp;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.changelog.CommittedTxn;
import io.eddy.core.changelog.LogPosition;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocumentValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeLogTest {
    @TempDir Path dir;
    final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.parse("2025-03-01T00:00:00Z"));

    @Test
    void recordsHaveNetEffectsOrdinalsAndVersions() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            long ts1 = inTxn(store, t -> {
                t.create(c, "1", obj("v", 1));
                t.create(c, "2", obj("v", 1));
                return 0L;
            });
            ts1 = store.lastCommittedTs();
            long ts2;
            try (Transaction t = store.begin()) {
                t.replace(c, "2", obj("v", 2)); // ordinal 0: update
                t.create(c, "3", obj("v", 3));  // created then deleted: no record
                t.delete(c, "3");
                t.delete(c, "1");               // ordinal 1: delete
                t.create(c, "4", obj("v", 4));  // ordinal 2: create...
                t.replace(c, "4", obj("v", 44)); // ...with its last version
                t.replace(c, "2", obj("v", 22)); // still ordinal 0, after = last version
                ts2 = store.commit(t).join();
            }
            List<ChangeRecord> all = store.changeLog().read(null, 100);
            assertThat(all).extracting(ChangeRecord::position).containsExactly(
                    new LogPosition(ts1, 0), new LogPosition(ts1, 1),
                    new LogPosition(ts2, 0), new LogPosition(ts2, 1), new LogPosition(ts2, 2));
            ChangeRecord upd = all.get(2), del = all.get(3), cre = all.get(4);
            assertThat(all.get(0).op()).isEqualTo(ChangeOp.CREATE);
            assertThat(all.get(0).before()).isNull();
            assertThat(all.get(0).after()).isEqualTo(new DocumentValue("C", "1", ts1, obj("v", 1)));
            assertThat(upd.op()).isEqualTo(ChangeOp.UPDATE);
            assertThat(upd.before()).isEqualTo(new DocumentValue("C", "2", ts1, obj("v", 1)));
            assertThat(upd.after()).isEqualTo(new DocumentValue("C", "2", ts2, obj("v", 22)));
            assertThat(upd.coll()).isEqualTo("C");
            assertThat(upd.collId()).isEqualTo(c.collId());
            assertThat(del.op()).isEqualTo(ChangeOp.DELETE);
            assertThat(del.id()).isEqualTo("1");
            assertThat(del.after()).isNull();
            assertThat(del.before().ts()).isEqualTo(ts1);
            assertThat(cre.op()).isEqualTo(ChangeOp.CREATE);
            assertThat(cre.after().data()).isEqualTo(obj("v", 44));
            // reading after positions
            ChangeLog log = store.changeLog();
            assertThat(log.read(LogPosition.startOf(ts2), 100)).hasSize(3);
            assertThat(log.read(LogPosition.endOf(ts1), 100)).hasSize(3);
            assertThat(log.read(new LogPosition(ts2, 0), 100)).extracting(ChangeRecord::ordinal).containsExactly(1, 2);
            assertThat(log.read(new LogPosition(ts2, 0), 1)).extracting(ChangeRecord::ordinal).containsExactly(1);
            assertThat(log.read(LogPosition.endOf(ts2), 100)).isEmpty();
            assertThat(log.read(LogPosition.startOf(0), 2)).hasSize(2);
        }
    }

    @Test
    void changeRecordsAreAtomicWithDocumentsAcrossReopen() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            for (int i = 0; i < 20; i++) {
                int n = i;
                inTxn(store, t -> t.create(c, null, obj("i", n)));
            }
        }
        try (RocksStore store = Fixtures.open(dir, clock); Transaction t = store.begin()) {
            CollectionDef c = t.collection("C");
            List<ChangeRecord> log = store.changeLog().read(null, 1000);
            assertThat(log).hasSize(20);
            for (ChangeRecord r : log) assertThat(t.get(c, r.id())).isEqualTo(r.after());
        }
    }

    @Test
    void listenersGetEveryCommitInOrderAfterItIsVisible() throws Exception {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
            AutoCloseable reg = store.changeLog().addListener(group -> {
                groupSizes.add(group.size());
                for (CommittedTxn txn : group) {
                    long ts = txn.txnTs();
                    seen.add(ts);
                    if (store.lastCommittedTs() < ts) problems.add("not visible at " + ts);
                    for (ChangeRecord r : txn.records()) {
                        if (r.txnTs() != ts) problems.add("wrong ts in " + r);
                        // The live record's document knows its stored bytes, and they decode to its data.
                        io.eddy.core.value.StoredForm f = r.after().data().storedForm();
                        if (f == null || !io.eddy.core.codec.ValueCodec.lazyObject(f.bytes(), f.offset(), f.length()).equals(r.after().data()))
                            problems.add("stored form of " + r);
                    }
                    if (store.changeLog().read(LogPosition.startOf(ts), 1000).size() < txn.records().size()) problems.add("not readable " + ts);
                }
            });
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                try (Transaction t = store.begin()) {
                    t.create(c, null, obj("i", i));
                    fs.add(store.commit(t));
                }
            }
            long schemaTs = inTxn(store, t -> {
                t.createCollection(spec("D", Map.of())); // schema-only: delivered with no records
                return 0L;
            });
            schemaTs = store.lastCommittedTs();
            List<Long> expected = new ArrayList<>();
            for (CompletableFuture<Long> f : fs) expected.add(f.join());
            expected.add(schemaTs);
            assertThat(seen).isEqualTo(expected); // commit order
            assertThat(problems).isEmpty();
            // One call per group commit: every transaction in exactly one, no empty groups.
            assertThat(groupSizes).allMatch(n -> n >= 1);
            assertThat(groupSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(expected.size());
            reg.close();
            inTxn(store, t -> t.create(c, null, io.eddy.core.value.ObjectValue.EMPTY));
            assertThat(seen).hasSize(expected.size());
        }
    }

    /**
     * Each group commit is announced before its write ({@code preparing}: its records final but not yet
     * visible), then confirmed with the same list ({@code committed}), one group at a time, before its
     * transactions are acknowledged.
     */
    @Test
    void listenersHearOfEachGroupCommitBeforeItsWriteAndThenThatItIsDurable() throws Exception {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            List<Long> committedTs = Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicReference<List<CommittedTxn>> announced = new java.util.concurrent.atomic.AtomicReference<>();
            AutoCloseable reg = store.changeLog().addListener(new ChangeLog.CommitListener() {
                @Override public void preparing(List<CommittedTxn> group) {
                    if (announced.getAndSet(group) != null) problems.add("two group commits in flight");
                    long ts = group.getLast().txnTs();
                    if (store.lastCommittedTs() >= group.getFirst().txnTs()) problems.add("visible before its write: " + ts);
                    if (!store.changeLog().read(LogPosition.startOf(group.getFirst().txnTs()), 10).isEmpty())
                        problems.add("readable before its write: " + ts);
                }

                @Override public void committed(List<CommittedTxn> group) {
                    if (announced.getAndSet(null) != group) problems.add("committed without preparing: " + group.getFirst().txnTs());
                    if (store.lastCommittedTs() < group.getLast().txnTs()) problems.add("not visible when committed");
                    for (CommittedTxn txn : group) committedTs.add(txn.txnTs());
                }
            });
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                try (Transaction t = store.begin()) {
                    t.create(c, null, obj("i", i));
                    // A commit is acknowledged only once its listeners have heard of it (checked as its
                    // future completes; joining the dependent future waits for the check).
                    fs.add(store.commit(t).thenApply(ts -> {
                        if (!committedTs.contains(ts)) problems.add("acknowledged before committed: " + ts);
                        return ts;
                    }));
                }
            }
            List<Long> expected = new ArrayList<>();
            for (CompletableFuture<Long> f : fs) expected.add(f.join());
            assertThat(committedTs).isEqualTo(expected);
            assertThat(problems).isEmpty();
            assertThat(announced.get()).isNull();
            reg.close();
        }
    }

    @Test
    void readingOneCollectionReadsOnlyItsRecordsAndSaysHowFarItGot() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            CollectionDef cc = createCollection(store, spec("CC", Map.of())); // a name that C is a prefix of
            for (int i = 0; i < 10; i++) {
                int n = i;
                inTxn(store, t -> {
                    t.create(n % 3 == 0 ? c : cc, null, obj("i", n));
                    return null;
                });
            }
            List<ChangeRecord> all = store.changeLog().read(null, 100);
            List<ChangeRecord> ofC = all.stream().filter(r -> r.coll().equals("C")).toList();
            assertThat(ofC).hasSize(4);
            long horizon = all.getLast().txnTs();

            ChangeLog.CollectionPage whole = store.changeLog().readCollection(null, "C", horizon, 100);
            assertThat(whole.records()).isEqualTo(ofC);
            assertThat(whole.lastExamined()).as("exhausted: the whole window is accounted for")
                    .isEqualTo(LogPosition.endOf(horizon));
            assertThat(whole.exhausted()).isTrue();
            assertThat(store.changeLog().readCollection(null, "CC", horizon, 100).records())
                    .isEqualTo(all.stream().filter(r -> r.coll().equals("CC")).toList());

            // Page by page (3 of the collection's records each): together the same records, and each page
            // that is not the last ends at its last record.
            List<ChangeRecord> paged = new ArrayList<>();
            LogPosition pos = null;
            while (true) {
                ChangeLog.CollectionPage page = store.changeLog().readCollection(pos, "C", horizon, 3);
                paged.addAll(page.records());
                if (page.exhausted()) break;
                assertThat(page.records()).hasSize(3);
                assertThat(page.lastExamined()).isEqualTo(page.records().getLast().position());
                pos = page.lastExamined();
            }
            assertThat(paged).isEqualTo(ofC);
            // Exactly the limit left: the page is full and also exhausted.
            ChangeLog.CollectionPage four = store.changeLog().readCollection(null, "C", horizon, 4);
            assertThat(four.records()).isEqualTo(ofC);
            assertThat(four.exhausted()).isTrue();

            // The horizon bounds what is read; nothing after it counts.
            long mid = all.get(4).txnTs();
            ChangeLog.CollectionPage upToMid = store.changeLog().readCollection(null, "C", mid, 100);
            assertThat(upToMid.records()).isEqualTo(ofC.stream().filter(r -> r.txnTs() <= mid).toList());
            assertThat(upToMid.lastExamined()).isEqualTo(LogPosition.endOf(mid));
            assertThat(upToMid.exhausted()).isTrue();
            // Never before where the read started, even when that is past the horizon.
            LogPosition late = all.getLast().position();
            assertThat(store.changeLog().readCollection(late, "C", mid, 100).lastExamined()).isEqualTo(late);
            assertThat(store.changeLog().readCollection(null, "Nope", horizon, 100).records()).isEmpty();

            // Names of every length, and names that start alike, are told apart.
            String longName = "L".repeat(150);
            CollectionDef l = createCollection(store, spec(longName, Map.of()));
            inTxn(store, t -> t.create(l, null, obj("i", 1)));
            inTxn(store, t -> t.create(c, null, obj("i", 2)));
            long end = store.lastCommittedTs();
            assertThat(store.changeLog().readCollection(null, longName, end, 100).records())
                    .extracting(ChangeRecord::coll).containsExactly(longName);
            assertThat(store.changeLog().readCollection(null, "L".repeat(149), end, 100).records()).isEmpty();
            assertThat(store.changeLog().readCollection(null, "C", end, 100).records()).hasSize(5);
        }
    }

    /**
     * A quiet collection between a busy one's writes, in one transaction and across many: its records
     * come back in log order, each exactly once, read page by page; so do the busy one's.
     */
    @Test
    void aQuietCollectionsRecordsAmongABusyOnesComeBackInOrder() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef busy = createCollection(store, spec("Busy", Map.of()));
            CollectionDef quiet = createCollection(store, spec("Quiet", Map.of()));
            for (int i = 0; i < 40; i++) {
                int n = i;
                inTxn(store, t -> {
                    for (int k = 0; k < 25; k++) t.create(busy, null, obj("i", n * 25 + k));
                    if (n % 7 == 3) t.create(quiet, null, obj("i", n));
                    return null;
                });
            }
            long end = store.lastCommittedTs();
            List<ChangeRecord> all = store.changeLog().read(null, 10_000);
            for (String coll : List.of("Quiet", "Busy")) {
                List<ChangeRecord> expected = all.stream().filter(r -> r.coll().equals(coll)).toList();
                List<ChangeRecord> got = new ArrayList<>();
                LogPosition pos = null;
                ChangeLog.CollectionPage page;
                do {
                    page = store.changeLog().readCollection(pos, coll, end, 7);
                    got.addAll(page.records());
                    pos = page.lastExamined();
                } while (!page.exhausted());
                assertThat(got).as(coll).isEqualTo(expected);
            }
        }
    }

    /** A store of format 2 has no per-collection index of its log: opening it builds one. */
    @Test
    void openingAFormat2StoreIndexesItsLogByCollection() throws Exception {
        List<ChangeRecord> before;
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef a = createCollection(store, spec("A", Map.of()));
            CollectionDef b = createCollection(store, spec("B", Map.of()));
            for (int i = 0; i < 30; i++) {
                int n = i;
                inTxn(store, t -> t.create(n % 2 == 0 ? a : b, null, obj("i", n)));
            }
            before = store.changeLog().read(null, 1000);
            try (var wb = new org.rocksdb.WriteBatch(); var sync = new org.rocksdb.WriteOptions().setSync(true)) {
                byte[] past = new byte[300];
                java.util.Arrays.fill(past, (byte) 0xFF);
                wb.deleteRange(store.cfLogByColl, new byte[0], past);
                wb.put(store.cfMeta, Keys.META_FORMAT, Keys.longBytes(2));
                store.db.write(sync, wb);
            }
            assertThat(store.changeLog().readCollection(null, "A", store.lastCommittedTs(), 100).records()).isEmpty();
        }
        try (RocksStore store = Fixtures.open(dir, clock)) {
            assertThat(Keys.longOf(store.db.get(store.cfMeta, Keys.META_FORMAT), -1)).isEqualTo(Keys.FORMAT_VERSION);
            long end = store.lastCommittedTs();
            assertThat(store.changeLog().readCollection(null, "A", end, 100).records())
                    .isEqualTo(before.stream().filter(r -> r.coll().equals("A")).toList()).hasSize(15);
            assertThat(store.changeLog().readCollection(null, "B", end, 100).records())
                    .isEqualTo(before.stream().filter(r -> r.coll().equals("B")).toList()).hasSize(15);
        }
    }

    @Test
    @SuppressWarnings("try") // closes the store early to reopen it
    void retentionRemovesOldRecordsPerHistoryDays() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            inTxn(store, t -> t.create(c, "1", obj("v", 1)));
            long first = store.lastCommittedTs();
            clock.advance(Duration.ofHours(20));
            inTxn(store, t -> t.create(c, "2", obj("v", 2)));
            long second = store.lastCommittedTs();
            assertThat(store.changeLog().retainedFromTs()).isZero();
            store.retention().run();
            assertThat(store.changeLog().read(null, 10)).hasSize(2); // both within 24h
            clock.advance(Duration.ofHours(5)); // first is now 25h old
            store.retention().run();
            assertThat(store.changeLog().read(null, 10)).extracting(ChangeRecord::txnTs).containsExactly(second);
            // The collection's index of the log loses the same records in the same write.
            assertThat(collectionIndexEntries(store)).isEqualTo(1);
            assertThat(store.changeLog().readCollection(null, "C", second, 10).records())
                    .extracting(ChangeRecord::txnTs).containsExactly(second);
            long horizon = store.changeLog().retainedFromTs();
            assertThat(horizon).isGreaterThan(first).isLessThanOrEqualTo(second);
            // a collection asking for more history keeps its own; the others still lose theirs after 24h
            CollectionDef longLived = inTxn(store, t -> t.createCollection(new io.eddy.core.schema.CollectionSpec(
                    "Long", Map.of(), 30, null, io.eddy.core.value.ObjectValue.EMPTY)));
            inTxn(store, t -> t.create(longLived, "101", obj("v", 1)));
            long l1 = store.lastCommittedTs();
            inTxn(store, t -> t.create(c, "3", obj("v", 3)));
            long c3 = store.lastCommittedTs();
            clock.advance(Duration.ofDays(10));
            store.retention().run();
            assertThat(store.changeLog().read(null, 10)).extracting(ChangeRecord::txnTs).containsExactly(l1);
            assertThat(store.changeLog().readCollection(null, "C", Long.MAX_VALUE, 10).records()).isEmpty();
            assertThat(store.changeLog().readCollection(null, "Long", Long.MAX_VALUE, 10).records())
                    .extracting(ChangeRecord::txnTs).containsExactly(l1);
            assertThat(collectionIndexEntries(store)).isEqualTo(1);
            assertThat(store.changeLog().retainedFromTs()).isEqualTo(horizon); // the longest-lived collection's
            long cHorizon = store.changeLog().retainedFromTs("C");
            assertThat(cHorizon).isGreaterThan(c3);
            assertThat(store.changeLog().retainedFromTs("Long")).isEqualTo(horizon);
            // the horizons and the removal survive a restart; documents are untouched
            store.close();
            try (RocksStore again = Fixtures.open(dir, clock); Transaction t = again.begin()) {
                assertThat(again.changeLog().retainedFromTs()).isEqualTo(horizon);
                assertThat(again.changeLog().retainedFromTs("C")).isEqualTo(cHorizon);
                assertThat(again.changeLog().read(null, 10)).extracting(ChangeRecord::txnTs).containsExactly(l1);
                assertThat(t.get(t.collection("C"), "1")).isNotNull();
                assertThat(t.get(t.collection("C"), "3")).isNotNull();
            }
        }
    }

    @Test
    void aShortLivedCollectionsHistoryGoesAFewRecordsPerRunWhenThereIsMuch() {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            CollectionDef longLived = inTxn(store, t -> t.createCollection(new io.eddy.core.schema.CollectionSpec(
                    "Long", Map.of(), 30, null, io.eddy.core.value.ObjectValue.EMPTY)));
            List<Long> cTs = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                inTxn(store, t -> t.create(c, String.valueOf(200 + n), obj("v", n)));
                cTs.add(store.lastCommittedTs());
                inTxn(store, t -> t.create(longLived, String.valueOf(300 + n), obj("v", n)));
            }
            clock.advance(Duration.ofDays(2));
            store.retention().expireHistory(1);
            assertThat(store.changeLog().readCollection(null, "C", Long.MAX_VALUE, 10).records())
                    .extracting(ChangeRecord::txnTs).containsExactly(cTs.get(1), cTs.get(2));
            assertThat(store.changeLog().retainedFromTs("C")).isEqualTo(cTs.get(1)); // the rest next run
            store.retention().expireHistory(1);
            store.retention().expireHistory(1);
            assertThat(store.changeLog().readCollection(null, "C", Long.MAX_VALUE, 10).records()).isEmpty();
            assertThat(store.changeLog().readCollection(null, "Long", Long.MAX_VALUE, 10).records()).hasSize(3);
            assertThat(store.changeLog().read(null, 10)).hasSize(3);
            assertThat(store.changeLog().retainedFromTs("C")).isGreaterThan(cTs.get(2));
        }
    }

    private static int collectionIndexEntries(RocksStore store) {
        int n = 0;
        try (org.rocksdb.RocksIterator it = store.db.newIterator(store.cfLogByColl)) {
            for (it.seekToFirst(); it.isValid(); it.next()) n++;
        }
        return n;
    }
}
