package io.eddy.fql.api;

import io.eddy.core.value.Value;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code /query/1} request: the query, its top-level {@code arguments}, the options, and who sends
 * it (the principal its secret authenticated as).
 */
public record QueryRequest(TemplateNode.Fql query, Map<String, Value> arguments, QueryOptions options,
                           Principal principal) {
    public QueryRequest {
        arguments = Map.copyOf(arguments);
        Objects.requireNonNull(principal, "principal");
    }

    /** A request with the root secret's authority. */
    public QueryRequest(TemplateNode.Fql query, Map<String, Value> arguments, QueryOptions options) {
        this(query, arguments, options, Principal.ROOT);
    }
}
