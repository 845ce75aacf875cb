package io.eddy.bench.client;

import java.nio.charset.StandardCharsets;

/**
 * Reads the two things the harness needs from a JSON event without parsing it: the event's type and the
 * document's {@code sent_ns} (the writer's intended send time). A full JSON parse of every event would make
 * the client, not the server, the bottleneck at a million events a second; a byte scan costs a few
 * nanoseconds per byte and allocates nothing.
 *
 * <p>Handles the shapes the targets send: Eddy's tagged events ({@code "sent_ns":{"@long":"123"}} or
 * {@code @int}), and plain JSON rows from PostgreSQL and Redis ({@code "sent_ns":123}).
 */
public final class EventScan {
    /** Event types, from the first field of an Eddy event. */
    public enum Type { STATUS, ADD, UPDATE, REMOVE, ERROR, OTHER }

    private static final byte[] TYPE_PREFIX = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SENT = "\"sent_ns\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TXN_TS = "\"txn_ts\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMMIT_US = "\"commit_us\":".getBytes(StandardCharsets.US_ASCII);

    private EventScan() {}

    /** The type of the event in {@code b[off, off+len)}. */
    public static Type type(byte[] b, int off, int len) {
        if (!startsWith(b, off, len, TYPE_PREFIX)) return Type.OTHER;
        int p = off + TYPE_PREFIX.length;
        if (p >= off + len) return Type.OTHER;
        return switch (b[p]) {
            case 'a' -> Type.ADD;
            case 'u' -> Type.UPDATE;
            case 'r' -> Type.REMOVE;
            case 's' -> Type.STATUS;
            case 'e' -> Type.ERROR;
            default -> Type.OTHER;
        };
    }

    /** The {@code sent_ns} value in {@code b[off, off+len)}, or -1 if there is none. */
    public static long sentNs(byte[] b, int off, int len) {
        return number(b, off, len, SENT);
    }

    /**
     * The commit timestamp, in microseconds since the Unix epoch, of the change in {@code b[off, off+len)}:
     * an Eddy event's {@code txn_ts}, or the {@code commit_us} the PostgreSQL peers add to their rows; -1 if
     * there is none.
     */
    public static long commitMicros(byte[] b, int off, int len) {
        long ts = number(b, off, len, TXN_TS);
        return ts >= 0 ? ts : number(b, off, len, COMMIT_US);
    }

    private static long number(byte[] b, int off, int len, byte[] key) {
        // From the end: the stamps are the document's last field and the event's envelope after it.
        int at = lastIndexOf(b, off, len, key);
        if (at < 0) return -1;
        int p = at + key.length;
        int end = off + len;
        // skip {"@long":" / {"@int":" / spaces / quotes
        while (p < end && (b[p] < '0' || b[p] > '9')) {
            if (b[p] == ',' || b[p] == '}') return -1;
            p++;
        }
        long v = 0;
        int digits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            v = v * 10 + (b[p] - '0');
            p++;
            digits++;
        }
        return digits == 0 ? -1 : v;
    }

    static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) return false;
        }
        return true;
    }

    /** Index of {@code needle} in {@code b[off, off+len)}, or -1. */
    public static int indexOf(byte[] b, int off, int len, byte[] needle) {
        int last = off + len - needle.length;
        byte first = needle[0];
        outer:
        for (int i = off; i <= last; i++) {
            if (b[i] != first) continue;
            for (int j = 1; j < needle.length; j++) {
                if (b[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /**
     * Index of the last {@code needle} in {@code b[off, off+len)}, or -1. Positions are found by the
     * needle's rarest byte in JSON (its {@code _} when it has one, as every key looked for here does,
     * rather than a quote, which every key and string starts with), eight bytes at a time: a word of the
     * array is tested for that byte with a few arithmetic operations, and only its hits are compared
     * with the whole needle. At a million events a second the byte-by-byte scan back over each event's
     * envelope was a fifth of the client's time.
     */
    public static int lastIndexOf(byte[] b, int off, int len, byte[] needle) {
        int anchor = anchorOf(needle);
        byte a = needle[anchor];
        byte after = needle[anchor + 1]; // every needle has a byte after its anchor (a closing quote)
        long pattern = Swar.broadcast(a);
        // Where the anchor byte of a whole match can be: [lo, hi].
        int lo = off + anchor;
        int p = off + len - needle.length + anchor;
        while (p >= lo) {
            if (p - 7 >= lo) {
                long x = (long) Swar.LONGS.get(b, p - 7) ^ pattern; // bytes p-7 .. p, p the most significant
                long hits = Swar.zeroBytes(x); // exactly: the scan takes the highest first
                while (hits != 0) {
                    int lane = (63 - Long.numberOfLeadingZeros(hits)) >>> 3;
                    int at = p - 7 + lane - anchor;
                    // The byte after the anchor first: it turns away the envelope's other keys with
                    // an underscore (read_ops, txn_ts, ...) without comparing them whole.
                    if (b[p - 7 + lane + 1] == after && matchesAt(b, at, needle)) return at;
                    hits &= ~(0x80L << (lane << 3));
                }
                p -= 8;
            } else {
                if (b[p] == a && matchesAt(b, p - anchor, needle)) return p - anchor;
                p--;
            }
        }
        return -1;
    }

    private static boolean matchesAt(byte[] b, int at, byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (b[at + j] != needle[j]) return false;
        }
        return true;
    }

    private static int anchorOf(byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (needle[j] == '_') return j;
        }
        return 0;
    }
}
