package io.eddy.core.storage;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Run by {@link CrashTest} in a child JVM: commits documents from several threads forever and prints
 * {@code ACK <txn_ts> <id> [<id>...]} for each commit only after its future completed (durable). The
 * parent kills it with SIGKILL at some point.
 */
public final class CrashChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        Store store = Store.open(StoreConfig.defaults(dir));
        CollectionDef c;
        try (Transaction t = store.begin()) {
            c = t.collection("C");
            if (c == null) {
                t.createCollection(new CollectionSpec("C", Map.of(), 0, null, ObjectValue.EMPTY));
                store.commit(t).join();
            }
        }
        try (Transaction t = store.begin()) {
            c = t.collection("C");
        }
        CollectionDef coll = c;
        synchronized (System.out) {
            System.out.println("READY");
            System.out.flush();
        }
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int thread = i;
            Thread th = new Thread(() -> {
                for (int n = 0; ; n++) {
                    try (Transaction t = store.begin()) {
                        int docs = 1 + ThreadLocalRandom.current().nextInt(3);
                        List<String> ids = new ArrayList<>();
                        for (int d = 0; d < docs; d++) {
                            Map<String, Value> f = new LinkedHashMap<>();
                            f.put("thread", new IntValue(thread));
                            f.put("n", new IntValue(n));
                            ids.add(t.create(coll, null, new ObjectValue(f)).id());
                        }
                        long ts0 = store.commit(t).join();
                        synchronized (System.out) {
                            System.out.println("ACK " + ts0 + " " + String.join(" ", ids));
                            System.out.flush();
                        }
                    }
                }
            });
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) th.join();
    }
}
