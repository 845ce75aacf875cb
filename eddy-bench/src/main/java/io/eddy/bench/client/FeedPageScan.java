package io.eddy.bench.client;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reads a {@code /feed/1} page as it arrives, without building it: counts the events (the objects
 * directly inside the top-level {@code events} array, errors separately) and picks out the top-level
 * {@code cursor} and {@code has_next}. Fed one DATA frame at a time ({@link #feed}), tracking only string
 * state and nesting depth, so an 8 MB page of 16,000 events is never assembled and costs the client far
 * less than the server spends making it.
 */
public final class FeedPageScan {
    /** What a page holds. */
    public record Page(int events, int errors, String cursor, boolean hasNext) {}

    /** What follows the '{' of an error event. */
    private static final byte[] ERROR_REST = "\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);

    private int depth;
    private boolean inString;
    private boolean escape;
    private boolean capturing;
    private final StringBuilder captured = new StringBuilder();
    private String lastKey;
    private boolean expectValue;
    private boolean hasNextPending;
    private int errorMatch = -1;
    private int events;
    private int errors;
    private String cursor;
    private boolean hasNext;
    private long bytes;

    /** Scans a whole page held in one array. */
    public static Page scan(byte[] b) {
        FeedPageScan s = new FeedPageScan();
        for (byte c : b) s.process(c);
        return s.page();
    }

    private byte[] chunk = new byte[16 * 1024];

    /**
     * Scans the readable bytes of {@code data} (not consumed). Copies them in bulk first: per-byte access
     * to a direct buffer ({@code forEachByte}) pays a memory-session check per byte on recent JDKs.
     */
    public void feed(ByteBuf data) {
        int n = data.readableBytes();
        bytes += n;
        if (chunk.length < n) chunk = new byte[n];
        data.getBytes(data.readerIndex(), chunk, 0, n);
        byte[] b = chunk;
        int i = 0;
        while (i < n) {
            if (errorMatch < 0 && !hasNextPending) {
                if (inString && !escape && !capturing) {
                    // Most of a page is string content nobody needs (payloads, ids, times, cursors):
                    // skip to the next quote or backslash in a tight loop.
                    i = nextQuoteOrBackslash(b, i, n);
                    if (i == n) break;
                } else if (!inString && depth >= 2) {
                    i = scanBlocks(b, i, n);
                    if (inString) continue; // the blocks ended inside a string: the branch above takes it on
                    // The rest of the frame (shorter than a block), or a block holding an escape.
                    if (depth >= 2) i = scanEvents(b, i, n);
                    if (i == n) break;
                }
            }
            process(b[i++]);
        }
    }

    /** The widest vectors this machine has, at most 64 bytes (a block is a whole number of them). */
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED.length() > 64
            ? ByteVector.SPECIES_512 : ByteVector.SPECIES_PREFERRED;

    /**
     * The events array in blocks of 64 bytes, from {@code i} (outside strings, at depth 2 or more), as
     * simdjson finds structure: one bit per byte for quotes and for opening and closing braces and
     * brackets (vector compares: {@code [} and {@code ]} are {@code {} and {@code }} with bit 5 cleared,
     * so one compare each after setting it), the bytes inside strings from the quotes' running parity
     * ({@link Swar#prefixXor}), and only the braces and brackets outside strings are then visited, in
     * order, to count depth and events. A block holding a backslash is left to {@link #scanEvents} (an
     * escaped quote does not flip the parity). Returns where it stopped: after the events array's closing
     * bracket (depth back below 2), at an event whose error test the frame cuts off, at a block with a
     * backslash, or at the frame's last partial block; {@link #inString} says whether that is inside a string.
     */
    private int scanBlocks(byte[] b, int i, int n) {
        boolean in = false;
        int lanes = SPECIES.length();
        for (; i + 64 <= n; i += 64) {
            long quotes = 0;
            long backslashes = 0;
            long opens = 0;
            long braces = 0;
            for (int v = 0; v < 64; v += lanes) {
                ByteVector x = ByteVector.fromArray(SPECIES, b, i + v);
                ByteVector folded = x.or((byte) 0x20);
                quotes |= x.eq((byte) '"').toLong() << v;
                backslashes |= x.eq((byte) '\\').toLong() << v;
                long open = folded.eq((byte) '{').toLong() << v;
                opens |= open;
                braces |= open | folded.eq((byte) '}').toLong() << v;
            }
            if (backslashes != 0) break;
            long inside = Swar.prefixXor(quotes) ^ (in ? -1L : 0L);
            for (long s = braces & ~inside; s != 0; s &= s - 1) {
                int k = Long.numberOfTrailingZeros(s);
                int at = i + k;
                if ((opens & 1L << k) != 0) {
                    if (depth == 2 && b[at] == '{') {
                        if (at + 1 + ERROR_REST.length > n) {
                            inString = false;
                            return at;
                        }
                        events++;
                        if (Arrays.equals(b, at + 1, at + 1 + ERROR_REST.length, ERROR_REST, 0, ERROR_REST.length)) errors++;
                    }
                    depth++;
                } else if (--depth < 2) {
                    inString = false;
                    return at + 1;
                }
            }
            in = inside < 0; // the parity after the block's last byte
        }
        inString = in;
        return i;
    }

    /**
     * The events array, from {@code i} (outside strings, at depth 2 or more), without {@link #process}
     * per byte: only strings and nesting matter in it, so a string is stepped over whole (its closing
     * quote found eight bytes at a time, escapes jumped) and an event's error test is one comparison.
     * Returns {@code n}, or the index of the first byte {@link #process} must take: the one after the
     * events array's end, or a string or error test that the frame cuts off (taken again from its start).
     */
    private int scanEvents(byte[] b, int i, int n) {
        while (true) {
            i = nextStructural(b, i, n);
            if (i == n) return n;
            byte c = b[i];
            if (c == '"') {
                int j = nextQuoteOrBackslash(b, i + 1, n);
                while (j < n && b[j] == '\\') {
                    j = j + 2 >= n ? n : nextQuoteOrBackslash(b, j + 2, n);
                }
                if (j == n) return i;
                i = j + 1;
            } else if (c == '{' || c == '[') {
                if (depth == 2 && c == '{') {
                    if (i + 1 + ERROR_REST.length > n) return i;
                    events++;
                    if (Arrays.equals(b, i + 1, i + 1 + ERROR_REST.length, ERROR_REST, 0, ERROR_REST.length)) errors++;
                }
                depth++;
                i++;
            } else {
                depth--;
                i++;
                if (depth < 2) return i;
            }
        }
    }

    private static final long QUOTES = Swar.broadcast((byte) '"');
    private static final long BACKSLASHES = Swar.broadcast((byte) '\\');

    /**
     * The index of the first {@code "} or {@code \\} in {@code b[from, to)}, or {@code to}: eight bytes per
     * step ("has a zero byte" on the word xor the sought byte; the lowest flagged byte is always a true
     * match), as string content is most of a page.
     */
    static int nextQuoteOrBackslash(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) Swar.LONGS.get(b, i);
            long found = Swar.lowestZeroBytes(x ^ QUOTES) | Swar.lowestZeroBytes(x ^ BACKSLASHES);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < to && b[i] != '"' && b[i] != '\\') i++;
        return i;
    }

    private static final long OPEN_BRACES = Swar.broadcast((byte) '{');
    private static final long CLOSE_BRACES = Swar.broadcast((byte) '}');
    private static final long OPEN_BRACKETS = Swar.broadcast((byte) '[');
    private static final long CLOSE_BRACKETS = Swar.broadcast((byte) ']');

    /** The index of the first of {@code " { } [ ]} in {@code b[from, to)}, or {@code to}: eight bytes per step. */
    static int nextStructural(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) Swar.LONGS.get(b, i);
            long found = Swar.lowestZeroBytes(x ^ QUOTES) | Swar.lowestZeroBytes(x ^ OPEN_BRACES)
                    | Swar.lowestZeroBytes(x ^ CLOSE_BRACES) | Swar.lowestZeroBytes(x ^ OPEN_BRACKETS)
                    | Swar.lowestZeroBytes(x ^ CLOSE_BRACKETS);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < to && !structural(b[i])) i++;
        return i;
    }

    private static boolean structural(byte c) {
        return c == '"' || c == '{' || c == '}' || c == '[' || c == ']';
    }

    public long bytes() { return bytes; }

    public Page page() {
        return new Page(events, errors, cursor, hasNext);
    }

    /** Consumes one byte of the page. */
    public boolean process(byte c) {
        if (errorMatch >= 0) {
            if (c == ERROR_REST[errorMatch]) {
                if (++errorMatch == ERROR_REST.length) {
                    errors++;
                    errorMatch = -1;
                }
            } else {
                errorMatch = -1;
            }
        }
        if (hasNextPending && c != ' ') {
            hasNext = c == 't';
            hasNextPending = false;
        }
        if (inString) {
            if (escape) {
                escape = false;
            } else if (c == '\\') {
                escape = true;
            } else if (c == '"') {
                inString = false;
                if (capturing) {
                    String s = captured.toString();
                    captured.setLength(0);
                    capturing = false;
                    if (expectValue) {
                        if ("cursor".equals(lastKey)) cursor = s;
                        expectValue = false;
                    } else {
                        lastKey = s;
                    }
                }
                return true;
            }
            if (capturing) captured.append((char) c);
            return true;
        }
        switch (c) {
            case '"' -> {
                inString = true;
                capturing = depth == 1;
            }
            case ':' -> {
                if (depth == 1) {
                    expectValue = true;
                    if ("has_next".equals(lastKey)) hasNextPending = true;
                }
            }
            case ',' -> {
                if (depth == 1) expectValue = false;
            }
            case '{', '[' -> {
                if (depth == 2 && c == '{') {
                    events++;
                    errorMatch = 0;
                }
                if (depth == 1) expectValue = false;
                depth++;
            }
            case '}', ']' -> depth--;
            default -> { }
        }
        return true;
    }
}
