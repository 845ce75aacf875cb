package io.eddy.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.changelog.ChangeOp;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocumentValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a child JVM that is committing from several threads, then checks that every
 * acknowledged commit survived with its change-log records, and that the log has no gaps or
 * duplicates. Two crash rounds on the same folder.
 */
class CrashTest {
    @TempDir Path dir;

    /** ts -> ids acknowledged by the child. */
    private final Map<Long, List<String>> acked = new HashMap<>();

    @Test
    void acknowledgedCommitsSurviveSigkill() throws Exception {
        for (int round = 0; round < 2; round++) {
            int acks = runAndKill(200 + round * 300);
            System.out.printf("crash round %d: killed after %d acknowledged commits%n", round, acks);
            verify();
        }
    }

    private int runAndKill(int killAfterAcks) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(), "6");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        int n = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    long ts = Long.parseLong(parts[1]);
                    List<String> ids = List.of(parts).subList(2, parts.length);
                    assertThat(acked.put(ts, ids)).as("ts %d acknowledged twice", ts).isNull();
                    if (++n >= killAfterAcks) break;
                }
                assertThat(System.nanoTime()).as("child too slow").isLessThan(deadline);
            }
            // SIGKILL, in the middle of the stream of commits. Through the handle, so that the pipe stays
            // open and the lines the child wrote before dying can still be read (Process.destroy closes it).
            p.toHandle().destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // lines already written before the kill are acknowledged too
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    acked.put(Long.parseLong(parts[1]), List.of(parts).subList(2, parts.length));
                    n++;
                }
            }
        } finally {
            p.destroyForcibly();
        }
        assertThat(n).as("child acknowledged nothing").isPositive();
        return n;
    }

    private void verify() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            List<ChangeRecord> log = store.changeLog().read(null, Integer.MAX_VALUE);
            // ordered, no duplicates, ordinals 0..n-1 within each transaction
            Set<String> seenIds = new HashSet<>();
            Map<Long, List<String>> logged = new HashMap<>();
            for (int i = 0; i < log.size(); i++) {
                ChangeRecord r = log.get(i);
                if (i > 0) assertThat(r.position()).isGreaterThan(log.get(i - 1).position());
                int expectedOrdinal = i > 0 && log.get(i - 1).txnTs() == r.txnTs() ? log.get(i - 1).ordinal() + 1 : 0;
                assertThat(r.ordinal()).as("ordinal gap at %s", r.position()).isEqualTo(expectedOrdinal);
                assertThat(r.op()).isEqualTo(ChangeOp.CREATE);
                assertThat(seenIds.add(r.id())).as("duplicate record for %s", r.id()).isTrue();
                logged.computeIfAbsent(r.txnTs(), k -> new ArrayList<>()).add(r.id());
            }
            // the collection's index of the log lists exactly the same records (same atomic write)
            assertThat(store.changeLog().readCollection(null, "C", Long.MAX_VALUE, Integer.MAX_VALUE).records())
                    .isEqualTo(log);
            // every acknowledged commit is there, whole
            for (var e : acked.entrySet()) {
                assertThat(logged.get(e.getKey())).as("records of acknowledged ts %d", e.getKey()).isEqualTo(e.getValue());
            }
            try (Transaction t = store.begin()) {
                CollectionDef c = t.collection("C");
                List<DocumentValue> docs = Fixtures.drain(t.scan(c, null));
                // documents and change log were written atomically: same set, same versions
                assertThat(docs).hasSize(log.size());
                Map<String, Long> tsById = new HashMap<>();
                for (ChangeRecord r : log) tsById.put(r.id(), r.txnTs());
                for (DocumentValue d : docs) assertThat(d.ts()).isEqualTo(tsById.get(d.id()));
                assertThat(t.snapshotTs()).isEqualTo(log.getLast().txnTs());
            }
            // commit times continue after the crash
            try (Transaction t = store.begin()) {
                long maxAcked = acked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
                t.createCollection(Fixtures.spec("After" + System.nanoTime(), Map.of()));
                assertThat(store.commit(t).join()).isGreaterThan(maxAcked).isGreaterThan(log.getLast().txnTs());
            }
        }
    }
}
