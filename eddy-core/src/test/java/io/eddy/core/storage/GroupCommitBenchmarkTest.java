package io.eddy.core.storage;

import static io.eddy.core.storage.Fixtures.createCollection;
import static io.eddy.core.storage.Fixtures.obj;
import static io.eddy.core.storage.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.Transaction;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints commit throughput with 1 and with 16 committing threads (each commit: one small document,
 * synced). Numbers are printed, not asserted; only the grouping itself is checked.
 * {@code -Dbench.commits=N} changes the number of commits per run.
 */
class GroupCommitBenchmarkTest {
    @TempDir Path dir;

    @Test
    void commitsPerSecond() throws Exception {
        int total = Integer.getInteger("bench.commits", 3000);
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("Bench", Map.of("byN", Fixtures.index(List.of(), List.of("n")))));
            run(store, c, 1, total / 4); // warm-up
            for (int threads : new int[] {1, 4, 16}) {
                StoreStats before = store.stats();
                long t0 = System.nanoTime();
                run(store, c, threads, total);
                double secs = (System.nanoTime() - t0) / 1e9;
                StoreStats after = store.stats();
                long batches = after.batches() - before.batches();
                System.out.printf("group commit: %2d threads: %6.0f commits/s, %5.1f us/commit, %d commits in %d synced batches (%.1f per batch)%n",
                        threads, total / secs, secs * 1e6 / total, total, batches, (double) total / batches);
                if (threads == 16) assertThat(batches).isLessThan(total);
            }
        }
    }

    private static void run(RocksStore store, CollectionDef c, int threads, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int per = total / threads + (i < total % threads ? 1 : 0);
            fs.add(pool.submit(() -> {
                start.await();
                for (int j = 0; j < per; j++) {
                    try (Transaction t = store.begin()) {
                        t.create(c, null, obj("n", j, "s", "some text"));
                        store.commit(t).join();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : fs) f.get();
        pool.shutdown();
    }
}
