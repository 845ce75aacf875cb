package io.eddy.server.wire;

import io.eddy.core.codec.StoredValueCursor;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.StoredForm;
import java.nio.charset.StandardCharsets;

/**
 * A document that knows its {@link StoredForm}, as tagged JSON written straight from its stored bytes
 * into a {@link JsonBytes}: the common case of every stream and feed event (documents read from the
 * change log). The output is byte for byte what {@link TaggedJson#write} writes for the document; the
 * leaves it handles are the common ones (null, booleans, strings, Int, Long, arrays, objects), and a
 * document holding any other (a Double, a Time, a reference, ...) is left to {@link TaggedJson}: the
 * call then writes nothing and returns false.
 */
public final class StoredDocumentJson {
    private static final byte[] DOC_ID = ascii("{\"@doc\":{\"id\":");
    private static final byte[] COLL = ascii(",\"coll\":{\"@mod\":");
    private static final byte[] TS = ascii("},\"ts\":{\"@time\":\"");
    private static final byte[] TS_END = ascii("\"}");
    private static final byte[] CLOSE_DOC = ascii("}}");
    private static final byte[] INT = ascii("{\"@int\":\"");
    private static final byte[] LONG = ascii("{\"@long\":\"");
    private static final byte[] TAG_END = ascii("\"}");
    private static final byte[] OBJECT = ascii("{\"@object\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");

    private StoredDocumentJson() {}

    /**
     * Writes {@code d} in the tagged format ({@code {"@doc":{"id":…,"coll":…,"ts":…, fields}}}) if it has
     * a stored form whose leaves are all common ones; otherwise writes nothing.
     *
     * @param txnTs the time that stands for {@link DocumentValue#PENDING_TS}: the event's transaction
     * @return whether it was written
     */
    public static boolean write(JsonBytes out, DocumentValue d, long txnTs) {
        StoredForm stored = d.data().storedForm();
        if (stored == null) return false;
        int mark = out.length();
        out.raw(DOC_ID).string(d.id()).raw(COLL).string(d.coll()).raw(TS);
        long micros = d.ts() == DocumentValue.PENDING_TS ? txnTs : d.ts();
        out.isoTime(micros).raw(TS_END);
        StoredValueCursor c = new StoredValueCursor(stored);
        c.next(); // the data object: its field count
        if (!fields(out, c, (int) c.number(), true)) {
            out.truncate(mark);
            return false;
        }
        out.raw(CLOSE_DOC);
        return true;
    }

    /** {@code n} fields, each preceded by a comma ({@code afterOthers}) or all but the first. */
    private static boolean fields(JsonBytes out, StoredValueCursor c, int n, boolean afterOthers) {
        for (int i = 0; i < n; i++) {
            if (afterOthers || i > 0) out.raw((byte) ',');
            c.nextName();
            out.string(c.array(), c.textOffset(), c.textLength()).raw((byte) ':');
            if (!value(out, c)) return false;
        }
        return true;
    }

    private static boolean value(JsonBytes out, StoredValueCursor c) {
        switch (c.next()) {
            case NULL -> out.raw(NULL);
            case FALSE -> out.raw(FALSE);
            case TRUE -> out.raw(TRUE);
            case STRING -> out.string(c.array(), c.textOffset(), c.textLength());
            case INT -> out.raw(INT).number(c.intValue()).raw(TAG_END);
            case LONG -> out.raw(LONG).number(c.number()).raw(TAG_END);
            case ARRAY -> {
                out.raw((byte) '[');
                for (int i = 0, n = (int) c.number(); i < n; i++) {
                    if (i > 0) out.raw((byte) ',');
                    if (!value(out, c)) return false;
                }
                out.raw((byte) ']');
            }
            case OBJECT -> {
                int n = (int) c.number();
                // A key that starts with '@' would read back as a tag: the object goes inside "@object".
                boolean wrap = ValueWriter.anyNameIsTagLike(c, n);
                if (wrap) out.raw(OBJECT);
                out.raw((byte) '{');
                if (!fields(out, c, n, false)) return false;
                out.raw((byte) '}');
                if (wrap) out.raw((byte) '}');
            }
            default -> {
                return false; // a rarer leaf: the whole document goes through TaggedJson
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
