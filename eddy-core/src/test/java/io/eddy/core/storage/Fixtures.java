package io.eddy.core.storage;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.schema.IndexField;
import io.eddy.core.schema.IndexSpec;
import io.eddy.core.txn.Scan;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** Helpers shared by the storage tests. */
final class Fixtures {
    private Fixtures() {}

    /** A clock tests move by hand (also backwards). */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) { now = new AtomicReference<>(start); }

        void advance(Duration d) { now.updateAndGet(i -> i.plus(d)); }

        void set(Instant i) { now.set(i); }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public Instant instant() { return now.get(); }
    }

    static StoreConfig config(Path dir, Clock clock) {
        return new StoreConfig(dir, Duration.ofHours(24), 1024, clock, StoreConfig.DEFAULT_WAL_PREFETCH_BYTES);
    }

    static RocksStore open(Path dir, Clock clock) {
        return RocksStore.open(config(dir, clock), new SplittableRandom(42));
    }

    static ObjectValue obj(Object... kv) {
        Map<String, Value> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], value(kv[i + 1]));
        return new ObjectValue(m);
    }

    static Value value(Object o) {
        return switch (o) {
            case null -> NullValue.NULL;
            case Value v -> v;
            case String s -> new StringValue(s);
            case Integer i -> new IntValue(i);
            case Long l -> new LongValue(l);
            case Double d -> new DoubleValue(d);
            default -> throw new IllegalArgumentException(o.toString());
        };
    }

    static List<Value> vals(Object... os) {
        return Arrays.stream(os).map(Fixtures::value).toList();
    }

    /** "name" ascending, "-name" descending; dots split paths. */
    static IndexField field(String f) {
        boolean desc = f.startsWith("-");
        String name = desc ? f.substring(1) : f;
        return new IndexField("." + name, List.of(name.split("\\.")), desc);
    }

    static IndexSpec index(List<String> terms, List<String> values) {
        return new IndexSpec(terms.stream().map(Fixtures::field).toList(), values.stream().map(Fixtures::field).toList());
    }

    static CollectionSpec spec(String name, Map<String, IndexSpec> indexes) {
        return new CollectionSpec(name, indexes, 0, null, obj("name", name));
    }

    static CollectionDef createCollection(Store store, CollectionSpec spec) {
        try (Transaction t = store.begin()) {
            t.createCollection(spec);
            store.commit(t).join();
        }
        try (Transaction t = store.begin()) {
            return t.collection(spec.name());
        }
    }

    static <T> List<T> drain(Scan<T> s) {
        try (s) {
            List<T> out = new ArrayList<>();
            for (T t; (t = s.next()) != null; ) out.add(t);
            return out;
        }
    }

    /** Runs {@code body} in a transaction and commits it; returns body's result. */
    static <T> T inTxn(Store store, Function<Transaction, T> body) {
        try (Transaction t = store.begin()) {
            T r = body.apply(t);
            store.commit(t).join();
            return r;
        }
    }
}
