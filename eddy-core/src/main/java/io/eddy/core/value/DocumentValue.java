package io.eddy.core.value;

import java.util.Objects;

/**
 * A live document read at a snapshot: collection, id, the commit time {@code ts} in microseconds and
 * the user fields (which never include {@code id}, {@code coll} or {@code ts}).
 *
 * <p>A document written by the current, not yet committed transaction has {@code ts ==}
 * {@link #PENDING_TS}; renderers substitute the transaction's commit time.
 */
public record DocumentValue(String coll, String id, long ts, ObjectValue data) implements Value {
    public static final long PENDING_TS = Long.MIN_VALUE;

    public DocumentValue {
        Objects.requireNonNull(coll, "coll");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(data, "data");
    }

    public DocRefValue ref() { return new DocRefValue(coll, id); }

    @Override public String typeName() { return coll; }
    @Override public boolean isStorable() { return true; } // stored as a reference
}
