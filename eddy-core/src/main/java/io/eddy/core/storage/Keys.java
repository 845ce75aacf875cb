package io.eddy.core.storage;

import io.eddy.core.codec.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Key layouts of the column families (all integers big-endian, so byte order is numeric order for
 * the non-negative ids used here). See ARCHITECTURE.md, "Storage format".
 * <pre>
 * docs      collId(8) docId(8)                        -> ts(8) ValueCodec(ObjectValue data)
 * index     indexId(4) KeyCodec(terms)* KeyCodec(values, desc inverted)* docId(8)
 *                                                     -> ValueCodec([ttl or null, [values]])
 * schema    UTF-8 collection name                     -> ts(8) ValueCodec(definition object)
 * changelog txnTs(8) ordinal(4)                       -> ChangeRecordCodec
 * changelog_by_coll nameLength(2) UTF-8 collection name txnTs(8) ordinal(4) -> empty (the change
 *           log's records of one collection, in log order: replay and feeds read only these)
 * expiry    ttlMicros(8, sign bit flipped) collId(8) docId(8) -> empty (documents with a ttl)
 * default   ASCII meta names (last_ts, next_coll_id, next_index_id, retained_from, format)
 * </pre>
 */
final class Keys {
    private Keys() {}

    static final byte[] META_LAST_TS = ascii("last_ts");
    static final byte[] META_NEXT_COLL_ID = ascii("next_coll_id");
    static final byte[] META_NEXT_INDEX_ID = ascii("next_index_id");
    static final byte[] META_RETAINED_FROM = ascii("retained_from");
    /**
     * Prefix of the per-collection horizons: {@code retained_from/} then the collection's
     * {@code changelog_by_coll} prefix. A collection without one is retained from {@link #META_RETAINED_FROM}.
     */
    static final byte[] META_RETAINED_FROM_COLL = ascii("retained_from/");

    static byte[] retainedFromCollKey(byte[] collPrefix) {
        byte[] k = java.util.Arrays.copyOf(META_RETAINED_FROM_COLL, META_RETAINED_FROM_COLL.length + collPrefix.length);
        System.arraycopy(collPrefix, 0, k, META_RETAINED_FROM_COLL.length, collPrefix.length);
        return k;
    }

    /** The collection name of a {@code changelog_by_coll} prefix. */
    static String collOfLogCollPrefix(byte[] prefix) {
        return new String(prefix, 2, prefix.length - 2, StandardCharsets.UTF_8);
    }
    static final byte[] META_FORMAT = ascii("format");
    /**
     * 2: the expiry family; 3: the change log's per-collection index. An older store gets what it
     * lacks built when it is opened.
     */
    static final long FORMAT_VERSION = 3;

    /** Stored document and schema values start with this many bytes of commit ts. */
    static final int TS_HEADER = 8;

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    static byte[] docKey(long collId, long docId) {
        return new ByteWriter(16).putLong(collId).putLong(docId).toByteArray();
    }

    static byte[] collPrefix(long collId) {
        return new ByteWriter(8).putLong(collId).toByteArray();
    }

    /** The first key after every document of the collection. */
    static byte[] collEnd(long collId) {
        return collPrefix(collId + 1);
    }

    static long docIdOf(byte[] key) {
        return readLong(key, key.length - 8);
    }

    static byte[] indexPrefix(int indexId) {
        return new ByteWriter(4).putInt(indexId).toByteArray();
    }

    static byte[] indexEnd(int indexId) {
        return new ByteWriter(4).putInt(indexId + 1).toByteArray();
    }

    static byte[] schemaKey(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] logKey(long txnTs, int ordinal) {
        return new ByteWriter(12).putLong(txnTs).putInt(ordinal).toByteArray();
    }

    static long logTsOf(byte[] key) { return readLong(key, 0); }

    /** Change-log keys are this long. */
    static final int LOG_KEY_BYTES = 12;

    /** The prefix of a collection's entries in {@code changelog_by_coll}: its name's length and UTF-8 bytes. */
    static byte[] logCollPrefix(byte[] collUtf8) {
        if (collUtf8.length > 0xFFFF) throw new IllegalArgumentException("collection name too long");
        byte[] p = new byte[2 + collUtf8.length];
        p[0] = (byte) (collUtf8.length >>> 8);
        p[1] = (byte) collUtf8.length;
        System.arraycopy(collUtf8, 0, p, 2, collUtf8.length);
        return p;
    }

    /** The {@code changelog_by_coll} key of the record at {@code logKey}: the prefix then the log key. */
    static byte[] logCollKey(byte[] prefix, byte[] logKey) {
        byte[] k = java.util.Arrays.copyOf(prefix, prefix.length + LOG_KEY_BYTES);
        System.arraycopy(logKey, 0, k, prefix.length, LOG_KEY_BYTES);
        return k;
    }

    /** The length of the collection prefix that starts {@code changelog_by_coll} key {@code key}. */
    static int logCollPrefixLength(byte[] key) {
        return 2 + (((key[0] & 0xFF) << 8) | (key[1] & 0xFF));
    }

    /** The expiry entry of a document whose {@code ttl} is {@code ttl}. */
    static byte[] expiryKey(Instant ttl, long collId, long docId) {
        return new ByteWriter(24).putLong(orderedMicros(ttl)).putLong(collId).putLong(docId).toByteArray();
    }

    /** The first expiry key after every entry whose ttl is at or before {@code now} (to the microsecond). */
    static byte[] expiryEnd(Instant now) {
        return new ByteWriter(8).putLong(orderedMicros(now) + 1).toByteArray();
    }

    static long expiryCollIdOf(byte[] key) { return readLong(key, 8); }

    static long expiryDocIdOf(byte[] key) { return readLong(key, 16); }

    /**
     * Microseconds since the epoch with the sign bit flipped: unsigned byte order is time order. Times
     * beyond the range of a long in microseconds (about ±292,000 years) saturate, keeping the order.
     */
    private static long orderedMicros(Instant t) {
        long micros;
        try {
            micros = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
        } catch (ArithmeticException e) {
            micros = t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE - 1;
        }
        return micros ^ Long.MIN_VALUE;
    }

    static int logOrdinalOf(byte[] key) { return (int) readUInt(key, 8); }

    static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xFF);
        return v;
    }

    static long readUInt(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 4; i++) v = (v << 8) | (b[off + i] & 0xFF);
        return v;
    }

    static byte[] longBytes(long v) { return new ByteWriter(8).putLong(v).toByteArray(); }

    static long longOf(byte[] b, long ifMissing) { return b == null ? ifMissing : readLong(b, 0); }

    /** Sets a stored value's ts header to {@code ts} (pending values are patched at commit). */
    static void patchTs(byte[] value, long ts) {
        for (int i = 7; i >= 0; i--) {
            value[i] = (byte) ts;
            ts >>>= 8;
        }
    }

    /** Parses a document id: a positive 64-bit integer in decimal. */
    static long parseDocId(String id) {
        long v;
        try {
            v = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid document id '" + id + "': must be a positive 64-bit integer.");
        }
        if (v <= 0 || !Long.toString(v).equals(id))
            throw new IllegalArgumentException("Invalid document id '" + id + "': must be a positive 64-bit integer.");
        return v;
    }
}
