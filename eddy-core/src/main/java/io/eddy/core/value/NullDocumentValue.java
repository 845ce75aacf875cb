package io.eddy.core.value;

import java.util.Objects;

/**
 * A reference to a document that does not exist, with the reason: {@code "not found"},
 * {@code "deleted"} or {@code "collection deleted"}. Field access on it yields null; {@code !} raises
 * {@code document_not_found}.
 */
public record NullDocumentValue(String coll, String id, String cause) implements Value {
    public NullDocumentValue {
        Objects.requireNonNull(coll, "coll");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(cause, "cause");
    }
    @Override public String typeName() { return "Null" + coll; }
}
