package io.eddy.core.storage;

import static io.eddy.core.storage.Fixtures.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.changelog.ChangeOp;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.codec.RandomValues;
import io.eddy.core.codec.ValueOrder;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.schema.IndexField;
import io.eddy.core.schema.IndexSpec;
import io.eddy.core.txn.DocumentExistsException;
import io.eddy.core.txn.DocumentNotFoundException;
import io.eddy.core.txn.IndexEntry;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random transactions against an in-memory model (in the style of H2's TestRandomMapOps), with the
 * store closed and reopened now and then; documents, index scans (with bounds and pagination) and the
 * change log are compared after every operation or reopen. Replay a failure with {@code -Dseed=N}.
 */
class RandomizedStoreTest {
    @TempDir Path dir;

    private static final List<String> COLLS = List.of("A", "B");
    private static final Map<String, IndexSpec> CANDIDATES = Map.of(
            "byT", Fixtures.index(List.of("t"), List.of("a")),
            "byADesc", Fixtures.index(List.of(), List.of("-a", "b")),
            "byB", Fixtures.index(List.of(), List.of("b")),
            "byNested", Fixtures.index(List.of("n.x"), List.of("-a")));
    private static final List<Value> A_POOL = List.of(NullValue.NULL, new IntValue(0), new IntValue(1), new LongValue(1),
            new DoubleValue(1.0), new DoubleValue(1.5), new IntValue(-2), new StringValue("p"), new StringValue("q"),
            new DoubleValue(Double.NaN), new LongValue(Long.MAX_VALUE));
    private static final List<Value> T_POOL = List.of(new StringValue("x"), new StringValue("y"), NullValue.NULL);

    private record MDoc(long ts, ObjectValue data) {}

    private static final class MColl {
        final Map<String, IndexSpec> indexes = new TreeMap<>();
        final TreeMap<Long, MDoc> docs = new TreeMap<>();

        MColl copy() {
            MColl c = new MColl();
            c.indexes.putAll(indexes);
            c.docs.putAll(docs);
            return c;
        }
    }

    private long seed;
    private int step;
    private Random r;
    private RandomValues gen;
    private Fixtures.MutableClock clock;
    private RocksStore store;
    private TreeMap<String, MColl> model = new TreeMap<>();
    private final List<ChangeRecord> log = new ArrayList<>();

    private String ctx() {
        return "seed=" + seed + " step=" + step;
    }

    @Test
    void randomOperationsAgreeWithModel() {
        seed = RandomValues.seed();
        System.out.println("RandomizedStoreTest seed=" + seed + " (replay with -Dseed=" + seed + ")");
        r = new Random(seed);
        gen = new RandomValues(r);
        clock = new Fixtures.MutableClock(Instant.parse("2025-06-01T00:00:00Z"));
        store = RocksStore.open(Fixtures.config(dir, clock), new SplittableRandom(seed));
        try {
            for (String name : COLLS) {
                try (Transaction t = store.begin()) {
                    t.createCollection(new CollectionSpec(name, Map.of("byT", CANDIDATES.get("byT")), 0, null, ObjectValue.EMPTY));
                    store.commit(t).join();
                }
                MColl m = new MColl();
                m.indexes.put("byT", CANDIDATES.get("byT"));
                model.put(name, m);
            }
            int steps = Integer.getInteger("randomized.steps", 300);
            for (step = 0; step < steps; step++) {
                clock.advance(Duration.ofSeconds(1));
                if (r.nextInt(40) == 0) reopen();
                else randomTransaction();
            }
            reopen();
        } finally {
            store.close();
        }
    }

    private void reopen() {
        store.close();
        store = RocksStore.open(Fixtures.config(dir, clock), new SplittableRandom(seed + step));
        store.retention().purgeExpired();
        Instant now = clock.instant();
        for (MColl c : model.values()) c.docs.values().removeIf(d -> expired(d.data(), now));
        checkEverything();
        checkExpiryEntries(now);
    }

    /**
     * After a purge: nothing expired is stored, every stored document with a ttl has its expiry entry,
     * and no entry is due (the purge dropped those of deleted collections too).
     */
    private void checkExpiryEntries(Instant now) {
        try (RocksTransaction t = (RocksTransaction) store.begin()) {
            java.util.Set<String> expected = new java.util.HashSet<>();
            for (CollectionDef def : t.collections().values()) {
                for (RocksTransaction.Stored d : drain(t.scanStored(def, null))) {
                    assertThat(d.expired()).as(ctx() + " purged " + d.doc()).isFalse();
                    Instant ttl = RocksTransaction.ttlOf(d.doc().data());
                    if (ttl != null) expected.add(java.util.HexFormat.of().formatHex(Keys.expiryKey(ttl, def.collId(), d.docId())));
                }
            }
            List<String> entries = new ArrayList<>();
            try (var scan = t.openScan(TxnWrites.Cf.EXPIRY, new byte[0], false, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                    (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, (k, v) -> k)) {
                for (byte[] k; (k = scan.next()) != null; ) {
                    assertThat(java.util.Arrays.compareUnsigned(k, Keys.expiryEnd(now))).as(ctx() + " a due expiry entry").isGreaterThanOrEqualTo(0);
                    String hex = java.util.HexFormat.of().formatHex(k);
                    entries.add(hex);
                    long collId = Keys.expiryCollIdOf(k);
                    if (t.collections().values().stream().anyMatch(c -> c.collId() == collId)) {
                        assertThat(expected).as(ctx() + " a stale expiry entry of a live collection").contains(hex);
                    }
                }
            }
            assertThat(entries).as(ctx() + " expiry entries").containsAll(expected);
        }
    }

    private void checkEverything() {
        try (Transaction t = store.begin()) {
            Instant now = clock.instant();
            assertThat(t.collections().keySet()).as(ctx()).containsExactlyElementsOf(model.keySet());
            for (var e : model.entrySet()) {
                CollectionDef def = t.collection(e.getKey());
                assertThat(def.indexes().keySet()).as(ctx()).containsExactlyInAnyOrderElementsOf(e.getValue().indexes.keySet());
                assertThat(drain(t.scan(def, null))).as(ctx()).isEqualTo(expectedDocs(e.getKey(), e.getValue(), now));
                for (IndexDef idx : def.indexes().values()) {
                    for (Value term : T_POOL) {
                        List<Value> terms = idx.terms().isEmpty() ? List.of() : List.of(term);
                        assertThat(entries(drain(t.scanIndex(def, idx, terms, null, null, null)))).as(ctx() + " index " + idx.name())
                                .isEqualTo(expectedIndex(e.getValue(), e.getValue().indexes.get(idx.name()), terms, null, null, now));
                        if (idx.terms().isEmpty()) break;
                    }
                }
            }
        }
        assertThat(store.changeLog().read(null, Integer.MAX_VALUE)).as(ctx()).isEqualTo(log);
    }

    private void randomTransaction() {
        Instant now = clock.instant();
        TreeMap<String, MColl> view = new TreeMap<>();
        model.forEach((k, v) -> view.put(k, v.copy()));
        // net effect per document, in first-write order: key coll/id -> [before, after]
        LinkedHashMap<String, MDoc[]> changes = new LinkedHashMap<>();
        Map<String, String> changeColl = new HashMap<>();
        boolean abort = r.nextInt(10) == 0;
        try (Transaction t = store.begin()) {
            int ops = 1 + r.nextInt(6);
            for (int i = 0; i < ops; i++) {
                String name = COLLS.get(r.nextInt(COLLS.size()));
                MColl m = view.get(name);
                CollectionDef def = t.collection(name);
                int op = r.nextInt(100);
                if (op < 30) {
                    boolean explicit = r.nextBoolean();
                    long id = explicit ? 1 + r.nextInt(40) : 0;
                    ObjectValue data = randomData(now);
                    MDoc existing = explicit ? m.docs.get(id) : null;
                    if (existing != null && !expired(existing.data(), now)) {
                        assertThatThrownBy(() -> t.create(def, Long.toString(id), data)).as(ctx())
                                .isInstanceOf(DocumentExistsException.class);
                        continue;
                    }
                    DocumentValue d = t.create(def, explicit ? Long.toString(id) : null, data);
                    long docId = Long.parseLong(d.id());
                    assertThat(m.docs.containsKey(docId) && !explicit).as(ctx()).isFalse();
                    record(changes, changeColl, name, docId, existing != null && expired(existing.data(), now) ? null : existing,
                            new MDoc(DocumentValue.PENDING_TS, d.data()));
                    m.docs.put(docId, new MDoc(DocumentValue.PENDING_TS, d.data()));
                } else if (op < 50) {
                    Long id = randomLiveId(m, now);
                    if (id == null) continue;
                    ObjectValue data = randomData(now);
                    DocumentValue d = t.replace(def, Long.toString(id), data);
                    record(changes, changeColl, name, id, m.docs.get(id), new MDoc(DocumentValue.PENDING_TS, d.data()));
                    m.docs.put(id, new MDoc(DocumentValue.PENDING_TS, d.data()));
                } else if (op < 60) {
                    Long id = randomLiveId(m, now);
                    if (id == null) {
                        assertThatThrownBy(() -> t.delete(def, "999999")).as(ctx()).isInstanceOf(DocumentNotFoundException.class);
                        continue;
                    }
                    DocumentValue d = t.delete(def, Long.toString(id));
                    assertThat(d).as(ctx()).isEqualTo(new DocumentValue(name, Long.toString(id), m.docs.get(id).ts(), m.docs.get(id).data()));
                    record(changes, changeColl, name, id, m.docs.get(id), null);
                    m.docs.remove(id);
                } else if (op < 70) {
                    long id = 1 + r.nextInt(45);
                    MDoc d = m.docs.get(id);
                    DocumentValue expected = d == null || expired(d.data(), now) ? null
                            : new DocumentValue(name, Long.toString(id), d.ts(), d.data());
                    assertThat(t.get(def, Long.toString(id))).as(ctx()).isEqualTo(expected);
                } else if (op < 76) {
                    String after = r.nextBoolean() || m.docs.isEmpty() ? null : Long.toString(m.docs.firstKey() + r.nextInt(3));
                    List<DocumentValue> exp = expectedDocs(name, m, now).stream()
                            .filter(d -> after == null || Long.parseLong(d.id()) > Long.parseLong(after)).toList();
                    assertThat(drain(t.scan(def, after))).as(ctx()).isEqualTo(exp);
                } else if (op < 94) {
                    checkIndexScan(t, def, m, now);
                } else if (op < 98) {
                    // add or drop an index (the new one is built from existing documents)
                    Map<String, IndexSpec> specs = new TreeMap<>(m.indexes);
                    String cand = List.copyOf(new TreeMap<>(CANDIDATES).keySet()).get(r.nextInt(CANDIDATES.size()));
                    if (specs.containsKey(cand) && specs.size() > 1) specs.remove(cand);
                    else specs.put(cand, CANDIDATES.get(cand));
                    t.updateCollection(name, new CollectionSpec(name, specs, 0, null, ObjectValue.EMPTY));
                    m.indexes.clear();
                    m.indexes.putAll(specs);
                } else {
                    // truncate: delete and re-create the collection (documents leave no change records)
                    t.deleteCollection(name);
                    t.createCollection(new CollectionSpec(name, m.indexes, 0, null, ObjectValue.EMPTY));
                    m.docs.clear();
                    changes.keySet().removeIf(k -> changeColl.get(k).equals(name));
                }
            }
            if (abort) return;
            long ts = store.commit(t).join();
            // apply to the model
            for (var e : view.entrySet()) {
                MColl m = e.getValue();
                m.docs.replaceAll((id, d) -> d.ts() == DocumentValue.PENDING_TS ? new MDoc(ts, d.data()) : d);
            }
            model = view;
            int ordinal = 0;
            for (var e : changes.entrySet()) {
                MDoc before = e.getValue()[0], after = e.getValue()[1];
                if (before == null && after == null) continue;
                String coll = changeColl.get(e.getKey());
                String id = e.getKey().substring(e.getKey().indexOf('/') + 1);
                ChangeOp op = before == null ? ChangeOp.CREATE : after == null ? ChangeOp.DELETE : ChangeOp.UPDATE;
                long collId;
                try (Transaction tx = store.begin()) {
                    collId = tx.collection(coll).collId();
                }
                ChangeRecord rec = new ChangeRecord(ts, ordinal++, coll, collId, id, op,
                        before == null ? null : new DocumentValue(coll, id, before.ts(), before.data()),
                        after == null ? null : new DocumentValue(coll, id, ts, after.data()), 0);
                log.add(rec.withStoredBytes(ChangeRecordCodec.encode(rec).length));
            }
        }
        if (r.nextInt(8) == 0) checkEverything();
    }

    private void record(Map<String, MDoc[]> changes, Map<String, String> changeColl, String coll, long id, MDoc before, MDoc after) {
        String key = coll + "/" + id;
        changes.computeIfAbsent(key, k -> new MDoc[] {before, null})[1] = after;
        changeColl.put(key, coll);
    }

    private Long randomLiveId(MColl m, Instant now) {
        List<Long> live = m.docs.entrySet().stream().filter(e -> !expired(e.getValue().data(), now)).map(Map.Entry::getKey).toList();
        return live.isEmpty() ? null : live.get(r.nextInt(live.size()));
    }

    private ObjectValue randomData(Instant now) {
        Map<String, Value> f = new LinkedHashMap<>();
        if (r.nextInt(4) > 0) f.put("t", T_POOL.get(r.nextInt(2)));
        if (r.nextInt(5) > 0) f.put("a", A_POOL.get(r.nextInt(A_POOL.size())));
        f.put("b", r.nextInt(3) == 0 ? A_POOL.get(r.nextInt(A_POOL.size())) : gen.any(1));
        if (r.nextInt(3) == 0) f.put("n", Fixtures.obj("x", T_POOL.get(r.nextInt(3))));
        if (r.nextInt(8) == 0) f.put("ttl", new TimeValue(now.plusSeconds(r.nextInt(10) - 1)));
        return new ObjectValue(f);
    }

    private static boolean expired(ObjectValue data, Instant now) {
        return data.get("ttl") instanceof TimeValue t && !t.value().isAfter(now);
    }

    private static List<DocumentValue> expectedDocs(String name, MColl m, Instant now) {
        List<DocumentValue> out = new ArrayList<>();
        m.docs.forEach((id, d) -> {
            if (!expired(d.data(), now)) out.add(new DocumentValue(name, Long.toString(id), d.ts(), d.data()));
        });
        return out;
    }

    private void checkIndexScan(Transaction t, CollectionDef def, MColl m, Instant now) {
        List<String> names = List.copyOf(new TreeMap<>(def.indexes()).keySet());
        IndexDef idx = def.indexes().get(names.get(r.nextInt(names.size())));
        IndexSpec spec = m.indexes.get(idx.name());
        List<Value> terms = idx.terms().isEmpty() ? List.of() : List.of(T_POOL.get(r.nextInt(T_POOL.size())));
        List<Value> from = r.nextInt(3) == 0 ? randomBound(idx) : null;
        List<Value> to = r.nextInt(3) == 0 ? randomBound(idx) : null;
        List<E> expected = expectedIndex(m, spec, terms, from, to, now);
        if (r.nextBoolean()) {
            assertThat(entries(drain(t.scanIndex(def, idx, terms, from, to, null)))).as(ctx() + " " + idx.name() + " from " + from + " to " + to)
                    .isEqualTo(expected);
        } else {
            List<IndexEntry> all = new ArrayList<>();
            byte[] after = null;
            int page = 1 + r.nextInt(3);
            while (true) {
                List<IndexEntry> got = new ArrayList<>();
                try (var s = t.scanIndex(def, idx, terms, from, to, after)) {
                    for (IndexEntry e; got.size() < page && (e = s.next()) != null; ) got.add(e);
                }
                if (got.isEmpty()) break;
                all.addAll(got);
                after = got.getLast().position();
            }
            assertThat(entries(all)).as(ctx() + " paginated " + idx.name()).isEqualTo(expected);
        }
    }

    private List<Value> randomBound(IndexDef idx) {
        int n = 1 + r.nextInt(idx.values().size());
        List<Value> b = new ArrayList<>();
        for (int i = 0; i < n; i++) b.add(A_POOL.get(r.nextInt(A_POOL.size())));
        return b;
    }

    private record E(String docId, List<Value> values) {}

    /** (docId, values) pairs. */
    private static List<E> entries(List<IndexEntry> es) {
        return es.stream().map(e -> new E(e.docId(), e.values())).toList();
    }

    private static Value resolve(ObjectValue data, List<String> path) {
        Value v = data;
        for (String p : path) v = v instanceof ObjectValue o ? o.get(p) : NullValue.NULL;
        return v;
    }

    private static List<Value> resolveAll(ObjectValue data, List<IndexField> fs) {
        return fs.stream().map(f -> resolve(data, f.path())).toList();
    }

    private static int comparePrefix(List<Value> values, List<Value> bound, List<IndexField> fields) {
        for (int i = 0; i < bound.size(); i++) {
            int c = ValueOrder.INSTANCE.compare(values.get(i), bound.get(i));
            if (fields.get(i).descending()) c = -c;
            if (c != 0) return c;
        }
        return 0;
    }

    private static List<E> expectedIndex(MColl m, IndexSpec spec, List<Value> terms, List<Value> from, List<Value> to, Instant now) {
        List<Map.Entry<Long, List<Value>>> es = new ArrayList<>();
        m.docs.forEach((id, d) -> {
            if (expired(d.data(), now)) return;
            List<Value> ts = resolveAll(d.data(), spec.terms());
            for (int i = 0; i < ts.size(); i++) if (ValueOrder.INSTANCE.compare(ts.get(i), terms.get(i)) != 0) return;
            List<Value> vs = resolveAll(d.data(), spec.values());
            if (from != null && comparePrefix(vs, from, spec.values()) < 0) return;
            if (to != null && comparePrefix(vs, to, spec.values()) > 0) return;
            es.add(Map.entry(id, vs));
        });
        Comparator<Map.Entry<Long, List<Value>>> cmp = (x, y) -> comparePrefix(x.getValue(), y.getValue(), spec.values());
        es.sort(cmp.thenComparing(Map.Entry::getKey));
        return es.stream().map(e -> new E(Long.toString(e.getKey()), e.getValue())).toList();
    }
}
