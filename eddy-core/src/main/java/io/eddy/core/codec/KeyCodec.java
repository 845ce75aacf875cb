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
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Order-preserving, prefix-free binary encoding of values for index keys: for any storable values
 * {@code a} and {@code b}, {@code Arrays.compareUnsigned(encode(a), encode(b))} has the sign of
 * {@link ValueOrder#compare(Value, Value)}, and no encoding is a proper prefix of another. Prefix-freeness
 * is what lets keys concatenate several encoded values, and lets a descending field be encoded as the
 * byte-wise complement of its ascending encoding (see {@link #writeDesc}).
 *
 * <p>Encodings are not decoded; index entries keep their original values in the entry payload.
 * <pre>
 * 0x10 null
 * 0x20 false, 0x21 true
 * 0x30 number   8 bytes sortable double of the value rounded to double (sign bit flipped for
 *               positives, all bits flipped for negatives; -0.0 as 0.0; NaN canonical, above +inf),
 *               then 8 bytes (sign-flipped big-endian) of the exact residual value - double, so Int,
 *               Long and Double compare numerically and 5, 5L and 5.0 encode identically
 * 0x40 string   UTF-8, each 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x01
 * 0x50 time     8 bytes sign-flipped epoch second, 4 bytes nano
 * 0x60 date     8 bytes sign-flipped epoch day
 * 0x70 bytes    escaped like strings
 * 0x80 ref      escaped coll, escaped id (documents encode as their ref)
 * 0x88 module   escaped name
 * 0x90 array    elements, then 0x00
 * 0xA0 object   (0x01, escaped field name, value)* in field order, then 0x00
 * </pre>
 */
public final class KeyCodec {
    static final int NULL = 0x10, FALSE = 0x20, TRUE = 0x21, NUMBER = 0x30, STRING = 0x40, TIME = 0x50,
            DATE = 0x60, BYTES = 0x70, REF = 0x80, MODULE = 0x88, ARRAY = 0x90, OBJECT = 0xA0;
    private static final long CANONICAL_NAN = Double.doubleToLongBits(Double.NaN);
    private static final double TWO_63 = 0x1p63;

    private KeyCodec() {}

    public static byte[] encode(Value v) {
        ByteWriter w = new ByteWriter(32);
        write(w, v);
        return w.toByteArray();
    }

    /** Descending order: the complement of the ascending encoding (valid because it is prefix-free). */
    public static void writeDesc(ByteWriter w, Value v) {
        int start = w.length();
        write(w, v);
        w.invertFrom(start);
    }

    public static void write(ByteWriter w, Value v) {
        switch (v) {
            case NullValue n -> w.put(NULL);
            case BoolValue b -> w.put(b.value() ? TRUE : FALSE);
            case IntValue i -> writeLong(w, i.value());
            case LongValue l -> writeLong(w, l.value());
            case DoubleValue d -> writeNumber(w, d.value(), 0);
            case StringValue s -> writeEscaped(w.put(STRING), s.value().getBytes(StandardCharsets.UTF_8));
            case TimeValue t -> w.put(TIME).putLong(t.value().getEpochSecond() ^ Long.MIN_VALUE).putInt(t.value().getNano());
            case DateValue d -> w.put(DATE).putLong(d.value().toEpochDay() ^ Long.MIN_VALUE);
            case BytesValue b -> writeEscaped(w.put(BYTES), b.value());
            case DocRefValue r -> writeRef(w, r.coll(), r.id());
            case DocumentValue d -> writeRef(w, d.coll(), d.id());
            case ModuleValue m -> writeEscaped(w.put(MODULE), utf8(m.name()));
            case ArrayValue a -> {
                w.put(ARRAY);
                for (Value e : a.elements()) write(w, e);
                w.put(0x00);
            }
            case ObjectValue o -> {
                w.put(OBJECT);
                for (Map.Entry<String, Value> e : o.fields().entrySet()) {
                    writeEscaped(w.put(0x01), utf8(e.getKey()));
                    write(w, e.getValue());
                }
                w.put(0x00);
            }
            default -> throw new IllegalArgumentException("A value of type " + v.typeName() + " cannot be indexed.");
        }
    }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static void writeRef(ByteWriter w, String coll, String id) {
        w.put(REF);
        writeEscaped(w, utf8(coll));
        writeEscaped(w, utf8(id));
    }

    private static void writeLong(ByteWriter w, long l) {
        double d = (double) l; // rounds to nearest: monotone, so it never reorders two numbers
        long residual = d >= TWO_63 ? (l - Long.MAX_VALUE) - 1 : l - (long) d;
        writeNumber(w, d, residual);
    }

    /** {@code residual} is the exact value minus {@code d}; doubles have residual 0. */
    private static void writeNumber(ByteWriter w, double d, long residual) {
        long bits;
        if (Double.isNaN(d)) bits = CANONICAL_NAN;
        else if (d == 0.0) bits = 0L; // -0.0 == 0.0 numerically
        else bits = Double.doubleToLongBits(d);
        bits = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
        w.put(NUMBER).putLong(bits).putLong(residual ^ Long.MIN_VALUE);
    }

    private static void writeEscaped(ByteWriter w, byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) w.put(0x00).put(0xFF);
            else w.put(b);
        }
        w.put(0x00).put(0x01);
    }

    /**
     * The smallest key greater than every key that starts with {@code prefix}, or null if there is
     * none (the prefix is all 0xFF).
     */
    public static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }
}
