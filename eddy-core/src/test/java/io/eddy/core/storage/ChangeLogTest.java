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

    @Test
    void readingOneCollectionPassesOverTheOthersAndSaysHowFarItGot() {
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
            assertThat(whole.lastExamined()).isEqualTo(all.getLast().position());
            assertThat(whole.exhausted()).isTrue();

            // Page by page (3 records examined each): together the same records, and each page ends
            // where its examination did, matching or not.
            List<ChangeRecord> paged = new ArrayList<>();
            LogPosition pos = null;
            int pages = 0;
            while (true) {
                ChangeLog.CollectionPage page = store.changeLog().readCollection(pos, "C", horizon, 3);
                paged.addAll(page.records());
                pages++;
                if (page.exhausted()) break;
                assertThat(page.lastExamined()).isEqualTo(all.get(3 * pages - 1).position());
                pos = page.lastExamined();
            }
            assertThat(paged).isEqualTo(ofC);

            // The horizon bounds what is examined; nothing after it counts.
            long mid = all.get(4).txnTs();
            ChangeLog.CollectionPage upToMid = store.changeLog().readCollection(null, "C", mid, 100);
            assertThat(upToMid.records()).isEqualTo(ofC.stream().filter(r -> r.txnTs() <= mid).toList());
            assertThat(upToMid.lastExamined()).isEqualTo(all.get(4).position());
            assertThat(upToMid.exhausted()).isTrue();
            assertThat(store.changeLog().readCollection(null, "Nope", horizon, 100).records()).isEmpty();

            // A name longer than the head the scan reads first is compared on the whole record.
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
            long horizon = store.changeLog().retainedFromTs();
            assertThat(horizon).isGreaterThan(first).isLessThanOrEqualTo(second);
            // a collection asking for more history extends retention
            inTxn(store, t -> {
                t.createCollection(new io.eddy.core.schema.CollectionSpec("Long", Map.of(), 30, null, io.eddy.core.value.ObjectValue.EMPTY));
                return null;
            });
            clock.advance(Duration.ofDays(10));
            store.retention().run();
            assertThat(store.changeLog().read(null, 10)).extracting(ChangeRecord::txnTs).containsExactly(second);
            assertThat(store.changeLog().retainedFromTs()).isEqualTo(horizon);
            // the horizon and the removal survive a restart; documents are untouched
            store.close();
            try (RocksStore again = Fixtures.open(dir, clock); Transaction t = again.begin()) {
                assertThat(again.changeLog().retainedFromTs()).isEqualTo(horizon);
                assertThat(again.changeLog().read(null, 10)).hasSize(1);
                assertThat(t.get(t.collection("C"), "1")).isNotNull();
            }
        }
    }
}
