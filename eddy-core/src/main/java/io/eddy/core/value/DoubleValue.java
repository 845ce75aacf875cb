package io.eddy.core.value;

/** FQL {@code Double}. */
public record DoubleValue(double value) implements NumberValue {
    @Override public String typeName() { return "Double"; }
    @Override public long asLong() { return (long) value; }
    @Override public double asDouble() { return value; }
    @Override public String toString() { return Double.toString(value); }
}
