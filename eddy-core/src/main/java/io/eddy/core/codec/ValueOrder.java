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
import io.eddy.core.value.NumberValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * The total order of storable values that index keys follow ({@link KeyCodec} agrees with it):
 * null &lt; booleans (false &lt; true) &lt; numbers (Int, Long and Double compared numerically; -0.0 equals
 * 0.0; NaN above +infinity) &lt; strings (Unicode code point order) &lt; times &lt; dates &lt; bytes (unsigned
 * lexicographic) &lt; refs and documents (collection name, then id as a string) &lt; modules &lt; arrays
 * (element-wise, shorter first) &lt; objects (field by field in field order: name, then value; shorter
 * first).
 */
public final class ValueOrder implements Comparator<Value> {
    public static final ValueOrder INSTANCE = new ValueOrder();

    private ValueOrder() {}

    private static int rank(Value v) {
        return switch (v) {
            case NullValue n -> 0;
            case BoolValue b -> 1;
            case NumberValue n -> 2;
            case StringValue s -> 3;
            case TimeValue t -> 4;
            case DateValue d -> 5;
            case BytesValue b -> 6;
            case DocRefValue r -> 7;
            case DocumentValue d -> 7;
            case ModuleValue m -> 8;
            case ArrayValue a -> 9;
            case ObjectValue o -> 10;
            default -> throw new IllegalArgumentException("A value of type " + v.typeName() + " cannot be ordered.");
        };
    }

    @Override
    public int compare(Value a, Value b) {
        int ra = rank(a), rb = rank(b);
        if (ra != rb) return Integer.compare(ra, rb);
        return switch (a) {
            case NullValue n -> 0;
            case BoolValue x -> Boolean.compare(x.value(), ((BoolValue) b).value());
            case NumberValue x -> compareNumbers(x, (NumberValue) b);
            case StringValue x -> compareStrings(x.value(), ((StringValue) b).value());
            case TimeValue x -> x.value().compareTo(((TimeValue) b).value());
            case DateValue x -> x.value().compareTo(((DateValue) b).value());
            case BytesValue x -> Arrays.compareUnsigned(x.value(), ((BytesValue) b).value());
            case ModuleValue x -> compareStrings(x.name(), ((ModuleValue) b).name());
            case ArrayValue x -> compareArrays(x, (ArrayValue) b);
            case ObjectValue x -> compareObjects(x, (ObjectValue) b);
            default -> compareRefs(refOf(a), refOf(b));
        };
    }

    private static DocRefValue refOf(Value v) {
        return v instanceof DocumentValue d ? d.ref() : (DocRefValue) v;
    }

    private static int compareRefs(DocRefValue a, DocRefValue b) {
        int c = compareStrings(a.coll(), b.coll());
        return c != 0 ? c : compareStrings(a.id(), b.id());
    }

    /** Code point order, which is also the order of the UTF-8 bytes. */
    public static int compareStrings(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    public static int compareNumbers(NumberValue a, NumberValue b) {
        if (!(a instanceof DoubleValue) && !(b instanceof DoubleValue)) return Long.compare(a.asLong(), b.asLong());
        double da = a.asDouble(), db = b.asDouble();
        boolean na = a instanceof DoubleValue && Double.isNaN(da), nb = b instanceof DoubleValue && Double.isNaN(db);
        if (na || nb) return Boolean.compare(na, nb);
        if (Double.isInfinite(da) || Double.isInfinite(db)) {
            if (da != db) return Double.compare(da, db); // -0.0 cannot occur here
            return 0;
        }
        return exact(a).compareTo(exact(b));
    }

    private static BigDecimal exact(NumberValue n) {
        return switch (n) {
            case DoubleValue d -> new BigDecimal(d.value());
            case IntValue i -> BigDecimal.valueOf(i.value());
            case LongValue l -> BigDecimal.valueOf(l.value());
        };
    }

    private int compareArrays(ArrayValue a, ArrayValue b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    private int compareObjects(ObjectValue a, ObjectValue b) {
        Iterator<Map.Entry<String, Value>> ia = a.fields().entrySet().iterator();
        Iterator<Map.Entry<String, Value>> ib = b.fields().entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            Map.Entry<String, Value> ea = ia.next(), eb = ib.next();
            int c = compareStrings(ea.getKey(), eb.getKey());
            if (c == 0) c = compare(ea.getValue(), eb.getValue());
            if (c != 0) return c;
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }
}
