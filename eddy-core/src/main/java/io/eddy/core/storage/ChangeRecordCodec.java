package io.eddy.core.storage;

import io.eddy.core.changelog.ChangeOp;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.codec.ByteReader;
import io.eddy.core.codec.ByteWriter;
import io.eddy.core.codec.CorruptDataException;
import io.eddy.core.codec.ValueCodec;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.ObjectValue;

/**
 * Stored form of a change-log record (the key holds txnTs and ordinal):
 * {@code op(1: 0 create, 1 update, 2 delete) string(coll) varint(collId) varint(docId) before after},
 * each version being {@code 0x00} (absent) or {@code 0x01 ts(8) ValueCodec(data)}. The record's
 * {@code storedBytes} is not stored: it is the length of this encoding.
 */
final class ChangeRecordCodec {
    private ChangeRecordCodec() {}

    static byte[] encode(ChangeRecord r) {
        return encode(r, null);
    }

    /**
     * @param afterStored the after version as stored in the {@code docs} family ({@code ts(8)
     *     ValueCodec(data)}, the ts already patched), copied as it is; null to encode {@code r.after()}
     */
    static byte[] encode(ChangeRecord r, byte[] afterStored) {
        boolean copyAfter = afterStored != null && r.after() != null;
        // two versions of a typical document without growing; the header alone when after is copied
        ByteWriter w = new ByteWriter(r.before() == null && copyAfter ? 64 : 512);
        w.put(r.op().ordinal()).putString(r.coll()).putVarLong(r.collId()).putVarLong(Long.parseLong(r.id()));
        writeVersion(w, r.before());
        if (!copyAfter) {
            writeVersion(w, r.after());
            return w.toByteArray();
        }
        // Sized exactly: the record is kept by the write batch and the listeners, not copied again.
        byte[] out = new byte[w.length() + 1 + afterStored.length];
        w.copyTo(out, 0);
        out[w.length()] = 1;
        System.arraycopy(afterStored, 0, out, w.length() + 1, afterStored.length);
        return out;
    }

    private static void writeVersion(ByteWriter w, DocumentValue d) {
        if (d == null) {
            w.put(0);
            return;
        }
        w.put(1).putLong(d.ts());
        ValueCodec.write(w, d.data());
    }

    /**
     * Whether the stored record whose first {@code available} bytes are in {@code head} belongs to the
     * collection named {@code collUtf8}, decoding nothing else; null when {@code head} ends before the
     * record's collection name does.
     */
    static Boolean isOf(byte[] head, int available, byte[] collUtf8) {
        ByteReader r = new ByteReader(head, 0, available);
        r.get(); // op
        int n = r.getVarInt();
        int at = r.position();
        if (n != collUtf8.length) return false;
        if (at + n > available) return null;
        return java.util.Arrays.equals(head, at, at + n, collUtf8, 0, n);
    }

    /** The UTF-8 bytes of the stored record's collection name. */
    static byte[] collUtf8(byte[] value) {
        ByteReader r = new ByteReader(value);
        r.get(); // op
        int n = r.getVarInt();
        int at = r.position();
        if (at + n > value.length) throw new CorruptDataException("change record ends in its collection name");
        return java.util.Arrays.copyOfRange(value, at, at + n);
    }

    static ChangeRecord decode(byte[] key, byte[] value) {
        return decode(key, value, null, null);
    }

    private static final ChangeOp[] OPS = ChangeOp.values();

    /**
     * {@link #decode(byte[], byte[])} for a reader that expects records of one collection: when the
     * record's name is {@code collUtf8}, the record shares the {@code coll} string (no new string per
     * record, and comparisons with the source's name are by identity).
     */
    static ChangeRecord decode(byte[] key, byte[] value, String expectedColl, byte[] expectedCollUtf8) {
        ByteReader r = new ByteReader(value);
        int op = r.get();
        if (op > 2 || op < 0) throw new CorruptDataException("bad change op " + op);
        String coll;
        if (expectedCollUtf8 != null && Boolean.TRUE.equals(isOf(value, value.length, expectedCollUtf8))) {
            r.skip(r.getVarInt());
            coll = expectedColl;
        } else {
            coll = r.getString();
        }
        long collId = r.getVarLong();
        String id = Long.toString(r.getVarLong());
        DocumentValue before = readVersion(r, coll, id);
        DocumentValue after = readLastVersion(r, value, coll, id);
        return new ChangeRecord(Keys.logTsOf(key), Keys.logOrdinalOf(key), coll, collId, id, OPS[op],
                before, after, value.length);
    }

    /**
     * The after version, which ends the record: its data is the rest of the bytes, so it is not stepped
     * over to find its end (its structure is checked when it is decoded).
     */
    private static DocumentValue readLastVersion(ByteReader r, byte[] value, String coll, String id) {
        if (r.get() == 0) return null;
        long ts = r.getLong();
        int at = r.position();
        if (at >= value.length) throw new CorruptDataException("version without data");
        return new DocumentValue(coll, id, ts, ValueCodec.lazyObject(value, at, value.length - at));
    }

    /**
     * A version whose data stays encoded until used ({@link ValueCodec#readLazy}): replay of a source
     * without a filter renders it straight from these bytes.
     */
    private static DocumentValue readVersion(ByteReader r, String coll, String id) {
        if (r.get() == 0) return null;
        long ts = r.getLong();
        if (!(ValueCodec.readLazy(r) instanceof ObjectValue data)) throw new CorruptDataException("version data is not an object");
        return new DocumentValue(coll, id, ts, data);
    }
}
