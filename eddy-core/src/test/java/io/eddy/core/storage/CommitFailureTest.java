package io.eddy.core.storage;

import static io.eddy.core.storage.Fixtures.createCollection;
import static io.eddy.core.storage.Fixtures.drain;
import static io.eddy.core.storage.Fixtures.obj;
import static io.eddy.core.storage.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.changelog.CommittedTxn;
import io.eddy.core.changelog.LogPosition;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.StringValue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group commit whose synced write fails (RocksDB refuses it, {@link WriteFaults}): its transactions
 * fail, none of their documents or change-log records exist (before or after a reopen), the listeners
 * hear {@code preparing} then {@code abandoned} and never {@code committed}, and the store goes on
 * committing with later timestamps.
 */
class CommitFailureTest {
    @TempDir Path dir;
    final Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    private static String name(DocumentValue d) {
        return ((StringValue) d.data().get("name")).value();
    }

    @Test
    void aFailedWriteLeavesNothingAndTheStoreGoesOn() throws Exception {
        String ghost;
        long doomedTs;
        List<ChangeRecord> logAfter;
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef users = createCollection(store, spec("User", Map.of()));
            long before = store.lastCommittedTs();
            List<String> heard = Collections.synchronizedList(new ArrayList<>());
            AutoCloseable reg = store.changeLog().addListener(new ChangeLog.CommitListener() {
                @Override public void preparing(List<CommittedTxn> group) { heard.add("preparing " + group.getFirst().txnTs()); }

                @Override public void committed(List<CommittedTxn> group) { heard.add("committed " + group.getFirst().txnTs()); }

                @Override public void abandoned(List<CommittedTxn> group) { heard.add("abandoned " + group.getFirst().txnTs()); }
            });
            AtomicBoolean doom = new AtomicBoolean(true);
            try (WriteFaults faults = WriteFaults.install(store, g -> doom.get())) {
                try (Transaction t = store.begin()) {
                    ghost = t.create(users, null, obj("name", "ghost")).id();
                    assertThatThrownBy(() -> store.commit(t).join()).isInstanceOf(CompletionException.class)
                            .hasCauseInstanceOf(StorageException.class);
                }
                doom.set(false);
                assertThat(faults.failed()).isEqualTo(1);
            }
            doomedTs = Long.parseLong(heard.getFirst().substring("preparing ".length()));
            assertThat(heard).containsExactly("preparing " + doomedTs, "abandoned " + doomedTs);
            assertThat(store.lastCommittedTs()).isEqualTo(before);
            assertThat(store.changeLog().read(LogPosition.endOf(before), 10)).isEmpty();
            try (Transaction r = store.begin()) {
                assertThat(r.get(users, ghost)).isNull();
                assertThat(drain(r.scan(users, null))).isEmpty();
            }

            long aliveTs;
            try (Transaction t = store.begin()) {
                t.create(users, null, obj("name", "alive"));
                aliveTs = store.commit(t).join();
            }
            assertThat(aliveTs).as("a timestamp is never handed out twice").isGreaterThan(doomedTs);
            assertThat(heard.subList(2, heard.size())).containsExactly("preparing " + aliveTs, "committed " + aliveTs);
            logAfter = store.changeLog().read(LogPosition.endOf(before), 10);
            assertThat(logAfter).extracting(ChangeRecord::txnTs).containsExactly(aliveTs);
            reg.close();
        }
        try (RocksStore store = Fixtures.open(dir, clock)) {
            try (Transaction r = store.begin()) {
                CollectionDef users = r.collection("User");
                assertThat(r.get(users, ghost)).isNull();
                assertThat(drain(r.scan(users, null))).extracting(CommitFailureTest::name).containsExactly("alive");
            }
            assertThat(store.changeLog().read(LogPosition.endOf(logAfter.getFirst().txnTs() - 1), 10))
                    .extracting(ChangeRecord::txnTs).containsExactly(logAfter.getFirst().txnTs());
        }
    }

    /**
     * After a failed write, conflicts are still found where a real commit intervened, and a transaction
     * that retries the failed change on the same document commits (the failed write left no phantom
     * change behind to conflict with for ever).
     */
    @Test
    void conflictsAfterAFailedWriteAreTheRealOnes() throws Exception {
        try (RocksStore store = Fixtures.open(dir, clock)) {
            CollectionDef users = createCollection(store, spec("User", Map.of()));
            String id = Fixtures.inTxn(store, t -> t.create(users, null, obj("name", "a")).id());
            Transaction stale = store.begin();
            stale.get(users, id); // reads the document before the real change below
            Fixtures.inTxn(store, t -> t.replace(users, id, obj("name", "b"))); // a real commit
            AtomicBoolean doom = new AtomicBoolean(true);
            try (WriteFaults faults = WriteFaults.install(store, g -> doom.get())) {
                try (Transaction t = store.begin()) {
                    t.get(users, id);
                    t.replace(users, id, obj("name", "failed"));
                    assertThatThrownBy(() -> store.commit(t).join()).hasCauseInstanceOf(StorageException.class);
                }
                doom.set(false);
                assertThat(faults.failed()).isEqualTo(1);
            }
            stale.replace(users, id, obj("name", "stale"));
            assertThatThrownBy(() -> store.commit(stale).join()).as("the real change still conflicts")
                    .hasCauseInstanceOf(io.eddy.core.txn.TransactionConflictException.class);
            stale.close();
            try (Transaction retry = store.begin()) {
                assertThat(name(retry.get(users, id))).isEqualTo("b");
                retry.replace(users, id, obj("name", "c"));
                store.commit(retry).join();
            }
            try (Transaction r = store.begin()) {
                assertThat(name(r.get(users, id))).isEqualTo("c");
            }
        }
    }
}
