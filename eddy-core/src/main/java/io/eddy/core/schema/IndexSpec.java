package io.eddy.core.schema;

import java.util.List;

/** An index as a user declares it; the store assigns its {@link IndexDef#indexId()}. */
public record IndexSpec(List<IndexField> terms, List<IndexField> values) {
    public IndexSpec {
        terms = List.copyOf(terms);
        values = List.copyOf(values);
    }
}
