package io.eddy.core.storage;

import static io.eddy.core.storage.Fixtures.createCollection;
import static io.eddy.core.storage.Fixtures.drain;
import static io.eddy.core.storage.Fixtures.obj;
import static io.eddy.core.storage.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocumentValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;

/**
 * The effects of the RocksDB tuning in {@code RocksStore} that the commit path's latency rests on, which
 * no other test would notice were it lost (only the benchmark would):
 * <ul>
 *   <li>The write-ahead log's files are reused once freed: a synced write then overwrites blocks the file
 *       already has instead of growing a new file, which keeps {@code fdatasync} from also writing the
 *       file's metadata (its size changes with every append). A reused file still holds the old log's bytes past the new records, so
 *       recovery from one must stop at the new records' end. A {@link WalPrefetcher} finds the writer of the
 *       reused file and reads ahead of it.</li>
 *   <li>Flush and compaction threads run at the lowest CPU priority.</li>
 * </ul>
 */
class RocksTuningTest {
    @TempDir Path dir;

    private static final String PAYLOAD = "x".repeat(2_000);

    @Test
    void aFreedLogFileIsReusedAndRecoveryReadsOnlyItsNewRecords() throws Exception {
        Set<String> written = new HashSet<>();
        long firstLogBytes;
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            write(store, c, 500, written); // ~1 MB of documents, each with its change record
            firstLogBytes = Files.size(newestLog());
            assertThat(firstLogBytes).isGreaterThan(1_000_000);

            // The first switch needs a fresh file (nothing is free yet) and frees the first one; a later
            // switch takes the freed file, which already has its old size. Flushes free files in the
            // background, so allow a few rounds.
            boolean reused = false;
            for (int round = 0; round < 8 && !reused; round++) {
                flushAll(store);
                write(store, c, 1, written);
                reused = Files.size(newestLog()) >= firstLogBytes;
            }
            assertThat(reused).as("the log file after a switch is a freed one, overwritten in place").isTrue();

            // The prefetcher finds RocksDB's writer of the reused file and reads ahead of it.
            WalPrefetcher prefetcher = WalPrefetcher.manual(dir, 64 * 1024);
            try {
                prefetcher.tick(0);
                assertThat(prefetcher.currentLog()).isEqualTo(newestLog().toRealPath());
                long before = prefetcher.prefetchedTo();
                assertThat(before).isGreaterThan(64 * 1024).isLessThanOrEqualTo(Files.size(newestLog()));
                write(store, c, 20, written); // into the reused file, after its old bytes were overwritten in part
                prefetcher.tick(1);
                assertThat(prefetcher.prefetchedTo()).isGreaterThan(before);
            } finally {
                prefetcher.close();
            }
            // Closed without a flush: reopening must replay the reused file.
        }
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            Set<String> found = new HashSet<>();
            try (Transaction t = store.begin()) {
                for (DocumentValue d : drain(t.scan(t.collection("C"), null))) found.add(d.id());
            }
            assertThat(found).isEqualTo(written);
            List<ChangeRecord> log = store.changeLog().read(null, 10_000);
            assertThat(log.stream().filter(r -> r.coll().equals("C")).count()).isEqualTo(written.size());
        }
    }

    @Test
    void flushThreadsRunAtTheLowestCpuPriority() throws Exception {
        Path tasks = Path.of("/proc/self/task");
        assumeTrue(Files.isDirectory(tasks), "Linux's /proc is needed to read thread priorities");
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("C", Map.of()));
            write(store, c, 10, new HashSet<>());
            flushAll(store); // a flush thread has run a job, so it has applied the priority
            List<Integer> niceOfFlushThreads = new ArrayList<>();
            try (Stream<Path> threads = Files.list(tasks)) {
                for (Path t : (Iterable<Path>) threads::iterator) {
                    String name, stat;
                    try {
                        name = Files.readString(t.resolve("comm")).strip();
                        stat = Files.readString(t.resolve("stat"));
                    } catch (IOException gone) {
                        continue; // the thread ended meanwhile
                    }
                    // Fields after the name, which is in parentheses: state is field 3, nice field 19.
                    if (name.equals("rocksdb:high")) {
                        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        niceOfFlushThreads.add(Integer.parseInt(rest[19 - 3]));
                    }
                }
            }
            assertThat(niceOfFlushThreads).isNotEmpty().allMatch(n -> n == 19);
        }
    }

    private static void write(RocksStore store, CollectionDef c, int docs, Set<String> written) {
        for (int i = 0; i < docs; i++) {
            try (Transaction t = store.begin()) {
                written.add(t.create(c, null, obj("payload", PAYLOAD, "n", i)).id());
                store.commit(t).join();
            }
        }
    }

    private static void flushAll(RocksStore store) throws Exception {
        try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
            store.db.flush(wait, store.handles);
        }
    }

    /** The log file with the highest number: the one being written. */
    private Path newestLog() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .max((a, b) -> Long.compare(number(a), number(b)))
                    .orElseThrow();
        }
    }

    private static long number(Path log) {
        String name = log.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - ".log".length()));
    }
}
