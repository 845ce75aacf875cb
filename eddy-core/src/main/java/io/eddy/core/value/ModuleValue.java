package io.eddy.core.value;

import java.util.Objects;

/**
 * A module: a collection ({@code Product}), or a built-in module ({@code Collection}, {@code Math}, ...).
 * Encoded as {@code @mod} on the wire.
 */
public record ModuleValue(String name) implements Value {
    public ModuleValue { Objects.requireNonNull(name, "name"); }
    @Override public String typeName() { return name; }
    @Override public boolean isStorable() { return true; }
    @Override public String toString() { return name; }
}
