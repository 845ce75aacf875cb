package io.eddy.core.storage;

import static io.eddy.core.storage.Fixtures.createCollection;
import static io.eddy.core.storage.Fixtures.drain;
import static io.eddy.core.storage.Fixtures.inTxn;
import static io.eddy.core.storage.Fixtures.index;
import static io.eddy.core.storage.Fixtures.obj;
import static io.eddy.core.storage.Fixtures.spec;
import static io.eddy.core.storage.Fixtures.vals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.txn.IndexEntry;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.Value;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;

class IndexTest {
    @TempDir Path dir;

    private static List<String> ids(List<IndexEntry> es) {
        return es.stream().map(IndexEntry::docId).toList();
    }

    private CollectionDef people(RocksStore store) {
        return createCollection(store, spec("Person", Map.of(
                "byCity", index(List.of("city"), List.of("-age", "name")),
                "byAge", index(List.of(), List.of("age")))));
    }

    private void seed(RocksStore store, CollectionDef c) {
        inTxn(store, t -> {
            t.create(c, "1", obj("name", "ann", "age", 30, "city", "Oslo"));
            t.create(c, "2", obj("name", "bob", "age", 25, "city", "Oslo"));
            t.create(c, "3", obj("name", "cid", "age", 30, "city", "Oslo"));
            t.create(c, "4", obj("name", "dan", "age", 40, "city", "Rome"));
            t.create(c, "5", obj("name", "eve", "city", "Oslo")); // no age: indexes as null
            t.create(c, "6", obj("name", "fay", "age", 30.5, "city", "Oslo"));
            return null;
        });
    }

