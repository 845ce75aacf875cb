package io.eddy.fql.auth;

import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.changelog.CommittedTxn;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.storage.Store;
import io.eddy.core.txn.Scan;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import io.eddy.fql.api.KeyAuthority;
import io.eddy.fql.api.Principal;
import io.eddy.fql.api.Role;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The live keys of the database, in memory: authenticating a key's secret is an HMAC check and a map
 * lookup, never a storage read.
 *
 * <p>Keys are documents of the system collection {@value #COLLECTION} (created on first start, hidden
 * from {@code Collection.all()}), so they are written, made durable and logged like any document.
 * The registry follows them through the change log: its listener runs on the commit thread before a
 * commit is acknowledged, so a key is usable as soon as {@code Key.create} returns, and a deleted key's
 * secret is refused as soon as the delete returns.
 *
 * <p>Invariant: after construction, the map equals the live documents of {@value #COLLECTION} at the
 * last commit the listener has seen (records at or before the loading snapshot are skipped: the
 * snapshot already holds them). Expiry ({@code ttl}) is checked at lookup, as for any document.
 */
public final class KeyRegistry implements KeyAuthority, AutoCloseable {
    /** The system collection holding key documents. */
    public static final String COLLECTION = "Key";

    private record LiveKey(Role role, long expiresMicros) {}

    private final KeySecrets secrets;
    private final Clock clock;
    private final Map<String, LiveKey> keys = new ConcurrentHashMap<>();
    private final AutoCloseable listener;
    private volatile long loadedTs = Long.MAX_VALUE;

    public KeyRegistry(Store store, KeySecrets secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
        ensureCollection(store);
        this.listener = store.changeLog().addListener(group -> committed(group));
        synchronized (this) {
            try (Transaction txn = store.begin()) {
                CollectionDef def = txn.collection(COLLECTION);
                try (Scan<DocumentValue> scan = txn.scan(def, null)) {
                    for (DocumentValue d; (d = scan.next()) != null; ) put(d);
                }
                loadedTs = txn.snapshotTs();
            }
        }
    }

    public KeySecrets secrets() { return secrets; }

    private static void ensureCollection(Store store) {
        try (Transaction txn = store.begin()) {
            if (txn.collection(COLLECTION) != null) return;
            txn.createCollection(new CollectionSpec(COLLECTION, Map.of(), 0, null,
                    new ObjectValue(Map.of("name", new StringValue(COLLECTION)))));
            store.commit(txn).get();
        } catch (ExecutionException e) {
            // A concurrent first start created it: fine if it exists now.
            try (Transaction txn = store.begin()) {
                if (txn.collection(COLLECTION) == null) throw new IllegalStateException("cannot create the Key collection", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the Key collection", e);
        }
    }

    private void committed(List<CommittedTxn> group) {
        for (CommittedTxn txn : group) committed(txn.txnTs(), txn.records());
    }

    private void committed(long txnTs, List<ChangeRecord> records) {
        // On the commit thread for every commit: most touch no key, and then take no lock.
        if (!touchesKeys(records)) return;
        synchronized (this) {
            // Until loading ends every commit seen here is in the loading snapshot (listeners run after a
            // commit is visible); afterwards, commits up to the snapshot are in it too.
            if (txnTs <= loadedTs) return;
            for (ChangeRecord r : records) {
                if (!r.coll().equals(COLLECTION)) continue;
                if (r.after() == null) keys.remove(r.id()); else put(r.after());
            }
        }
    }

    private static boolean touchesKeys(List<ChangeRecord> records) {
        for (ChangeRecord r : records) {
            if (r.coll().equals(COLLECTION)) return true;
        }
        return false;
    }

    private void put(DocumentValue doc) {
        Role role = roleOf(doc.data());
        if (role == null) {
            keys.remove(doc.id());
            return;
        }
        long expires = doc.data().get("ttl") instanceof TimeValue t ? t.toMicros() : Long.MAX_VALUE;
        keys.put(doc.id(), new LiveKey(role, expires));
    }

    /** The role a key document grants, or null if it names none Eddy knows. */
    public static Role roleOf(ObjectValue data) {
        Value v = data.get("role");
        return v instanceof StringValue s ? Role.named(s.value()) : null;
    }

    @Override
    public Principal authenticate(String secret) {
        String id = secrets.keyIdOf(secret);
        if (id == null) return null;
        LiveKey k = live(id);
        return k == null ? null : new Principal(k.role(), id);
    }

    @Override
    public boolean isLive(String keyId) {
        return live(keyId) != null;
    }

    private LiveKey live(String id) {
        LiveKey k = keys.get(id);
        if (k == null) return null;
        if (k.expiresMicros() != Long.MAX_VALUE) {
            java.time.Instant now = clock.instant();
            long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
            if (nowMicros >= k.expiresMicros()) return null;
        }
        return k;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
