package io.eddy.fql.runtime;

import java.util.List;

/** One step of a set's pipeline. */
public sealed interface SetOp {
    record Where(FunctionValue predicate) implements SetOp {}
    record MapOp(FunctionValue fn) implements SetOp {}
    record FlatMap(FunctionValue fn) implements SetOp {}
    record Take(long n) implements SetOp {}
    record Drop(long n) implements SetOp {}
    record Order(List<OrderingValue> orderings) implements SetOp {
        public Order { orderings = List.copyOf(orderings); }
    }
    record Reverse() implements SetOp {}
    record Distinct() implements SetOp {}
    record Concat(SetValue other) implements SetOp {}
}
