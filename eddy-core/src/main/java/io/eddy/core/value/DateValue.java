package io.eddy.core.value;

import java.time.LocalDate;
import java.util.Objects;

/** FQL {@code Date}: a calendar date without a time zone. */
public record DateValue(LocalDate value) implements Value {
    public DateValue { Objects.requireNonNull(value, "value"); }
    @Override public String typeName() { return "Date"; }
    @Override public boolean isStorable() { return true; }
    @Override public String toString() { return value.toString(); }
}
