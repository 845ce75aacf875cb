package io.eddy.fql.runtime;

import io.eddy.core.schema.IndexDef;
import io.eddy.core.schema.IndexField;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

    /**
     * Null when {@code idx} covers every watched field (as a term or a value; {@code .id} and {@code .ts}
     * always count), else Fauna's message naming the ones it does not. Also used when a stream request
     * resolves its token against the schema of then.
     */
    public static String notCoveredMessage(IndexDef idx, List<FieldPath> fields) {
        Set<List<String>> covered = new LinkedHashSet<>();
        for (IndexField f : idx.terms()) covered.add(f.path());
        for (IndexField f : idx.values()) covered.add(f.path());
        List<String> missing = new ArrayList<>();
        for (FieldPath f : fields) {
            if (f.isField("id") || f.isField("ts")) continue;
            List<String> names = f.names(); // a path with array positions is never an index field
            if (names == null || !covered.contains(names)) missing.add("`" + f + "`");
        }
        return missing.isEmpty() ? null : "invalid argument `fields`: " + String.join(", ", missing)
                + " not covered by the `" + idx.name() + "` index.";
    }
}
