package io.eddy.core.value;

import java.util.Objects;

/** FQL {@code String}. */
public record StringValue(String value) implements Value {
    public StringValue { Objects.requireNonNull(value, "value"); }
    @Override public String typeName() { return "String"; }
    @Override public boolean isStorable() { return true; }
    @Override public String toString() { return value; }
}
