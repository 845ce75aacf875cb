package io.eddy.core.value;

import java.util.Objects;

/**
 * FQL {@code String}.
 *
 * <p>A class rather than a record only so that {@link IdValue}, a document's id, can be a string in
 * every respect: code that handles strings handles ids without knowing them. Equality and hash are
 * those of the text alone, so an id and a string with the same text are equal Java values (map keys,
 * routing keys); FQL's {@code ==} is decided elsewhere ({@code Compare}).
 */
public sealed class StringValue implements Value permits IdValue {
    private final String value;

    public StringValue(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public final String value() { return value; }

    @Override public final String typeName() { return "String"; }
    @Override public final boolean isStorable() { return true; }
    @Override public final String toString() { return value; }

    @Override public final boolean equals(Object o) {
        return o instanceof StringValue s && value.equals(s.value);
    }

    @Override public final int hashCode() { return value.hashCode(); }
}
