package io.eddy.core.codec;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.BoolValue;
import io.eddy.core.value.BytesValue;
import io.eddy.core.value.DateValue;
import io.eddy.core.value.DocRefValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.ModuleValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StoredForm;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compact binary encoding of storable values, used for document bodies, index entry payloads,
 * schema entries and change-log records. Not order-preserving (see {@link KeyCodec} for that).
 *
 * <p>Each value is a one-byte tag followed by its payload. Varints are unsigned LEB128; "zigzag" is
 * the signed varint mapping of protobuf. Strings are a varint byte length followed by UTF-8.
 * <pre>
 * 0x00 null            0x07 time   zigzag(epochSecond) varint(nano)
 * 0x01 false           0x08 date   zigzag(epochDay)
 * 0x02 true            0x09 bytes  varint(length) bytes
 * 0x03 int  zigzag     0x0A array  varint(count) value*
 * 0x04 long zigzag     0x0B object varint(count) (string name, value)*   -- field order kept
 * 0x05 double 8 bytes IEEE-754 big-endian (raw bits, so NaN payloads and -0.0 survive)
 * 0x06 string          0x0C ref    string coll, string id
 *                      0x0D module string name
 * </pre>
 * A {@link DocumentValue} nested in a value is written as a ref: documents are stored by reference.
 * Tags are part of the on-disk format: never renumber them.
 */
public final class ValueCodec {
    static final int NULL = 0x00, FALSE = 0x01, TRUE = 0x02, INT = 0x03, LONG = 0x04, DOUBLE = 0x05,
            STRING = 0x06, TIME = 0x07, DATE = 0x08, BYTES = 0x09, ARRAY = 0x0A, OBJECT = 0x0B,
            REF = 0x0C, MODULE = 0x0D;

    private ValueCodec() {}

    public static byte[] encode(Value v) {
        ByteWriter w = new ByteWriter(256);
        write(w, v);
        return w.toByteArray();
    }

