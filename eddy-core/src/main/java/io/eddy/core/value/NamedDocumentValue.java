package io.eddy.core.value;

import java.util.Objects;

/**
 * A schema document identified by name, such as a collection definition (coll {@code Collection}).
 * {@code data} holds every field but {@code name}, {@code coll} and {@code ts}.
 */
public record NamedDocumentValue(String coll, String name, long ts, ObjectValue data) implements Value {
    public NamedDocumentValue {
        Objects.requireNonNull(coll, "coll");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
    }
    @Override public String typeName() { return coll; }
}
