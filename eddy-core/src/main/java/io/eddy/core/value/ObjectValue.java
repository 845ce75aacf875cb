package io.eddy.core.value;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * FQL {@code Object}: an immutable map from field names to values that keeps insertion order, which
 * is the order fields are rendered in.
 *
 * <p>The constructor copies the map it is given. Code that builds a fresh map only to wrap it
 * (decoders, the interpreter's object literals) hands it over with {@link #ofOwned} instead, which
 * wraps it without a copy: documents are decoded and built on every write and read, and the copy was
 * a large share of what a write allocates.
 */
public record ObjectValue(Map<String, Value> fields) implements Value {
    public static final ObjectValue EMPTY = new ObjectValue(Map.of());

    public ObjectValue {
        if (!(fields instanceof Fields)) fields = new Fields(new LinkedHashMap<>(fields));
    }

    /**
     * Wraps {@code fields} without copying it. The caller gives the map up: it must not keep or
     * change it afterwards.
     */
    public static ObjectValue ofOwned(LinkedHashMap<String, Value> fields) {
        return new ObjectValue(new Fields(fields));
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

    /** The read-only field map: only this class creates one, so a map of this type needs no copy. */
    private static final class Fields extends AbstractMap<String, Value> {
        private final Map<String, Value> map;
        private final Map<String, Value> view;

        Fields(LinkedHashMap<String, Value> map) {
            this.map = map;
            this.view = Collections.unmodifiableMap(map);
        }

        @Override public Value get(Object key) { return map.get(key); }
        @Override public boolean containsKey(Object key) { return map.containsKey(key); }
        @Override public int size() { return map.size(); }
        @Override public boolean isEmpty() { return map.isEmpty(); }
        @Override public Set<Entry<String, Value>> entrySet() { return view.entrySet(); }
        @Override public Set<String> keySet() { return view.keySet(); }
        @Override public java.util.Collection<Value> values() { return view.values(); }
        @Override public void forEach(BiConsumer<? super String, ? super Value> action) { map.forEach(action); }
        @Override public boolean equals(Object o) { return o == this || map.equals(o); }
        @Override public int hashCode() { return map.hashCode(); }
    }
}