    @Test
    void termsValuesDescendingOrderAndMissingFields() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = people(store);
            seed(store, c);
            IndexDef byCity = c.indexes().get("byCity"), byAge = c.indexes().get("byAge");
            try (Transaction t = store.begin()) {
                List<IndexEntry> oslo = drain(t.scanIndex(c, byCity, vals("Oslo"), null, null, null));
                // age descending (null is smallest, so last), then name ascending, then id
                assertThat(ids(oslo)).containsExactly("6", "1", "3", "2", "5");
                assertThat(oslo.getFirst().values()).isEqualTo(vals(30.5, "fay"));
                assertThat(oslo.getLast().values()).isEqualTo(List.of(NullValue.NULL, vals("eve").getFirst()));
                assertThat(ids(drain(t.scanIndex(c, byCity, vals("Rome"), null, null, null)))).containsExactly("4");
                assertThat(drain(t.scanIndex(c, byCity, vals("Paris"), null, null, null))).isEmpty();
                assertThat(drain(t.scanIndex(c, byCity, vals("Osl"), null, null, null))).isEmpty(); // exact terms
                assertThat(ids(drain(t.scanIndex(c, byAge, List.of(), null, null, null)))).containsExactly("5", "2", "1", "3", "6", "4");
                assertThatThrownBy(() -> t.scanIndex(c, byCity, List.of(), null, null, null)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void rangesAndPagination() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = people(store);
            seed(store, c);
            IndexDef byCity = c.indexes().get("byCity"), byAge = c.indexes().get("byAge");
            try (Transaction t = store.begin()) {
                // inclusive value-prefix bounds; ints, longs and doubles compare numerically
                assertThat(ids(drain(t.scanIndex(c, byAge, List.of(), vals(25), vals(30L), null)))).containsExactly("2", "1", "3");
                assertThat(ids(drain(t.scanIndex(c, byAge, List.of(), vals(26), null, null)))).containsExactly("1", "3", "6", "4");
                assertThat(ids(drain(t.scanIndex(c, byAge, List.of(), null, vals(30.0), null)))).containsExactly("5", "2", "1", "3");
                // descending first value: "from 30 to 25" in index order
                assertThat(ids(drain(t.scanIndex(c, byCity, vals("Oslo"), vals(30), vals(25), null)))).containsExactly("1", "3", "2");
                // two-value prefix bound
                assertThat(ids(drain(t.scanIndex(c, byCity, vals("Oslo"), vals(30, "b"), vals(30, "c"), null)))).isEmpty();
                assertThat(ids(drain(t.scanIndex(c, byCity, vals("Oslo"), vals(30, "a"), vals(30, "cid"), null)))).containsExactly("1", "3");
                // pagination: continue after each entry's position
                List<String> paged = new ArrayList<>();
                byte[] after = null;
                while (true) {
                    List<IndexEntry> page = new ArrayList<>();
                    try (var s = t.scanIndex(c, byCity, vals("Oslo"), null, null, after)) {
                        for (IndexEntry e; page.size() < 2 && (e = s.next()) != null; ) page.add(e);
                    }
                    if (page.isEmpty()) break;
                    page.forEach(e -> paged.add(e.docId()));
                    after = page.getLast().position();
                }
                assertThat(paged).containsExactly("6", "1", "3", "2", "5");
                // a position plus a lower bound: the later of the two wins
                byte[] pos = drain(t.scanIndex(c, byAge, List.of(), null, null, null)).get(1).position(); // after "2"
                assertThat(ids(drain(t.scanIndex(c, byAge, List.of(), vals(30), null, pos)))).containsExactly("1", "3", "6", "4");
                assertThat(ids(drain(t.scanIndex(c, byAge, List.of(), vals(0), null, pos)))).containsExactly("1", "3", "6", "4");
                byte[] foreign = drain(t.scanIndex(c, byCity, vals("Rome"), null, null, null)).getFirst().position();
                assertThatThrownBy(() -> t.scanIndex(c, byCity, vals("Oslo"), null, null, foreign))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Test
    void maintenanceOnUpdateDeleteAndReadYourWrites() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = people(store);
            seed(store, c);
            IndexDef byAge = c.indexes().get("byAge");
            try (Transaction t = store.begin()) {
                t.replace(c, "4", obj("name", "dan", "age", 1, "city", "Rome"));
                t.delete(c, "1");
                t.create(c, "7", obj("age", ArrayValue.of(new IntValue(1), new IntValue(2)))); // array: indexed as the array
                assertThat(ids(drain(t.scanIndex(c, byAge, List.of(), null, null, null)))).containsExactly("5", "4", "2", "3", "6", "7");
                store.commit(t).join();
            }
            try (Transaction t = store.begin()) {
                List<IndexEntry> all = drain(t.scanIndex(c, byAge, List.of(), null, null, null));
                assertThat(ids(all)).containsExactly("5", "4", "2", "3", "6", "7");
                assertThat(all.getLast().values()).isEqualTo(List.<Value>of(ArrayValue.of(new IntValue(1), new IntValue(2))));
            }
        }
    }

    @Test
    void scanSeesWritesMadeWhileOpen() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = people(store);
            seed(store, c);
            try (Transaction t = store.begin(); var s = t.scan(c, null)) {
                assertThat(s.next().id()).isEqualTo("1");
                t.delete(c, "2");
                t.create(c, "100", obj("name", "zed"));
                List<String> rest = new ArrayList<>();
                for (var d = s.next(); d != null; d = s.next()) rest.add(d.id());
                assertThat(rest).containsExactly("3", "4", "5", "6", "100");
            }
        }
    }

    @Test
    void buildingAnIndexOnANonEmptyCollectionLogsItsStartAndItsDocumentCount() {
        Logger schemaLog = (Logger) LoggerFactory.getLogger(SchemaOps.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        schemaLog.addAppender(appender);
        Level before = schemaLog.getLevel(); // the tests' logback config keeps INFO quiet
        schemaLog.setLevel(Level.INFO);
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = people(store);
            seed(store, c);
            try (Transaction t = store.begin()) {
                t.updateCollection("Person", spec("Person", Map.of(
                        "byCity", index(List.of("city"), List.of("-age", "name")),
                        "byAge", index(List.of(), List.of("age")),
                        "byName", index(List.of(), List.of("name")))));
                store.commit(t).join();
            }
        } finally {
            schemaLog.detachAppender(appender);
            schemaLog.setLevel(before);
        }
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).containsExactly(
                "building index(es) [byName] of Person: scanning its documents",
                "built index(es) [byName] of Person from 6 documents (visible once this transaction commits)");
    }

    @Test
    void addIndexToNonEmptyCollectionDropIndexRenameAndDelete() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = people(store);
            seed(store, c);
            int oldByCity = c.indexes().get("byCity").indexId();
            CollectionSpec updated = spec("People", Map.of(
                    "byAge", index(List.of(), List.of("age")),
                    "byName", index(List.of(), List.of("-name"))));
            CollectionDef u;
            try (Transaction t = store.begin()) {
                t.create(c, "8", obj("name", "hal", "age", 50)); // written before the update: indexed too
                u = t.updateCollection("Person", updated);
                assertThat(u.collId()).isEqualTo(c.collId());
                assertThat(u.indexes().get("byAge")).isEqualTo(c.indexes().get("byAge")); // unchanged: kept
                assertThat(t.collection("Person")).isNull();
                assertThat(t.collections()).containsOnlyKeys("People");
                assertThat(ids(drain(t.scanIndex(u, u.indexes().get("byName"), List.of(), null, null, null))))
                        .containsExactly("8", "6", "5", "4", "3", "2", "1");
                t.create(u, "9", obj("name", "aaa")); // after the update: maintained
                store.commit(t).join();
            }
            try (RocksStore reopened = reopen(store)) {
                try (Transaction t = reopened.begin()) {
                    CollectionDef p = t.collection("People");
                    assertThat(p).isNotNull();
                    assertThat(p.ts()).isPositive();
                    assertThat(ids(drain(t.scanIndex(p, p.indexes().get("byName"), List.of(), null, null, null))))
                            .containsExactly("8", "6", "5", "4", "3", "2", "1", "9");
                    assertThat(t.get(p, "1").coll()).isEqualTo("People");
                }
                assertThat(countIndexKeys(reopened, oldByCity)).isZero(); // dropped index's entries are gone
                // delete the collection: documents and entries go
                int byName;
                try (Transaction t = reopened.begin()) {
                    CollectionDef p = t.collection("People");
                    byName = p.indexes().get("byName").indexId();
                    t.deleteCollection("People");
                    assertThat(t.get(p, "1")).isNull();
                    assertThat(drain(t.scan(p, null))).isEmpty();
                    assertThatThrownBy(() -> t.create(p, null, io.eddy.core.value.ObjectValue.EMPTY)).isInstanceOf(IllegalStateException.class);
                    reopened.commit(t).join();
                }
                assertThat(countIndexKeys(reopened, byName)).isZero();
                CollectionDef again = createCollection(reopened, spec("People", Map.of()));
                assertThat(again.collId()).isNotEqualTo(c.collId());
                try (Transaction t = reopened.begin()) {
                    assertThat(drain(t.scan(again, null))).isEmpty();
                    assertThat(drain(t.scan(c, null))).isEmpty();
                }
            }
        }
    }

    private RocksStore reopen(RocksStore store) {
        store.close();
        return Fixtures.open(dir, Clock.systemUTC());
    }

    private static long countIndexKeys(RocksStore store, int indexId) {
        long n = 0;
        try (var it = store.db.newIterator(store.cfIndex)) {
            for (it.seek(Keys.indexPrefix(indexId)); it.isValid() && Keys.readUInt(it.key(), 0) == indexId; it.next()) n++;
        }
        return n;
    }
}
