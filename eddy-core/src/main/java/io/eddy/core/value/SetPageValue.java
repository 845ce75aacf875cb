package io.eddy.core.value;

import java.util.List;

/**
 * One materialized page of a set, as rendered into a response: its elements and, when more remain,
 * the opaque cursor that {@code Set.paginate} continues from. Encoded as {@code @set}.
 */
public record SetPageValue(List<Value> data, String after) implements Value {
    public SetPageValue { data = List.copyOf(data); }
    @Override public String typeName() { return "Set"; }
}
