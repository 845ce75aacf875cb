package io.eddy.fql.runtime;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.SetPageValue;
import io.eddy.core.value.Value;

/**
 * The deepest nesting of arrays and objects a value may have to be stored in a document, returned by a
 * query or carried by an event. The wire format is JSON, and JSON readers and writers recurse: Jackson
 * refuses documents nested past 1,000 levels and the tagged format may wrap each level once more, so an
 * unbounded value would fail only while its response is written, as a 500 after the transaction
 * committed. Checking at the edges (a document write, a query's result before commit, an event's data)
 * turns it into an error the query's author can act on, and keeps every recursive walk of a value
 * shallow.
 */
public final class ValueDepth {
    /** Levels of arrays and objects within one value (a document's data counts as the first). */
    public static final int MAX = 256;

    private ValueDepth() {}

    /** Whether {@code v} nests arrays, objects or set pages more than {@link #MAX} levels deep. */
    public static boolean exceeds(Value v) {
        return exceeds(v, 1);
    }

    private static boolean exceeds(Value v, int level) {
        return switch (v) {
            case ArrayValue a -> level > MAX || anyExceeds(a.elements(), level + 1);
            // An object read from storage was checked when it was written: its fields are not decoded
            // here just to be counted (the limit leaves JSON's 1,000 levels room for such nesting).
            case ObjectValue o -> level > MAX || (o.storedForm() == null && anyExceeds(o.fields().values(), level + 1));
            case SetPageValue p -> level > MAX || anyExceeds(p.data(), level + 1);
            case null, default -> false;
        };
    }

    private static boolean anyExceeds(Iterable<Value> values, int level) {
        for (Value e : values) {
            if (exceeds(e, level)) return true;
        }
        return false;
    }

    /** The error for a value that {@link #exceeds} the limit, naming where it was found. */
    public static QueryException tooDeep(String code, String what, io.eddy.fql.ast.Span span) {
        return new QueryException(code, what + " nests arrays and objects more than " + MAX
                + " levels deep; values may nest at most " + MAX + " levels.", span);
    }
}
