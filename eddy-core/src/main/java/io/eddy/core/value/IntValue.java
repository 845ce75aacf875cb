package io.eddy.core.value;

/** FQL {@code Int}: a 32-bit signed integer. */
public record IntValue(int value) implements NumberValue {
    @Override public String typeName() { return "Int"; }
    @Override public long asLong() { return value; }
    @Override public double asDouble() { return value; }
    @Override public String toString() { return Integer.toString(value); }
}
