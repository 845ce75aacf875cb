package io.eddy.core.schema;

import java.util.List;

/**
 * A user-defined index of a collection. {@code indexId} is unique across the database and prefixes
 * every key of the index, so a dropped index's entries can be removed by range.
 */
public record IndexDef(String name, int indexId, List<IndexField> terms, List<IndexField> values) {
    public IndexDef {
        terms = List.copyOf(terms);
        values = List.copyOf(values);
    }
}
