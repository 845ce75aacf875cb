package io.eddy.core.value;

import java.util.Objects;

/**
 * A reference to a document by collection name and id. This is what a document-valued field holds in
 * storage; reading through it resolves the document. Encoded as {@code @ref}.
 */
public record DocRefValue(String coll, String id) implements Value {
    public DocRefValue {
        Objects.requireNonNull(coll, "coll");
        Objects.requireNonNull(id, "id");
    }
    @Override public String typeName() { return coll; }
    @Override public boolean isStorable() { return true; }
    @Override public String toString() { return coll + "(\"" + id + "\")"; }
}
