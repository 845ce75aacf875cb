package io.eddy.bench.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time ("SIMD within a register"): the word reads and zero-byte tests the client's
 * scanners ({@link EventScan}, {@link FeedPageScan}) use to skip over event bytes they do not need.
 */
final class Swar {
    /** Reads eight bytes of a {@code byte[]} as one little-endian long: byte {@code i} is the lowest. */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long ONES = 0x0101010101010101L;
    static final long HIGHS = 0x8080808080808080L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    private Swar() {}

    /** {@code c} in every byte of a word, to xor a word with: the bytes equal to {@code c} become zero. */
    static long broadcast(byte c) {
        return (c & 0xFFL) * ONES;
    }

    /**
     * High bits flagging zero bytes of {@code y}; the lowest flagged one is always a true zero, higher ones
     * may not be (a borrow runs up from a zero byte). Enough for a scan forward, and one operation cheaper.
     */
    static long lowestZeroBytes(long y) {
        return (y - ONES) & ~y & HIGHS;
    }

    /** High bits flagging exactly the zero bytes of {@code y} (no borrow between bytes): for scans backward. */
    static long zeroBytes(long y) {
        return ~(((y & LOW7) + LOW7) | y | LOW7);
    }

    /** Bit {@code i} of the result is the xor of bits 0..i of {@code m}: set where an odd number of bits is at or below. */
    static long prefixXor(long m) {
        m ^= m << 1;
        m ^= m << 2;
        m ^= m << 4;
        m ^= m << 8;
        m ^= m << 16;
        m ^= m << 32;
        return m;
    }
}
