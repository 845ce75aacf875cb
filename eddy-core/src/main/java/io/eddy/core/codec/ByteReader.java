package io.eddy.core.codec;

import java.nio.charset.StandardCharsets;

/** Sequential reader over a byte array, the counterpart of {@link ByteWriter}. Not thread-safe. */
public final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int start;
    private final int end;

    public ByteReader(byte[] buf) { this(buf, 0, buf.length); }

    public ByteReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.start = off;
        this.end = off + len;
    }

    public boolean hasRemaining() { return pos < end; }

    /** The array read from (shared, for slices of it that outlive this reader). */
    byte[] array() { return buf; }

    /** Goes back to {@code position}, at or before the current one and within this reader's range. */
    void rewindTo(int position) {
        if (position > pos || position < start) throw new IllegalArgumentException("cannot rewind to " + position);
        pos = position;
    }

    /** Skips {@code n} bytes. */
    public void skip(int n) {
        need(n);
        pos += n;
    }
    public int position() { return pos; }

    private void need(int n) {
        if (pos + n > end) throw new CorruptDataException("truncated data: need " + n + " bytes at " + pos);
    }

    public int get() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public byte[] getBytes(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    public long getLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (buf[pos++] & 0xFF);
        return v;
    }

    public int getInt() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) v = (v << 8) | (buf[pos++] & 0xFF);
        return v;
    }

    public long getVarLong() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = get();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new CorruptDataException("varint too long at " + pos);
    }

    public long getSignedVarLong() {
        long z = getVarLong();
        return (z >>> 1) ^ -(z & 1);
    }

    public int getVarInt() {
        long v = getVarLong();
        if (v < 0 || v > Integer.MAX_VALUE) throw new CorruptDataException("bad length " + v);
        return (int) v;
    }

    public String getString() {
        int n = getVarInt();
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }
}
