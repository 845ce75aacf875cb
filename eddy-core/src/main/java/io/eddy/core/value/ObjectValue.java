package io.eddy.core.value;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * FQL {@code Object}: an immutable map from field names to values that keeps insertion order, which
 * is the order fields are rendered in.
 *
 * <p>The constructor copies the map it is given. Code that builds a fresh map only to wrap it
 * (decoders, the interpreter's object literals) hands it over with {@link #ofOwned} instead, which
 * wraps it without a copy: documents are decoded and built on every write and read, and the copy was
 * a large share of what a write allocates.
 *
 * <p>An object read from storage may know its {@link StoredForm}: {@link #lazy} wraps the encoded bytes
 * and decodes the fields only when something asks for them (an event source without a filter never
 * does), and writers can render it from the bytes ({@link #storedForm}). Either way the value is the same:
 * equality, hashing and every accessor see the decoded fields.
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

    /**
     * An object whose fields are decoded from {@code form} by {@code decoder} on first use. The decoder
     * must be pure (it may run more than once when threads race on the first use).
     */
    public static ObjectValue lazy(StoredForm form, Function<StoredForm, LinkedHashMap<String, Value>> decoder) {
        return new ObjectValue(new Fields(form, decoder));
    }

    /**
     * This object with {@code form} as its stored form, sharing the fields. The caller guarantees that
     * {@code form} encodes exactly these fields.
     */
    public ObjectValue withStoredForm(StoredForm form) {
        return new ObjectValue(new Fields((Fields) fields, form));
    }

    /** The stored encoding this object was read from or written as, when known; null otherwise. */
    public StoredForm storedForm() {
        return ((Fields) fields).stored;
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

    /**
     * The read-only field map: only this class creates one, so a map of this type needs no copy. Decoded
     * on first use when made from a stored form; the map is published through a volatile field and never
     * changes after, so a racing first use at worst decodes twice.
     */
    private static final class Fields extends AbstractMap<String, Value> {
        private volatile Map<String, Value> view;
        private final StoredForm stored;
        private final Function<StoredForm, LinkedHashMap<String, Value>> decoder;

        Fields(LinkedHashMap<String, Value> map) {
            this.view = Collections.unmodifiableMap(map);
            this.stored = null;
            this.decoder = null;
        }

        Fields(StoredForm stored, Function<StoredForm, LinkedHashMap<String, Value>> decoder) {
            this.stored = stored;
            this.decoder = decoder;
        }

        /** The same fields over another encoding of them; decoded ones are shared, not decoded here. */
        Fields(Fields shared, StoredForm stored) {
            this.view = shared.view;
            this.stored = stored;
            this.decoder = shared.view == null ? shared.decoder : null;
        }

        private Map<String, Value> map() {
            Map<String, Value> v = view;
            if (v == null) {
                view = v = Collections.unmodifiableMap(decoder.apply(stored));
            }
            return v;
        }

        @Override public Value get(Object key) { return map().get(key); }
        @Override public boolean containsKey(Object key) { return map().containsKey(key); }
        @Override public int size() { return map().size(); }
        @Override public boolean isEmpty() { return map().isEmpty(); }
        @Override public Set<Entry<String, Value>> entrySet() { return map().entrySet(); }
        @Override public Set<String> keySet() { return map().keySet(); }
        @Override public java.util.Collection<Value> values() { return map().values(); }
        @Override public void forEach(BiConsumer<? super String, ? super Value> action) { map().forEach(action); }
        @Override public boolean equals(Object o) { return o == this || map().equals(o); }
        @Override public int hashCode() { return map().hashCode(); }
    }
}
