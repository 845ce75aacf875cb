package io.eddy.core.value;

/**
 * An FQL value. Core values are the records in this package; they are immutable and compare by content
 * (except {@link BytesValue}, which compares by array content through its own equals).
 *
 * <p>Other modules add their own runtime values (sets, functions, event sources) by implementing this
 * interface; those never reach storage, only {@link #isStorable() storable} values do.
 */
public interface Value {

    /** The FQL type name, as used in error messages ("Int", "String", "Product", ...). */
    String typeName();

    /** Whether this value may be written into a document field. */
    default boolean isStorable() {
        return false;
    }
}
