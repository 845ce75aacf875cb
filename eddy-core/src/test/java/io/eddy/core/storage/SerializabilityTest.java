package io.eddy.core.storage;

import static io.eddy.core.storage.Fixtures.createCollection;
import static io.eddy.core.storage.Fixtures.drain;
import static io.eddy.core.storage.Fixtures.obj;
import static io.eddy.core.storage.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.codec.RandomValues;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.Transaction;
import io.eddy.core.txn.TransactionConflictException;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.IntValue;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerializabilityTest {
    @TempDir Path dir;

    private static int balance(DocumentValue d) {
        return ((IntValue) d.data().get("balance")).value();
    }

    @Test
    void writeSkewIsPrevented() {
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("Acct", Map.of()));
            Fixtures.inTxn(store, t -> {
                t.create(c, "1", obj("balance", 50));
                t.create(c, "2", obj("balance", 50));
                return null;
            });
            // each withdraws 100 from a different account after checking the sum covers it
            Transaction a = store.begin(), b = store.begin();
            for (var p : List.of(Map.entry(a, "1"), Map.entry(b, "2"))) {
                Transaction t = p.getKey();
                int sum = balance(t.get(c, "1")) + balance(t.get(c, "2"));
                assertThat(sum).isGreaterThanOrEqualTo(100);
                t.replace(c, p.getValue(), obj("balance", balance(t.get(c, p.getValue())) - 100));
            }
            store.commit(a).join();
            assertThatThrownBy(() -> store.commit(b).join()).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(TransactionConflictException.class);
            a.close();
            b.close();
        }
    }

    /** Concurrent transfers with retries keep the total; every snapshot sees a consistent total. */
    @Test
    void concurrentTransfersKeepTheTotal() throws Exception {
        long seed = RandomValues.seed();
        System.out.println("SerializabilityTest.concurrentTransfersKeepTheTotal seed=" + seed);
        int accounts = 8, threads = 6, transfers = 150;
        try (RocksStore store = Fixtures.open(dir, Clock.systemUTC())) {
            CollectionDef c = createCollection(store, spec("Acct", Map.of()));
            Fixtures.inTxn(store, t -> {
                for (int i = 1; i <= accounts; i++) t.create(c, Integer.toString(i), obj("balance", 100));
                return null;
            });
            AtomicInteger conflicts = new AtomicInteger();
            List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> ts = new ArrayList<>();
            for (int th = 0; th < threads; th++) {
                Random r = new Random(seed + th);
                Thread t0 = new Thread(() -> {
                    for (int n = 0; n < transfers; n++) {
                        String from = Integer.toString(1 + r.nextInt(accounts)), to = Integer.toString(1 + r.nextInt(accounts));
                        int amount = r.nextInt(30);
                        while (true) {
                            try (Transaction t = store.begin()) {
                                if (r.nextInt(4) == 0) { // a reader checks the total in its snapshot
                                    int sum = drain(t.scan(c, null)).stream().mapToInt(SerializabilityTest::balance).sum();
                                    if (sum != accounts * 100) errors.add("snapshot total " + sum);
                                }
                                int fb = balance(t.get(c, from));
                                t.replace(c, from, obj("balance", fb - amount));
                                int tb = balance(t.get(c, to));
                                t.replace(c, to, obj("balance", tb + amount));
                                store.commit(t).join();
                                break;
                            } catch (CompletionException e) {
                                if (!(e.getCause() instanceof TransactionConflictException)) throw e;
                                conflicts.incrementAndGet();
                            }
                        }
                    }
                });
                t0.start();
                ts.add(t0);
            }
            for (Thread t : ts) t.join();
            assertThat(errors).as("seed=%d", seed).isEmpty();
            try (Transaction t = store.begin()) {
                assertThat(drain(t.scan(c, null)).stream().mapToInt(SerializabilityTest::balance).sum()).as("seed=%d", seed)
                        .isEqualTo(accounts * 100);
            }
            System.out.printf("transfers: %d committed, %d conflicts retried%n", threads * transfers, conflicts.get());
        }
    }
}
