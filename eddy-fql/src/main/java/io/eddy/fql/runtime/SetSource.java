package io.eddy.fql.runtime;

import io.eddy.core.value.Value;
import java.util.List;

/** Where a set's elements come from. */
public sealed interface SetSource {

    /**
     * Every live document of a collection, in id order: {@code Coll.all()}; with a range, those whose
     * id is at least {@code fromId} and at most {@code toId} ({@code Coll.all({ from: doc })}).
     *
     * @param fromId the least id, or null for no lower bound
     * @param toId the greatest id, or null for no upper bound
     */
    record CollectionScan(String coll, String fromId, String toId) implements SetSource {
        public CollectionScan(String coll) {
            this(coll, null, null);
        }

        public boolean hasRange() { return fromId != null || toId != null; }
    }

    /**
     * Documents of a user index whose terms equal {@code terms}, in index order, optionally restricted
     * to a range of values: {@code Coll.byType("book")}, {@code Coll.byPrice({from: 10})}.
     */
    record IndexRange(String coll, String index, List<Value> terms, List<Value> from, List<Value> to)
            implements SetSource {
        public IndexRange {
            terms = List.copyOf(terms);
            from = from == null ? null : List.copyOf(from);
            to = to == null ? null : List.copyOf(to);
        }
        public boolean hasRange() { return from != null || to != null; }
    }

    /** A fixed list of values: {@code array.toSet()}. */
    record Elements(List<Value> values) implements SetSource {
        public Elements { values = List.copyOf(values); }
    }

    /** {@code Set.single(value)}. */
    record Single(Value value) implements SetSource {}

    /** {@code Set.sequence(from, until)}: the integers {@code from <= i < until}. */
    record Sequence(long from, long until) implements SetSource {}

    /** The collection definitions: {@code Collection.all()}. */
    record CollectionDefs() implements SetSource {}
}
