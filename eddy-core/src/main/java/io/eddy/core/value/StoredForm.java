package io.eddy.core.value;

/**
 * Where a value's stored encoding ({@code io.eddy.core.codec.ValueCodec}'s format) sits: {@code length}
 * bytes of {@code bytes} from {@code offset}, holding exactly one encoded value. Writers that turn a value
 * into another format (the wire's JSON) can walk these bytes instead of the value's objects.
 *
 * <p>The array is shared, never copied: whoever makes a stored form guarantees nobody changes those bytes
 * while a value refers to them (they come from a storage read or a committed write, both owned).
 */
public record StoredForm(byte[] bytes, int offset, int length) {
    public StoredForm {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IllegalArgumentException("slice " + offset + "+" + length + " outside " + bytes.length + " bytes");
        }
    }
}
