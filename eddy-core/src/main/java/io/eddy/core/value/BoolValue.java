package io.eddy.core.value;

/** FQL {@code Boolean}. */
public record BoolValue(boolean value) implements Value {
    public static final BoolValue TRUE = new BoolValue(true);
    public static final BoolValue FALSE = new BoolValue(false);

    public static BoolValue of(boolean b) { return b ? TRUE : FALSE; }

    @Override public String typeName() { return "Boolean"; }
    @Override public boolean isStorable() { return true; }
    @Override public String toString() { return Boolean.toString(value); }
}
