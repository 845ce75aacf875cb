package io.eddy.core.value;

import java.util.List;

/** FQL {@code Array}: an immutable list of values. */
public record ArrayValue(List<Value> elements) implements Value {
    public static final ArrayValue EMPTY = new ArrayValue(List.of());

    public ArrayValue { elements = List.copyOf(elements); }

    public static ArrayValue of(Value... values) { return new ArrayValue(List.of(values)); }

    public int size() { return elements.size(); }
    public Value get(int i) { return elements.get(i); }

    @Override public String typeName() { return "Array"; }
    @Override public boolean isStorable() { return elements.stream().allMatch(Value::isStorable); }
}
