package io.eddy.core.value;

/** FQL {@code Long}: a 64-bit signed integer. */
public record LongValue(long value) implements NumberValue {
    @Override public String typeName() { return "Long"; }
    @Override public long asLong() { return value; }
    @Override public double asDouble() { return value; }
    @Override public String toString() { return Long.toString(value); }
}
