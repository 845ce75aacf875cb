package io.eddy.server.testing;

import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.QueryService;
import io.eddy.fql.api.QueryStats;
import io.eddy.fql.api.TemplateNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A test QueryService: answers with a function of the request and records every request. */
public final class StubQueryService implements QueryService {
    public static final long TXN_TS = 1728485357000000L;
    public static final long SCHEMA_VERSION = 1718034700060000L;
    public static final QueryStats STATS = new QueryStats(1, 2, 3, 4, 0, 120, 7);

    private final Function<QueryRequest, QueryOutcome> answer;
    public final List<QueryRequest> requests = new CopyOnWriteArrayList<>();

    public StubQueryService(Function<QueryRequest, QueryOutcome> answer) {
        this.answer = answer;
    }

    /** Answers with {@code data} whatever the query. */
    public static StubQueryService returning(Value data) {
        return new StubQueryService(r -> success(data));
    }

    /**
     * Echoes the request: {@code data} is {@code {"query": <source text joined>, "args": {...}}},
     * so concurrent tests can match each response to its request.
     */
    public static StubQueryService echo() {
        return new StubQueryService(r -> {
            Map<String, Value> fields = new LinkedHashMap<>();
            fields.put("query", new StringValue(text(r.query())));
            fields.put("args", new ObjectValue(r.arguments()));
            return success(new ObjectValue(fields));
        });
    }

    public static QueryOutcome.Success success(Value data) {
        return new QueryOutcome.Success(data, null, "", TXN_TS, STATS, SCHEMA_VERSION);
    }

    /** The literal text of a template (values shown as {@code ?}). */
    public static String text(TemplateNode node) {
        return switch (node) {
            case TemplateNode.Fql f -> f.parts().stream().map(StubQueryService::text).reduce("", String::concat);
            case TemplateNode.Text t -> t.source();
            case TemplateNode.ValueNode v -> "?";
            case TemplateNode.ArrayNode a -> "[" + String.join(", ", a.elements().stream().map(StubQueryService::text).toList()) + "]";
            case TemplateNode.ObjectNode o -> o.fields().toString();
        };
    }

    @Override
    public QueryOutcome execute(QueryRequest request) {
        requests.add(request);
        return answer.apply(request);
    }
}
