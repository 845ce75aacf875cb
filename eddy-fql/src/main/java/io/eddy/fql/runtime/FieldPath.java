package io.eddy.fql.runtime;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.Value;
import java.util.List;

/**
 * A path into a document's fields, as {@code changesOn(...)} watches it: field names and array
 * positions, {@code .price}, {@code .address.city}, {@code .baz[0]}. Rendered as Fauna renders a path
 * in its messages: names joined by dots, positions in brackets ({@code baz[0]}).
 */
public record FieldPath(List<Step> steps) {

    /** One step of a path. */
    public sealed interface Step permits Name, Position {}

    /** A field of an object. */
    public record Name(String name) implements Step {}

    /** An element of an array, counted from 0. */
    public record Position(int index) implements Step {
        public Position {
            if (index < 0) throw new IllegalArgumentException("negative position " + index);
        }
    }

    public FieldPath {
        if (steps.isEmpty()) throw new IllegalArgumentException("a field path has at least one step");
        steps = List.copyOf(steps);
    }

    /** A path of field names only. */
    public static FieldPath ofNames(List<String> names) {
        return new FieldPath(names.stream().<Step>map(Name::new).toList());
    }

    /** The field names of a path without positions, else null. */
    public List<String> names() {
        if (!steps.stream().allMatch(s -> s instanceof Name)) return null;
        return steps.stream().map(s -> ((Name) s).name()).toList();
    }

    /** Whether this is the one-step path {@code .name}. */
    public boolean isField(String name) {
        return steps.size() == 1 && steps.getFirst() instanceof Name n && n.name().equals(name);
    }

    /** The value at this path under {@code data}; null when a step finds no field or element. */
    public Value valueIn(ObjectValue data) {
        Value cur = data;
        for (Step step : steps) {
            cur = switch (step) {
                case Name n -> cur instanceof ObjectValue o ? o.get(n.name()) : NullValue.NULL;
                case Position p -> cur instanceof ArrayValue a && p.index() < a.size() ? a.get(p.index()) : NullValue.NULL;
            };
        }
        return cur;
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Step step : steps) {
            switch (step) {
                case Name n -> sb.append(sb.isEmpty() ? "" : ".").append(n.name());
                case Position p -> sb.append('[').append(p.index()).append(']');
            }
        }
        return sb.toString();
    }
}
