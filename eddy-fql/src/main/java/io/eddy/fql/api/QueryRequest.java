package io.eddy.fql.api;

import io.eddy.core.value.Value;
import java.util.Map;

/** One {@code /query/1} request: the query, its top-level {@code arguments}, and the options. */
public record QueryRequest(TemplateNode.Fql query, Map<String, Value> arguments, QueryOptions options) {
    public QueryRequest {
        arguments = Map.copyOf(arguments);
    }
}