    public static Value decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        Value v = read(r);
        if (r.hasRemaining()) throw new CorruptDataException("trailing bytes after value");
        return v;
    }

    /**
     * Writes one value. Throws {@link IllegalArgumentException} for values that cannot be stored
     * (sets, functions, ...).
     */
    public static void write(ByteWriter w, Value v) {
        switch (v) {
            case NullValue n -> w.put(NULL);
            case BoolValue b -> w.put(b.value() ? TRUE : FALSE);
            case IntValue i -> w.put(INT).putSignedVarLong(i.value());
            case LongValue l -> w.put(LONG).putSignedVarLong(l.value());
            case DoubleValue d -> w.put(DOUBLE).putLong(Double.doubleToRawLongBits(d.value()));
            case StringValue s -> w.put(STRING).putString(s.value());
            case TimeValue t -> w.put(TIME).putSignedVarLong(t.value().getEpochSecond()).putVarLong(t.value().getNano());
            case DateValue d -> w.put(DATE).putSignedVarLong(d.value().toEpochDay());
            case BytesValue b -> {
                byte[] bytes = b.value();
                w.put(BYTES).putVarLong(bytes.length).put(bytes);
            }
            case ArrayValue a -> {
                w.put(ARRAY).putVarLong(a.size());
                for (Value e : a.elements()) write(w, e);
            }
            case ObjectValue o -> {
                w.put(OBJECT).putVarLong(o.size());
                for (Map.Entry<String, Value> e : o.fields().entrySet()) {
                    w.putString(e.getKey());
                    write(w, e.getValue());
                }
            }
            case DocRefValue r -> w.put(REF).putString(r.coll()).putString(r.id());
            case DocumentValue d -> w.put(REF).putString(d.coll()).putString(d.id());
            case ModuleValue m -> w.put(MODULE).putString(m.name());
            default -> throw new IllegalArgumentException("A value of type " + v.typeName() + " cannot be stored.");
        }
    }

    public static Value read(ByteReader r) {
        int tag = r.get();
        return switch (tag) {
            case NULL -> NullValue.NULL;
            case FALSE -> BoolValue.FALSE;
            case TRUE -> BoolValue.TRUE;
            case INT -> {
                long v = r.getSignedVarLong();
                if (v != (int) v) throw new CorruptDataException("int out of range");
                yield new IntValue((int) v);
            }
            case LONG -> new LongValue(r.getSignedVarLong());
            case DOUBLE -> new DoubleValue(Double.longBitsToDouble(r.getLong()));
            case STRING -> new StringValue(r.getString());
            case TIME -> {
                long sec = r.getSignedVarLong();
                long nano = r.getVarLong();
                yield new TimeValue(Instant.ofEpochSecond(sec, nano));
            }
            case DATE -> new DateValue(LocalDate.ofEpochDay(r.getSignedVarLong()));
            case BYTES -> new BytesValue(r.getBytes(r.getVarInt()));
            case ARRAY -> {
                int n = r.getVarInt();
                List<Value> list = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) list.add(read(r));
                yield new ArrayValue(list);
            }
            case OBJECT -> ObjectValue.ofOwned(readFields(r));
            case REF -> new DocRefValue(r.getString(), r.getString());
            case MODULE -> new ModuleValue(r.getString());
            default -> throw new CorruptDataException("unknown value tag " + tag);
        };
    }

    /**
     * Reads one value like {@link #read}, but an object comes back {@linkplain ObjectValue#lazy lazy}:
     * its bytes are only stepped over now (no allocation but the value itself), decoded when its fields
     * are first used, and its {@link StoredForm} points into {@code r}'s array, which must not change.
     */
    public static Value readLazy(ByteReader r) {
        int start = r.position();
        byte[] buf = r.array();
        if (start >= buf.length || buf[start] != OBJECT) return read(r);
        skip(r);
        return ObjectValue.lazy(new StoredForm(buf, start, r.position() - start), ValueCodec::decodeObjectFields);
    }

    /**
     * A {@linkplain ObjectValue#lazy lazy} object over {@code len} bytes of {@code buf} from {@code off},
     * which must hold exactly one encoded object (checked when it is decoded) and must not change.
     */
    public static ObjectValue lazyObject(byte[] buf, int off, int len) {
        return ObjectValue.lazy(new StoredForm(buf, off, len), ValueCodec::decodeObjectFields);
    }

    private static LinkedHashMap<String, Value> decodeObjectFields(StoredForm form) {
        ByteReader r = new ByteReader(form.bytes(), form.offset(), form.length());
        if (r.get() != OBJECT) throw new CorruptDataException("stored form is not an object");
        LinkedHashMap<String, Value> fields = readFields(r);
        if (r.hasRemaining()) throw new CorruptDataException("trailing bytes after object");
        return fields;
    }

    /** Steps over one encoded value, checking its structure but building nothing. */
    public static void skip(ByteReader r) {
        int tag = r.get();
        switch (tag) {
            case NULL, FALSE, TRUE -> { }
            case INT, LONG, DATE -> r.getVarLong();
            case DOUBLE -> r.skip(8);
            case STRING, BYTES, MODULE -> r.skip(r.getVarInt());
            case TIME -> {
                r.getVarLong();
                r.getVarLong();
            }
            case ARRAY -> {
                for (int i = 0, n = r.getVarInt(); i < n; i++) skip(r);
            }
            case OBJECT -> {
                for (int i = 0, n = r.getVarInt(); i < n; i++) {
                    r.skip(r.getVarInt());
                    skip(r);
                }
            }
            case REF -> {
                r.skip(r.getVarInt());
                r.skip(r.getVarInt());
            }
            default -> throw new CorruptDataException("unknown value tag " + tag);
        }
    }

    private static LinkedHashMap<String, Value> readFields(ByteReader r) {
        int n = r.getVarInt();
        LinkedHashMap<String, Value> fields = LinkedHashMap.newLinkedHashMap(n);
        for (int i = 0; i < n; i++) {
            String name = r.getString();
            fields.put(name, read(r));
        }
        return fields;
    }
}
