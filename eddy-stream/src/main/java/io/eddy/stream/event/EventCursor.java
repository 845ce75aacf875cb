package io.eddy.stream.event;

import io.eddy.core.changelog.LogPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque cursor of an event: its change-log position ({@code txn_ts}, ordinal), as URL-safe base64
 * of 12 bytes. Events are delivered strictly after a cursor; a status cursor names the end of a
 * transaction ({@code ordinal = Integer.MAX_VALUE}).
 */
public final class EventCursor {
    private static final byte VERSION = 1;
    /** Bytes of a cursor before base64: the version, then {@code txn_ts} (8) and the ordinal (4). */
    private static final int RAW_BYTES = 13;
    /** Characters of a cursor: 13 bytes in unpadded base64. */
    public static final int LENGTH = 18;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);

    private EventCursor() {}

    public static String encode(LogPosition p) {
        byte[] ascii = new byte[LENGTH];
        writeAscii(p, ascii, 0);
        return new String(ascii, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes the cursor of {@code p} ({@link #LENGTH} ASCII characters, the same as {@link #encode}) at
     * {@code off} in {@code dst}, without building the string: every event carries one, and renderers
     * write it straight into the event's bytes.
     */
    public static void writeAscii(LogPosition p, byte[] dst, int off) {
        long ts = p.txnTs();
        int ordinal = p.ordinal();
        // The 13 bytes, big-endian: VERSION, ts (8), ordinal (4); taken three at a time (four characters).
        long hi = ((long) VERSION << 56) | (ts >>> 8); // bytes 0..7
        long lo = ((ts & 0xFF) << 32) | (ordinal & 0xFFFFFFFFL); // bytes 8..12 in the low 40 bits
        int o = off;
        for (int shift = 40; shift >= 0; shift -= 24) { // bytes 0-2, 3-5 of hi
            o = quad(dst, o, (int) (hi >>> shift) & 0xFFFFFF);
        }
        // bytes 6-8: the last two of hi, the first of lo
        o = quad(dst, o, (int) ((hi & 0xFFFF) << 8 | (lo >>> 32)));
        o = quad(dst, o, (int) (lo >>> 8) & 0xFFFFFF); // bytes 9-11
        // byte 12 alone: two characters (no padding)
        int last = (int) lo & 0xFF;
        dst[o] = ALPHABET[last >>> 2];
        dst[o + 1] = ALPHABET[(last & 0x3) << 4];
    }

    private static int quad(byte[] dst, int o, int threeBytes) {
        dst[o] = ALPHABET[threeBytes >>> 18];
        dst[o + 1] = ALPHABET[(threeBytes >>> 12) & 0x3F];
        dst[o + 2] = ALPHABET[(threeBytes >>> 6) & 0x3F];
        dst[o + 3] = ALPHABET[threeBytes & 0x3F];
        return o + 4;
    }

    /** The position, or null when the string is not a cursor. */
    public static LogPosition decode(String s) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(s);
            if (raw.length != RAW_BYTES || raw[0] != VERSION) return null;
            if (!ENCODER.encodeToString(raw).equals(s)) return null; // another spelling of the same bytes
            ByteBuffer b = ByteBuffer.wrap(raw, 1, 12);
            long ts = b.getLong();
            int ordinal = b.getInt();
            if (ts < 0 || ordinal < -1) return null;
            return new LogPosition(ts, ordinal);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
