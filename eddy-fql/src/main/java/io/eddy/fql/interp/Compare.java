package io.eddy.fql.interp;

import io.eddy.core.value.*;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.SetValue;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Equality and ordering of FQL values.
 *
 * <p>Equality is structural; numbers compare by numeric value across Int, Long and Double; a document,
 * its reference and a stored reference are equal when collection and id agree; a null document equals
 * {@code null}; a document's id ({@link IdValue}) equals the same string and the Int or Long it spells
 * (only the id: {@code "1" == 1} is false). Ordering is total (used by {@code order()} and comparisons): values of different kinds
 * order by kind (null, boolean, number, string, time, date, bytes, document, array, object, other).
 */
public final class Compare {
    private Compare() {}

    public static boolean isNullish(Value v) {
        return v == null || v == NullValue.NULL || v instanceof NullDocumentValue;
    }

    public static boolean equal(Value a, Value b) {
        if (isNullish(a) || isNullish(b)) return isNullish(a) && isNullish(b);
        if (a instanceof NumberValue x && b instanceof NumberValue y) return compareNumbers(x, y) == 0;
        if (a instanceof IdValue id && isInteger(b)) return id.spells(((NumberValue) b).asLong());
        if (b instanceof IdValue id && isInteger(a)) return id.spells(((NumberValue) a).asLong());
        String ca = docColl(a), cb = docColl(b);
        if (ca != null || cb != null) return ca != null && ca.equals(cb) && docId(a).equals(docId(b));
        if (a instanceof ArrayValue x && b instanceof ArrayValue y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!equal(x.get(i), y.get(i))) return false;
            return true;
        }
        if (a instanceof ObjectValue x && b instanceof ObjectValue y) {
            if (x.size() != y.size()) return false;
            for (Map.Entry<String, Value> e : x.fields().entrySet()) {
                if (!y.has(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) return false;
            }
            return true;
        }
        if (a instanceof NamedDocumentValue x && b instanceof NamedDocumentValue y) {
            return x.coll().equals(y.coll()) && x.name().equals(y.name());
        }
        return a.equals(b);
    }

    private static boolean isInteger(Value v) {
        return v instanceof IntValue || v instanceof LongValue;
    }

    /** Whether {@code a} and {@code b} can be compared with {@code <}: same kind of value. */
    public static boolean comparable(Value a, Value b) {
        return rank(a) == rank(b) && rank(a) <= 7;
    }

    /** A total order over all values. */
    public static int compare(Value a, Value b) {
        int ra = rank(a), rb = rank(b);
        if (ra != rb) return Integer.compare(ra, rb);
        return switch (ra) {
            case 0 -> 0;
            case 1 -> Boolean.compare(((BoolValue) a).value(), ((BoolValue) b).value());
            case 2 -> compareNumbers((NumberValue) a, (NumberValue) b);
            case 3 -> ((StringValue) a).value().compareTo(((StringValue) b).value());
            case 4 -> ((TimeValue) a).value().compareTo(((TimeValue) b).value());
            case 5 -> ((DateValue) a).value().compareTo(((DateValue) b).value());
            case 6 -> Arrays.compareUnsigned(((BytesValue) a).value(), ((BytesValue) b).value());
            case 7 -> {
                int c = docColl(a).compareTo(docColl(b));
                yield c != 0 ? c : compareIds(docId(a), docId(b));
            }
            case 8 -> compareLists(((ArrayValue) a).elements(), ((ArrayValue) b).elements());
            case 9 -> compareObjects((ObjectValue) a, (ObjectValue) b);
            default -> 0;
        };
    }

    private static int compareIds(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private static int compareLists(List<Value> a, List<Value> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareObjects(ObjectValue a, ObjectValue b) {
        Iterator<Map.Entry<String, Value>> x = a.fields().entrySet().iterator();
        Iterator<Map.Entry<String, Value>> y = b.fields().entrySet().iterator();
        while (x.hasNext() && y.hasNext()) {
            Map.Entry<String, Value> ex = x.next(), ey = y.next();
            int c = ex.getKey().compareTo(ey.getKey());
            if (c != 0) return c;
            c = compare(ex.getValue(), ey.getValue());
            if (c != 0) return c;
        }
        return Boolean.compare(x.hasNext(), y.hasNext());
    }

    public static int compareNumbers(NumberValue a, NumberValue b) {
        if (a instanceof DoubleValue || b instanceof DoubleValue) return Double.compare(a.asDouble(), b.asDouble());
        return Long.compare(a.asLong(), b.asLong());
    }

    private static int rank(Value v) {
        if (isNullish(v)) return 0;
        if (v instanceof BoolValue) return 1;
        if (v instanceof NumberValue) return 2;
        if (v instanceof StringValue) return 3;
        if (v instanceof TimeValue) return 4;
        if (v instanceof DateValue) return 5;
        if (v instanceof BytesValue) return 6;
        if (docColl(v) != null) return 7;
        if (v instanceof ArrayValue) return 8;
        if (v instanceof ObjectValue) return 9;
        if (v instanceof SetValue || v instanceof FunctionValue) return 11;
        return 10;
    }

    static String docColl(Value v) {
        if (v instanceof DocumentValue d) return d.coll();
        if (v instanceof DocRefValue r) return r.coll();
        return null;
    }

    static String docId(Value v) {
        if (v instanceof DocumentValue d) return d.id();
        if (v instanceof DocRefValue r) return r.id();
        return null;
    }
}
