package io.eddy.server.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether text is <em>plain</em>: ASCII from {@code 0x20} up ({@code 0x7f} included: Jackson does not escape
 * it either) without {@code "} or {@code \}, so that JSON writes it as it is, no escaping. Such strings
 * (most payloads) are copied to the output as their bytes, skipping Jackson's per-character escape loop.
 *
 * <p>The byte test looks at eight bytes per step (one {@code long}, the classic "has a zero byte" bit
 * tricks, combined so that a step takes one branch): a 200-byte payload is 25 steps instead of 200
 * rounds of comparisons.
 */
final class PlainAscii {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private PlainAscii() {}

    /** Whether {@code b[off, off+len)} is plain. */
    static boolean bytes(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) { // one branch per step
            if (notPlain((long) LONGS.get(b, i)) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (!plain(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} is plain. */
    static boolean chars(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    static boolean plain(byte c) {
        // bytes >= 0x80 are negative, so "< 0x20" covers them
        return c >= 0x20 && c != '"' && c != '\\';
    }

    /**
     * Nonzero when a byte of {@code x} is not plain. If a byte is >= 0x80 the first term says so, and
     * whatever the others say then does not matter; if none is, the others are exact (no borrow
     * crosses a byte).
     */
    private static long notPlain(long x) {
        return (x & HIGHS) | lessThan(x, 0x20) | zeroByte(x ^ QUOTES) | zeroByte(x ^ BACKSLASHES);
    }

    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';

    /** Nonzero when some byte of {@code x} (all bytes < 0x80) is below {@code n} (n <= 0x80). */
    private static long lessThan(long x, int n) {
        return (x - ONES * n) & ~x & HIGHS;
    }

    /** Nonzero when some byte of {@code y} is zero (exact when no byte of the tested text is >= 0x80). */
    private static long zeroByte(long y) {
        return (y - ONES) & ~y & HIGHS;
    }
}
