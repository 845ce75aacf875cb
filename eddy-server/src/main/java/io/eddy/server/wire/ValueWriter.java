package io.eddy.server.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import io.eddy.core.codec.StoredValueCursor;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.BoolValue;
import io.eddy.core.value.BytesValue;
import io.eddy.core.value.DateValue;
import io.eddy.core.value.DocRefValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.EventSourceValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.ModuleValue;
import io.eddy.core.value.NamedDocumentValue;
import io.eddy.core.value.NullDocumentValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.SetPageValue;
import io.eddy.core.value.StoredForm;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes one value in one format; an instance carries the per-response context (format and the
 * transaction time that stands in for {@link DocumentValue#PENDING_TS}).
 *
 * <p>Both formats share this one walk because they differ only in how leaves and documents are
 * wrapped: {@link WireFormat#TAGGED} wraps them in {@code {"@tag": ...}}, {@link WireFormat#SIMPLE}
 * writes the bare payload (numbers as JSON numbers, modules as their name, null documents as null).
 *
 * <p>Objects that know their {@link StoredForm} (documents read from storage or the change log) are
 * written from those bytes ({@link #writeStored}): names and strings are copied as UTF-8, nothing is
 * decoded into values. The output is byte for byte what the decoded value gives.
 */
final class ValueWriter {
    private static final SerializedString ID = FieldNames.constant("id");
    private static final SerializedString COLL = FieldNames.constant("coll");
    private static final SerializedString TS = FieldNames.constant("ts");
    private static final SerializedString NAME = FieldNames.constant("name");
    private static final SerializedString TAG_INT = FieldNames.constant(Tags.INT);
    private static final SerializedString TAG_LONG = FieldNames.constant(Tags.LONG);
    private static final SerializedString TAG_DOUBLE = FieldNames.constant(Tags.DOUBLE);
    private static final SerializedString TAG_OBJECT = FieldNames.constant(Tags.OBJECT);
    private static final SerializedString TAG_TIME = FieldNames.constant(Tags.TIME);
    private static final SerializedString TAG_DATE = FieldNames.constant(Tags.DATE);
    private static final SerializedString TAG_BYTES = FieldNames.constant(Tags.BYTES);
    private static final SerializedString TAG_MOD = FieldNames.constant(Tags.MOD);
    private static final SerializedString TAG_DOC = FieldNames.constant(Tags.DOC);
    private static final SerializedString TAG_REF = FieldNames.constant(Tags.REF);
    private static final SerializedString TAG_SET = FieldNames.constant(Tags.SET);
    private static final SerializedString TAG_STREAM = FieldNames.constant(Tags.STREAM);

    private final boolean tagged;
    private final long txnTs;
    /** Scratch for {@link #tagDigits}, made on first use. */
    private byte[] digits;
    /** Scratch for documents written from their stored bytes, made on first use. */
    private JsonBytes direct;

    ValueWriter(WireFormat format, long txnTs) {
        this.tagged = format == WireFormat.TAGGED;
        this.txnTs = txnTs;
    }

    void write(JsonGenerator g, Value value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case NullValue ignored -> g.writeNull();
            case BoolValue b -> g.writeBoolean(b.value());
            case StringValue s -> writeString(g, s.value());
            case IntValue i -> {
                if (tagged) tag(g, TAG_INT, Integer.toString(i.value()));
                else g.writeNumber(i.value());
            }
            case LongValue l -> {
                if (tagged) tag(g, TAG_LONG, Long.toString(l.value()));
                else g.writeNumber(l.value());
            }
            case DoubleValue d -> {
                // Double.toString is the documented form ("1.0E10", "NaN"): both drivers parse it.
                if (tagged) tag(g, TAG_DOUBLE, Double.toString(d.value()));
                else g.writeNumber(d.value());
            }
            case TimeValue t -> scalar(g, TAG_TIME, formatTime(t.value()));
            case DateValue d -> scalar(g, TAG_DATE, d.value().toString());
            case BytesValue b -> scalar(g, TAG_BYTES, Base64.getEncoder().encodeToString(b.value()));
            case ModuleValue m -> scalar(g, TAG_MOD, m.name());
            case EventSourceValue e -> scalar(g, TAG_STREAM, e.token());
            case ArrayValue a -> writeArray(g, a.elements());
            case ObjectValue o -> writeObject(g, o);
            case DocumentValue d -> writeDocument(g, d);
            case NamedDocumentValue n -> writeNamedDocument(g, n);
            case DocRefValue r -> writeRef(g, r);
            case NullDocumentValue n -> writeNullDocument(g, n);
            case SetPageValue s -> writeSetPage(g, s);
            // Values this module does not know (an interpreter's functions, say) have no wire form;
            // Fauna squashes such values into a descriptive string ("[function abs()]"), so do the same
            // with the value's own description rather than fail the whole response.
            default -> g.writeString(String.valueOf(value));
        }
    }

    /**
     * Strings of printable ASCII without quotes or backslashes (most long payloads) need no escaping:
     * they go out as their bytes, skipping Jackson's per-character escape loop, which was the largest
     * single cost of a feed page. Anything else takes Jackson's path.
     */
    static void writeString(JsonGenerator g, String s) throws IOException {
        // Only byte-oriented generators (every response body) take raw UTF-8; text ones cannot.
        if (g instanceof UTF8JsonGenerator && s.length() >= PLAIN_STRING_MIN_CHARS && PlainAscii.chars(s)) {
            byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
            g.writeRawUTF8String(bytes, 0, bytes.length);
        } else {
            g.writeString(s);
        }
    }

    /** {@link #writeString(JsonGenerator, String)} for a string given as its UTF-8 bytes. */
    static void writeString(JsonGenerator g, byte[] utf8, int off, int len) throws IOException {
        if (g instanceof UTF8JsonGenerator && PlainAscii.bytes(utf8, off, len)) {
            g.writeRawUTF8String(utf8, off, len); // the same bytes Jackson's escaping would write
        } else {
            g.writeString(new String(utf8, off, len, StandardCharsets.UTF_8));
        }
    }

    /** Below this, Jackson's own path is as fast as the check. */
    private static final int PLAIN_STRING_MIN_CHARS = 16;

    /** ISO-8601 in UTC with {@code Z}, as {@link Instant#toString}: millis, micros or nanos as present. */
    static String formatTime(Instant instant) {
        return IsoInstant.format(instant);
    }

    private void writeArray(JsonGenerator g, List<Value> elements) throws IOException {
        g.writeStartArray();
        for (Value v : elements) {
            write(g, v);
        }
        g.writeEndArray();
    }

    private void writeObject(JsonGenerator g, ObjectValue o) throws IOException {
        StoredForm stored = o.storedForm();
        if (stored != null) {
            writeStored(g, new StoredValueCursor(stored));
            return;
        }
        // A key that starts with '@' would read back as a tag: wrap the whole object so it cannot.
        boolean wrap = tagged && o.fields().keySet().stream().anyMatch(k -> k.startsWith("@"));
        if (wrap) {
            g.writeStartObject();
            g.writeFieldName(TAG_OBJECT);
        }
        g.writeStartObject();
        writeFields(g, o.fields());
        g.writeEndObject();
        if (wrap) {
            g.writeEndObject();
        }
    }

    private void writeFields(JsonGenerator g, Map<String, Value> fields) throws IOException {
        for (Map.Entry<String, Value> e : fields.entrySet()) {
            FieldNames.write(g, e.getKey());
            write(g, e.getValue());
        }
    }

    /*
     * Documents, references and set pages put their fields directly inside the tag object. Keys
     * there are structure, not tags, so user fields are written as they are even if they start with
     * '@' (wrapping them in "@object" inside "@doc" would break both drivers' document decoding).
     */

    private void writeDocument(JsonGenerator g, DocumentValue d) throws IOException {
        if (tagged && g instanceof UTF8JsonGenerator && d.data().storedForm() != null) {
            // From its stored bytes without a generator call per token, as events do (StoredDocumentJson).
            JsonBytes out = direct;
            if (out == null) {
                direct = out = new JsonBytes(512);
            }
            out.truncate(0);
            if (StoredDocumentJson.write(out, d, txnTs)) {
                g.writeRawValue(out.asRawValue());
                return;
            }
        }
        openTag(g, TAG_DOC);
        g.writeFieldName(ID);
        g.writeString(d.id());
        g.writeFieldName(COLL);
        scalar(g, TAG_MOD, d.coll());
        g.writeFieldName(TS);
        scalar(g, TAG_TIME, formatTime(timeOf(d.ts())));
        StoredForm stored = d.data().storedForm();
        if (stored != null) {
            StoredValueCursor c = new StoredValueCursor(stored);
            c.next(); // the object: its count
            writeStoredFields(g, c, count(c));
        } else {
            writeFields(g, d.data().fields());
        }
        closeTag(g);
    }

    /** One value from its stored bytes, as {@link #write} writes the decoded value. */
    private void writeStored(JsonGenerator g, StoredValueCursor c) throws IOException {
        StoredValueCursor.Kind kind = c.next();
        switch (kind) {
            case NULL -> g.writeNull();
            case FALSE -> g.writeBoolean(false);
            case TRUE -> g.writeBoolean(true);
            case STRING -> writeString(g, c.array(), c.textOffset(), c.textLength());
            case INT -> {
                if (tagged) tagDigits(g, TAG_INT, c.intValue());
                else g.writeNumber(c.intValue());
            }
            case LONG -> {
                if (tagged) tagDigits(g, TAG_LONG, c.number());
                else g.writeNumber(c.number());
            }
            case ARRAY -> {
                g.writeStartArray();
                for (int i = 0, n = count(c); i < n; i++) {
                    writeStored(g, c);
                }
                g.writeEndArray();
            }
            case OBJECT -> {
                int n = count(c);
                boolean wrap = tagged && anyNameIsTagLike(c, n);
                if (wrap) {
                    g.writeStartObject();
                    g.writeFieldName(TAG_OBJECT);
                }
                g.writeStartObject();
                writeStoredFields(g, c, n);
                g.writeEndObject();
                if (wrap) {
                    g.writeEndObject();
                }
            }
            // Rarer leaves (doubles, times, dates, bytes, refs, modules): through their values.
            default -> write(g, c.value(kind));
        }
    }

    private void writeStoredFields(JsonGenerator g, StoredValueCursor c, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            c.nextName();
            FieldNames.write(g, c.array(), c.textOffset(), c.textLength());
            writeStored(g, c);
        }
    }

    private static int count(StoredValueCursor c) {
        return (int) c.number();
    }

    /** Whether one of the object's next {@code n} names starts with '@' (looked ahead, then back). */
    static boolean anyNameIsTagLike(StoredValueCursor c, int n) {
        int mark = c.position();
        try {
            for (int i = 0; i < n; i++) {
                c.nextName();
                if (c.textLength() > 0 && c.array()[c.textOffset()] == '@') {
                    return true;
                }
                c.skipValue();
            }
            return false;
        } finally {
            c.reset(mark);
        }
    }

    private void writeNamedDocument(JsonGenerator g, NamedDocumentValue n) throws IOException {
        openTag(g, TAG_DOC);
        g.writeFieldName(NAME);
        g.writeString(n.name());
        g.writeFieldName(COLL);
        scalar(g, TAG_MOD, n.coll());
        g.writeFieldName(TS);
        scalar(g, TAG_TIME, formatTime(timeOf(n.ts())));
        writeFields(g, n.data().fields());
        closeTag(g);
    }

    private void writeRef(JsonGenerator g, DocRefValue r) throws IOException {
        openTag(g, TAG_REF);
        writeRefFields(g, r.coll(), r.id());
        closeTag(g);
    }

    private void writeNullDocument(JsonGenerator g, NullDocumentValue n) throws IOException {
        if (!tagged) {
            g.writeNull(); // Fauna's simple format renders a missing document as plain null
            return;
        }
        openTag(g, TAG_REF);
        writeRefFields(g, n.coll(), n.id());
        g.writeBooleanField("exists", false);
        g.writeStringField("cause", n.cause());
        closeTag(g);
    }

    private void writeRefFields(JsonGenerator g, String coll, String key) throws IOException {
        // A reference into a schema collection is by name ({"name":"Product","coll":Collection}).
        g.writeStringField(Tags.isSchemaCollection(coll) ? "name" : "id", key);
        g.writeFieldName("coll");
        scalar(g, TAG_MOD, coll);
    }

    private void writeSetPage(JsonGenerator g, SetPageValue s) throws IOException {
        openTag(g, TAG_SET);
        g.writeFieldName("data");
        writeArray(g, s.data());
        if (s.after() != null) {
            g.writeStringField("after", s.after()); // absent on the last page: drivers stop there
        }
        closeTag(g);
    }

    private Instant timeOf(long tsMicros) {
        long micros = tsMicros == DocumentValue.PENDING_TS ? txnTs : tsMicros;
        return TimeValue.ofMicros(micros).value();
    }

    /** A leaf: {@code {"@tag":"text"}} when tagged, the bare string when simple. */
    private void scalar(JsonGenerator g, SerializedString tag, String text) throws IOException {
        if (tagged) tag(g, tag, text);
        else g.writeString(text);
    }

    private static void tag(JsonGenerator g, SerializedString tag, String text) throws IOException {
        g.writeStartObject();
        g.writeFieldName(tag);
        g.writeString(text);
        g.writeEndObject();
    }

    /** {@code tag(g, tag, Long.toString(v))}, the digits written without a String when the body is UTF-8. */
    private void tagDigits(JsonGenerator g, SerializedString tag, long v) throws IOException {
        if (!(g instanceof UTF8JsonGenerator)) {
            tag(g, tag, Long.toString(v));
            return;
        }
        byte[] d = digits;
        if (d == null) {
            digits = d = new byte[20]; // "-9223372036854775808"
        }
        int p = d.length;
        long x = v < 0 ? v : -v; // negative, so that Long.MIN_VALUE needs no special case
        do {
            d[--p] = (byte) ('0' - x % 10);
            x /= 10;
        } while (x != 0);
        if (v < 0) {
            d[--p] = '-';
        }
        g.writeStartObject();
        g.writeFieldName(tag);
        g.writeRawUTF8String(d, p, d.length - p);
        g.writeEndObject();
    }

    /** Opens a structured tag ({@code {"@doc":{}}) or, when simple, just the plain object. */
    private void openTag(JsonGenerator g, SerializedString tag) throws IOException {
        if (tagged) {
            g.writeStartObject();
            g.writeFieldName(tag);
        }
        g.writeStartObject();
    }

    private void closeTag(JsonGenerator g) throws IOException {
        g.writeEndObject();
        if (tagged) {
            g.writeEndObject();
        }
    }
}
