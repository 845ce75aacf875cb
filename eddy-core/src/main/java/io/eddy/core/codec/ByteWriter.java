package io.eddy.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with the primitive writes the codecs need. Not thread-safe. */
public final class ByteWriter {
    private byte[] buf;
    private int len;

    public ByteWriter() { this(64); }

    public ByteWriter(int capacity) { buf = new byte[Math.max(16, capacity)]; }

    private void ensure(int extra) {
        if (len + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }

    public int length() { return len; }

    public ByteWriter put(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    public ByteWriter put(byte[] bytes) { return put(bytes, 0, bytes.length); }

    public ByteWriter put(byte[] bytes, int off, int n) {
        ensure(n);
        System.arraycopy(bytes, off, buf, len, n);
        len += n;
        return this;
    }

    /** Big-endian, so that unsigned byte order equals unsigned numeric order. */
    public ByteWriter putLong(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) buf[len++] = (byte) (v >>> (i * 8));
        return this;
    }

    public ByteWriter putInt(int v) {
        ensure(4);
        for (int i = 3; i >= 0; i--) buf[len++] = (byte) (v >>> (i * 8));
        return this;
    }

    /** Unsigned LEB128 varint. */
    public ByteWriter putVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
        return this;
    }

    /** Zig-zag signed varint: small magnitudes of either sign are short. */
    public ByteWriter putSignedVarLong(long v) { return putVarLong((v << 1) ^ (v >> 63)); }

    /** Length-prefixed UTF-8. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int), used only for ASCII
    public ByteWriter putString(String s) {
        int n = s.length();
        if (isAscii(s, n)) {
            // Field names and most values: UTF-8 is the chars themselves, copied without a temporary array.
            putVarLong(n);
            ensure(n);
            s.getBytes(0, n, buf, len); // low byte of each char: exact for ASCII
            len += n;
            return this;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putVarLong(b.length);
        return put(b);
    }

    private static boolean isAscii(String s, int n) {
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) return false;
        }
        return true;
    }

    /** Inverts every byte written since {@code from} (descending key order). */
    public void invertFrom(int from) {
        for (int i = from; i < len; i++) buf[i] = (byte) ~buf[i];
    }

    public byte[] toByteArray() { return Arrays.copyOf(buf, len); }

    /** Copies what was written into {@code dst} at {@code off}. */
    public void copyTo(byte[] dst, int off) { System.arraycopy(buf, 0, dst, off, len); }
}
