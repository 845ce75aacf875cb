package io.eddy.core.value;

/** FQL {@code null}. */
public enum NullValue implements Value {
    NULL;

    @Override public String typeName() { return "Null"; }
    @Override public boolean isStorable() { return true; }
    @Override public String toString() { return "null"; }
}
