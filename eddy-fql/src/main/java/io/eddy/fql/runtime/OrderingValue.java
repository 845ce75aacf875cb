package io.eddy.fql.runtime;

import io.eddy.core.value.Value;

/** {@code asc(f)} or {@code desc(f)}: an ordering key for {@code order()}. */
public record OrderingValue(FunctionValue key, boolean descending) implements Value {
    @Override public String typeName() { return "Ordering"; }
}
