package io.eddy.core.schema;

import java.util.List;

/**
 * One term or value of an index: a field path such as {@code .type} or {@code .address.city}, split into
 * segments, and the sort order (values only; terms are matched exactly).
 */
public record IndexField(String field, List<String> path, boolean descending) {
    public IndexField {
        path = List.copyOf(path);
    }
}
