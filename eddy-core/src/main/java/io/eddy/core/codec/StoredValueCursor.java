package io.eddy.core.codec;

import io.eddy.core.value.BoolValue;
import io.eddy.core.value.BytesValue;
import io.eddy.core.value.DateValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.ModuleValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.StoredForm;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * A pull reader over one value in {@link ValueCodec}'s stored format, for writers that translate the
 * bytes into another format without building the value (the wire's JSON renders documents read from
 * storage this way). Strings and names are exposed as UTF-8 slices of the stored array, so copying them
 * out allocates nothing.
 *
 * <p>Usage: {@link #next} reads a value's tag and its payload (for arrays and objects only the element
 * count; the elements follow, each object field as {@link #nextName} then a value). {@link #position}
 * and {@link #reset} allow a look ahead. Not thread-safe; malformed bytes raise
 * {@link CorruptDataException}.
 */
public final class StoredValueCursor {
    /** What {@link #next} read. */
    public enum Kind { NULL, FALSE, TRUE, INT, LONG, DOUBLE, STRING, TIME, DATE, BYTES, ARRAY, OBJECT, REF, MODULE }

    private static final Kind[] BY_TAG = {Kind.NULL, Kind.FALSE, Kind.TRUE, Kind.INT, Kind.LONG, Kind.DOUBLE,
        Kind.STRING, Kind.TIME, Kind.DATE, Kind.BYTES, Kind.ARRAY, Kind.OBJECT, Kind.REF, Kind.MODULE};

    private final ByteReader r;
    private final byte[] buf;
    private long number;
    private int textOffset;
    private int textLength;

    public StoredValueCursor(StoredForm form) {
        this.buf = form.bytes();
        this.r = new ByteReader(buf, form.offset(), form.length());
    }

    /** The underlying array: {@link #textOffset()} and {@link #textLength()} index into it. */
    public byte[] array() { return buf; }

    public int position() { return r.position(); }

    /** Goes back to a {@link #position} taken earlier on this cursor. */
    public void reset(int position) {
        r.rewindTo(position);
    }

    /**
     * Reads the next value's tag and payload: for {@code INT}, {@code LONG} and {@code DATE} (epoch day)
     * see {@link #number}; for {@code STRING}, {@code BYTES} and {@code MODULE} the text slice; for
     * {@code ARRAY} and {@code OBJECT} {@link #number} is the count; {@code DOUBLE}, {@code TIME} and
     * {@code REF} are read whole by {@link #value} instead.
     */
    public Kind next() {
        int tag = r.get();
        if (tag >= BY_TAG.length) throw new CorruptDataException("unknown value tag " + tag);
        Kind kind = BY_TAG[tag];
        switch (kind) {
            case INT, LONG, DATE -> number = r.getSignedVarLong();
            case STRING, BYTES, MODULE -> readText();
            case ARRAY, OBJECT -> number = r.getVarInt();
            default -> { }
        }
        return kind;
    }

    /**
     * The whole value whose tag {@link #next} just read, for the kinds read whole ({@code DOUBLE},
     * {@code TIME}, {@code REF}) or any scalar: decoded as {@link ValueCodec#read} would.
     */
    public Value value(Kind kind) {
        return switch (kind) {
            case DOUBLE, TIME, REF -> {
                r.rewindTo(r.position() - 1); // to the tag: these are read whole
                yield ValueCodec.read(r);
            }
            // The payload is consumed already: built from what next() kept.
            case NULL -> NullValue.NULL;
            case FALSE -> BoolValue.FALSE;
            case TRUE -> BoolValue.TRUE;
            case INT -> new IntValue(intValue());
            case LONG -> new LongValue(number);
            case DATE -> new DateValue(LocalDate.ofEpochDay(number));
            case STRING -> new StringValue(text());
            case BYTES -> new BytesValue(Arrays.copyOfRange(buf, textOffset, textOffset + textLength));
            case MODULE -> new ModuleValue(text());
            case ARRAY, OBJECT -> throw new IllegalStateException(kind + " is read element by element");
        };
    }

    /** Reads an object field's name (its slice: {@link #textOffset}, {@link #textLength}). */
    public void nextName() {
        readText();
    }

    /** Steps over the next value whole. */
    public void skipValue() {
        ValueCodec.skip(r);
    }

    /** The integer payload of the last {@code INT}, {@code LONG} or {@code DATE}, or the count of an {@code ARRAY} or {@code OBJECT}. */
    public long number() { return number; }

    /** The last {@code INT}'s value. */
    public int intValue() {
        if (number != (int) number) throw new CorruptDataException("int out of range");
        return (int) number;
    }

    public int textOffset() { return textOffset; }

    public int textLength() { return textLength; }

    /** The last string, name or module as a String. */
    public String text() {
        return new String(buf, textOffset, textLength, StandardCharsets.UTF_8);
    }

    private void readText() {
        textLength = r.getVarInt();
        textOffset = r.position();
        r.skip(textLength);
    }
}
