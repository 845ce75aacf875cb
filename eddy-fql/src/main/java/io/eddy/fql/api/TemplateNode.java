package io.eddy.fql.api;

import io.eddy.core.value.Value;
import java.util.List;
import java.util.Map;

/**
 * A query as the drivers send it (Fauna's template grammar): {@code {"fql":[...]}} of text pieces and
 * nested nodes, {@code {"value": tagged}}, {@code {"array":[...]}}, {@code {"object":{...}}}. A plain
 * string query is {@code Fql([Text(s)])}. Interpolated values are bound as values, never as source text.
 */
public sealed interface TemplateNode {

    record Fql(List<TemplateNode> parts) implements TemplateNode {
        public Fql { parts = List.copyOf(parts); }
        public static Fql of(String source) { return new Fql(List.of(new Text(source))); }
    }

    /** Literal FQL source. */
    record Text(String source) implements TemplateNode {}

    /** An interpolated, already decoded value. */
    record ValueNode(Value value) implements TemplateNode {}

    /** An array literal of nodes; nested {@code Fql} elements are parenthesised. */
    record ArrayNode(List<TemplateNode> elements) implements TemplateNode {
        public ArrayNode { elements = List.copyOf(elements); }
    }

    /** An object literal of nodes, in key order; nested {@code Fql} values are parenthesised. */
    record ObjectNode(Map<String, TemplateNode> fields) implements TemplateNode {}
}
