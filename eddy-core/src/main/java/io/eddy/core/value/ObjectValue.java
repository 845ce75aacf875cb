package io.eddy.core.value;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FQL {@code Object}: an immutable map from field names to values that keeps insertion order, which
 * is the order fields are rendered in.
 */
public record ObjectValue(Map<String, Value> fields) implements Value {
    public static final ObjectValue EMPTY = new ObjectValue(Map.of());

    public ObjectValue {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Returns the field's value, or {@link NullValue#NULL} when absent. */
    public Value get(String name) {
        Value v = fields.get(name);
        return v == null ? NullValue.NULL : v;
    }

    public boolean has(String name) { return fields.containsKey(name); }
    public int size() { return fields.size(); }

    @Override public String typeName() { return "Object"; }
    @Override public boolean isStorable() { return fields.values().stream().allMatch(Value::isStorable); }
}
