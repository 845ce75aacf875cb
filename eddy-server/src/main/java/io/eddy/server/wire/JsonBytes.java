package io.eddy.server.wire;

import com.fasterxml.jackson.core.SerializableString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable buffer of compact JSON text, written byte by byte without a generator: for the shapes
 * written most often (a stream or feed event around a stored document), where a Jackson generator's
 * call per token was most of the cost. What it writes is byte for byte what Jackson's UTF-8
 * generator writes for the same tokens (the tests compare them): strings and names escaped the way
 * Jackson escapes them ({@code \"}, {@code \\}, {@code \b \t \n \f \r}, other control characters as
 * {@code \}{@code u00XX}, characters beyond the BMP as their two surrogates {@code \}{@code uD83D\}{@code uDE00}),
 * everything else copied as UTF-8.
 *
 * <p>It hands its content to a generator as one raw value ({@link #asRawValue}), so the generator
 * still places the separators around it. Not thread-safe: one per rendering thread or call.
 */
public final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** For each ASCII byte, the letter of its short escape, 'u' for the long form, 0 for none. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) ESCAPES[c] = 'u';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
    }

    private byte[] buf;
    private int len;

    public JsonBytes(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    public int length() { return len; }

    /** Forgets the content, or what was written after {@code mark} ({@link #length}). */
    public void truncate(int mark) { len = mark; }

    public byte[] array() { return buf; }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    public JsonBytes raw(byte b) {
        ensure(1);
        buf[len++] = b;
        return this;
    }

    public JsonBytes raw(byte[] bytes) {
        return raw(bytes, 0, bytes.length);
    }

    public JsonBytes raw(byte[] bytes, int off, int n) {
        ensure(n);
        System.arraycopy(bytes, off, buf, len, n);
        len += n;
        return this;
    }

    /** Text known to be ASCII, copied as it is (no quotes, no escaping). */
    public JsonBytes ascii(String s) {
        int n = s.length();
        ensure(n);
        s.getBytes(0, n, buf, len); // ASCII: one byte per char
        len += n;
        return this;
    }

    /** "00".."99": the two digits of each number below 100, for writing numbers two digits at a time. */
    static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** A JSON number: the decimal digits of {@code v}. */
    public JsonBytes number(long v) {
        ensure(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return ascii("-9223372036854775808");
            }
            buf[len++] = '-';
            v = -v;
        }
        int end = len + digitCount(v);
        int p = end;
        // Two digits per step, in long arithmetic only while the rest does not fit an int.
        while (v >= Integer.MAX_VALUE) {
            long q = v / 100;
            int r = (int) (v - q * 100);
            buf[--p] = PAIRS[2 * r + 1];
            buf[--p] = PAIRS[2 * r];
            v = q;
        }
        int i = (int) v;
        while (i >= 100) {
            int q = i / 100;
            int r = i - q * 100;
            buf[--p] = PAIRS[2 * r + 1];
            buf[--p] = PAIRS[2 * r];
            i = q;
        }
        if (i >= 10) {
            buf[--p] = PAIRS[2 * i + 1];
            buf[--p] = PAIRS[2 * i];
        } else {
            buf[--p] = (byte) ('0' + i);
        }
        len = end;
        return this;
    }

    /** Digits of {@code v} >= 0. */
    private static int digitCount(long v) {
        long limit = 10;
        for (int n = 1; n < 19; n++, limit *= 10) {
            if (v < limit) return n;
        }
        return 19;
    }

    /** A JSON string of UTF-8 text: quoted, escaped as Jackson escapes. */
    public JsonBytes string(byte[] utf8, int off, int n) {
        ensure(n + 2);
        buf[len++] = '"';
        if (PlainAscii.bytes(utf8, off, n)) {
            System.arraycopy(utf8, off, buf, len, n);
            len += n;
        } else {
            escaped(utf8, off, n);
        }
        buf[len++] = '"';
        return this;
    }

    /** A JSON string: quoted, escaped as Jackson escapes. */
    public JsonBytes string(String s) {
        int n = s.length();
        if (n <= SHORT_STRING && PlainAscii.chars(s)) {
            // Ids, names, cursors: copied char for byte, without encoding the string first.
            ensure(n + 2);
            buf[len++] = '"';
            s.getBytes(0, n, buf, len);
            len += n;
            buf[len++] = '"';
            return this;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return string(utf8, 0, utf8.length);
    }

    /** Up to this length a string is tested and copied char by char. */
    private static final int SHORT_STRING = 64;

    /**
     * The time {@code micros} (since the epoch) as a tagged-format time's text, what
     * {@link java.time.Instant#toString} writes, without quotes; nothing allocated.
     */
    public JsonBytes isoTime(long micros) {
        long second = Math.floorDiv(micros, 1_000_000L);
        int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
        if (!IsoInstant.writable(second)) {
            return ascii(java.time.Instant.ofEpochSecond(second, nanos).toString());
        }
        ensure(IsoInstant.MAX_LENGTH);
        len = IsoInstant.write(buf, len, second, nanos);
        return this;
    }

    private void escaped(byte[] utf8, int off, int n) {
        for (int i = off, end = off + n; i < end; i++) {
            byte b = utf8[i];
            if ((b & 0xF8) == 0xF0 && i + 3 < end) {
                // A character beyond the BMP: Jackson writes it as its two UTF-16 surrogates, escaped.
                int cp = ((b & 0x07) << 18) | ((utf8[i + 1] & 0x3F) << 12) | ((utf8[i + 2] & 0x3F) << 6) | (utf8[i + 3] & 0x3F);
                ensure(13);
                hexEscape(Character.highSurrogate(cp));
                hexEscape(Character.lowSurrogate(cp));
                i += 3;
                continue;
            }
            byte e = b >= 0 ? ESCAPES[b] : 0;
            if (e == 0) {
                ensure(2); // the closing quote's room stays reserved
                buf[len++] = b;
            } else if (e != 'u') {
                ensure(3);
                buf[len++] = '\\';
                buf[len++] = e;
            } else {
                ensure(7);
                buf[len++] = '\\';
                buf[len++] = 'u';
                buf[len++] = '0';
                buf[len++] = '0';
                buf[len++] = HEX[b >> 4];
                buf[len++] = HEX[b & 0xF];
            }
        }
    }

    private void hexEscape(char c) {
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xF];
        buf[len++] = HEX[(c >> 8) & 0xF];
        buf[len++] = HEX[(c >> 4) & 0xF];
        buf[len++] = HEX[c & 0xF];
    }

    /**
     * The content as a value for {@link com.fasterxml.jackson.core.JsonGenerator#writeRawValue(SerializableString)}:
     * copied into the generator's buffer, which adds the separator before it. Valid until this buffer changes.
     */
    public SerializableString asRawValue() {
        return new Raw(buf, len);
    }

    /** Raw bytes as Jackson's "serializable string"; only the unquoted UTF-8 forms are used by raw writes. */
    private record Raw(byte[] bytes, int length) implements SerializableString {
        @Override public String getValue() { return new String(bytes, 0, length, StandardCharsets.UTF_8); }

        @Override public int charLength() { return getValue().length(); }

        @Override public char[] asQuotedChars() { throw new UnsupportedOperationException(); }

        @Override public byte[] asUnquotedUTF8() { return Arrays.copyOf(bytes, length); }

        @Override public byte[] asQuotedUTF8() { throw new UnsupportedOperationException(); }

        @Override public int appendQuotedUTF8(byte[] buffer, int offset) { throw new UnsupportedOperationException(); }

        @Override public int appendQuoted(char[] buffer, int offset) { throw new UnsupportedOperationException(); }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + length > buffer.length) return -1;
            System.arraycopy(bytes, 0, buffer, offset, length);
            return length;
        }

        @Override public int appendUnquoted(char[] buffer, int offset) { throw new UnsupportedOperationException(); }

        @Override public int writeQuotedUTF8(java.io.OutputStream out) { throw new UnsupportedOperationException(); }

        @Override
        public int writeUnquotedUTF8(java.io.OutputStream out) throws java.io.IOException {
            out.write(bytes, 0, length);
            return length;
        }

        @Override public int putQuotedUTF8(ByteBuffer buffer) { throw new UnsupportedOperationException(); }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < length) return -1;
            buffer.put(bytes, 0, length);
            return length;
        }
    }
}
