package io.eddy.stream.live;

import io.eddy.core.value.*;
import java.util.ArrayList;
import java.util.List;

/**
 * Routing key of an index subscription: collection, index id and term values, normalized so that values
 * the index treats as equal (Int 1, Long 1, Double 1.0; a document and its reference) are equal keys.
 */
record TermKey(String coll, int indexId, List<Value> terms) {

    static TermKey of(String coll, int indexId, List<Value> terms) {
        // Most terms are already in normal form (strings, longs): then the caller's immutable list is
        // the key as it is, which matters for subscriptions that keep their key for hours.
        List<Value> norm = null;
        for (int i = 0; i < terms.size(); i++) {
            Value v = terms.get(i), n = normalize(v);
            if (norm == null && n != v) {
                norm = new ArrayList<>(terms.size());
                norm.addAll(terms.subList(0, i));
            }
            if (norm != null) norm.add(n);
        }
        return new TermKey(coll, indexId, norm == null ? List.copyOf(terms) : norm);
    }

    /** Values the index (and FQL's {@code ==}) treats as equal become equal records. */
    static Value normalize(Value v) {
        return switch (v) {
            case IntValue i -> new LongValue(i.value());
            case DoubleValue d when d.value() == Math.rint(d.value()) && Math.abs(d.value()) < 9.0e15 -> new LongValue((long) d.value());
            case DocumentValue d -> d.ref();
            case NullDocumentValue n -> NullValue.NULL;
            case ArrayValue a -> {
                List<Value> out = new ArrayList<>(a.size());
                for (Value e : a.elements()) out.add(normalize(e));
                yield new ArrayValue(out);
            }
            default -> v;
        };
    }
}
