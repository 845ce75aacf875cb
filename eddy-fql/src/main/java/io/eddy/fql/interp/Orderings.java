package io.eddy.fql.interp;

import io.eddy.core.value.Value;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.OrderingValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code order(...)} for sets and arrays: parsing its arguments and sorting by them. */
final class Orderings {
    private Orderings() {}

    /** The orderings of an {@code order(...)} call: functions (ascending) or {@code asc(f)} / {@code desc(f)}. */
    static List<OrderingValue> parse(Args args) {
        List<OrderingValue> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Value v = args.get(i);
            if (v instanceof OrderingValue o) out.add(o);
            else if (v instanceof FunctionValue f) out.add(new OrderingValue(f, false));
            else throw args.wrongType(i, "a function or an ordering (`asc(...)`, `desc(...)`)");
        }
        return out;
    }

    /**
     * Sorts in place, stably: by the values themselves when there are no orderings, else by each
     * ordering's key in turn. Keys are computed once per element: key functions may read documents.
     */
    static void sort(Interpreter interp, List<Value> values, List<OrderingValue> orderings, Span span) {
        if (orderings.isEmpty()) {
            values.sort(Compare::compare);
            return;
        }
        List<Value[]> keyed = new ArrayList<>(values.size());
        for (Value v : values) {
            Value[] row = new Value[orderings.size() + 1];
            row[0] = v;
            for (int i = 0; i < orderings.size(); i++) row[i + 1] = interp.call(orderings.get(i).key(), List.of(v), span);
            keyed.add(row);
        }
        Comparator<Value[]> cmp = (a, b) -> {
            for (int i = 0; i < orderings.size(); i++) {
                int c = Compare.compare(a[i + 1], b[i + 1]);
                if (c != 0) return orderings.get(i).descending() ? -c : c;
            }
            return 0;
        };
        keyed.sort(cmp);
        values.clear();
        for (Value[] row : keyed) values.add(row[0]);
    }
}
