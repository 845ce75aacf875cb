package io.eddy.microbench;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.changelog.LogPosition;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.storage.Store;
import io.eddy.core.storage.StoreConfig;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.ObjectValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading one collection's history from the change log ({@code ChangeLog.readCollection}, what feeds and
 * replay read), on a real store in a temporary folder: a busy collection of {@code transactions} × 1,000
 * records whose every 50th transaction also wrote one document of a quiet one. {@code busy} reads all of
 * the busy collection's records page by page (16,000 a page); {@code quiet} reads the quiet one's records,
 * which sit among the others: its cost should follow its own records, not the window's.
 * {@code -p transactions=500} is P5's history (500,000 records, partly in flushed files).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ChangeLogReadBenchmark {
    private static final int PER_TRANSACTION = 1_000, QUIET_EVERY = 50;

    /** Transactions of 1,000 busy records: 100 fit in the memtable; P5's 500 reach flushed files too. */
    @Param({"100"})
    public int transactions;

    private Path dir;
    private Store store;
    private long horizon;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("eddy-microbench");
        store = Store.open(StoreConfig.defaults(dir));
        CollectionDef busy = createCollection("Busy");
        CollectionDef quiet = createCollection("Quiet");
        for (int t = 0; t < transactions; t++) {
            try (Transaction txn = store.begin()) {
                if (t % QUIET_EVERY == QUIET_EVERY / 2) txn.create(quiet, null, one(t));
                for (int i = 0; i < PER_TRANSACTION; i++) txn.create(busy, null, Documents.data(t * PER_TRANSACTION + i));
                store.commit(txn).join();
            }
        }
        horizon = store.lastCommittedTs();
        // As P5 does: history is read once the flushes and compactions of the bulk write are over.
        try {
            Thread.sleep(transactions > 100 ? 10_000 : 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CollectionDef createCollection(String name) {
        try (Transaction txn = store.begin()) {
            txn.createCollection(new CollectionSpec(name, Map.of(), 0, null, ObjectValue.EMPTY));
            store.commit(txn).join();
        }
        try (Transaction txn = store.begin()) {
            return txn.collection(name);
        }
    }

    private static ObjectValue one(int n) {
        LinkedHashMap<String, io.eddy.core.value.Value> m = new LinkedHashMap<>();
        m.put("n", new IntValue(n));
        return ObjectValue.ofOwned(m);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private int readAll(String coll) {
        int records = 0;
        LogPosition pos = null;
        ChangeLog.CollectionPage page;
        do {
            page = store.changeLog().readCollection(pos, coll, horizon, 16_000);
            records += page.records().size();
            pos = page.lastExamined();
        } while (!page.exhausted());
        return records;
    }

    @Benchmark
    public int busy() {
        return readAll("Busy");
    }

    @Benchmark
    public int quiet() {
        return readAll("Quiet");
    }
}
