package io.eddy.core.value;

/** The numeric values: {@link IntValue} (32-bit), {@link LongValue} (64-bit) and {@link DoubleValue}. */
public sealed interface NumberValue extends Value permits IntValue, LongValue, DoubleValue {
    long asLong();
    double asDouble();
    @Override default boolean isStorable() { return true; }
}
