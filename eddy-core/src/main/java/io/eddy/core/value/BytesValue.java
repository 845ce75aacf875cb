package io.eddy.core.value;

import java.util.Arrays;
import java.util.Base64;

/** FQL {@code Bytes}. The array is copied in and never exposed for mutation. */
public record BytesValue(byte[] value) implements Value {
    public BytesValue { value = value.clone(); }
    @Override public byte[] value() { return value.clone(); }
    @Override public String typeName() { return "Bytes"; }
    @Override public boolean isStorable() { return true; }
    @Override public boolean equals(Object o) { return o instanceof BytesValue b && Arrays.equals(value, b.value); }
    @Override public int hashCode() { return Arrays.hashCode(value); }
    @Override public String toString() { return Base64.getEncoder().encodeToString(value); }
}
