package io.eddy.server.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON field names written as pre-encoded {@link SerializedString}s: Jackson then copies their quoted
 * UTF-8 bytes instead of escaping them character by character, which was the largest single cost of
 * rendering a feed page (every document repeats the same few names). Protocol names are constants;
 * documents' own field names are remembered as they are met, up to {@link #MAX_REMEMBERED} of them
 * (beyond that, names are written the ordinary way, so no input can grow this without bound).
 */
public final class FieldNames {
    static final int MAX_REMEMBERED = 4096;
    private static final ConcurrentHashMap<String, SerializedString> REMEMBERED = new ConcurrentHashMap<>();

    /** Slots of the names met as UTF-8 bytes (stored documents); a power of two. */
    static final int UTF8_SLOTS = 1024;
    /** Longer names are not kept: the slots hold at most {@code UTF8_SLOTS} names of this size. */
    static final int MAX_UTF8_NAME = 128;

    /** A name met as UTF-8 bytes, with its pre-encoded form. Immutable, so slots can be shared racily. */
    private record Utf8Name(int hash, byte[] utf8, SerializedString encoded) {
        boolean is(int h, byte[] b, int off, int len) {
            if (hash != h || utf8.length != len) {
                return false;
            }
            for (int i = 0; i < len; i++) { // names are short: a plain loop beats the vectorised compare
                if (utf8[i] != b[off + i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Direct-mapped by the bytes' hash; a colliding name replaces the slot's. Written and read without
     * locks: a slot holds null or a complete, immutable entry, and a reader that misses just encodes.
     */
    private static final Utf8Name[] BY_UTF8 = new Utf8Name[UTF8_SLOTS];

    private FieldNames() {}

    /**
     * Jackson's generator writes a character outside the Basic Multilingual Plane in a name as two
     * {@code \\u} escapes, a pre-encoded name as its 4-byte UTF-8: both read back the same, but a name is
     * to be written one way whatever the path, so such names are never pre-encoded.
     */
    private static boolean hasSurrogates(String name) {
        for (int i = 0, n = name.length(); i < n; i++) {
            if (Character.isSurrogate(name.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A pre-encoded name (for the constants of the wire format). */
    public static SerializedString constant(String name) {
        return new SerializedString(name);
    }

    /**
     * Writes the name whose UTF-8 bytes are {@code utf8[off, off+len)} (as stored), exactly as
     * {@link #write(JsonGenerator, String)} writes the decoded name; a name met before is neither decoded
     * nor encoded again.
     */
    public static void write(JsonGenerator g, byte[] utf8, int off, int len) throws IOException {
        int h = 1;
        boolean supplementary = false;
        for (int i = off, end = off + len; i < end; i++) {
            byte b = utf8[i];
            h = 31 * h + b;
            supplementary |= (b & 0xF8) == 0xF0; // the lead byte of a 4-byte sequence
        }
        if (len > MAX_UTF8_NAME || supplementary) {
            g.writeFieldName(new String(utf8, off, len, StandardCharsets.UTF_8));
            return;
        }
        int slot = (h ^ (h >>> 16)) & (UTF8_SLOTS - 1);
        Utf8Name known = BY_UTF8[slot];
        if (known == null || !known.is(h, utf8, off, len)) {
            String name = new String(utf8, off, len, StandardCharsets.UTF_8);
            known = new Utf8Name(h, Arrays.copyOfRange(utf8, off, off + len), new SerializedString(name));
            BY_UTF8[slot] = known;
        }
        g.writeFieldName(known.encoded);
    }

    /** Writes {@code name} as a field name, pre-encoded when it is one of the names remembered. */
    public static void write(JsonGenerator g, String name) throws IOException {
        SerializableString known = REMEMBERED.get(name);
        if (known == null && REMEMBERED.size() < MAX_REMEMBERED && !hasSurrogates(name)) {
            known = REMEMBERED.computeIfAbsent(name, SerializedString::new);
        }
        if (known != null) {
            g.writeFieldName(known);
        } else {
            g.writeFieldName(name);
        }
    }
}
