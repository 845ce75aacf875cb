package io.eddy.fql;

import io.eddy.core.storage.Store;
import io.eddy.core.storage.StoreConfig;
import io.eddy.core.value.Value;
import io.eddy.fql.api.QueryOptions;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.TemplateNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** A real store in a temp folder with an engine on top, for interpreter tests. */
final class EngineFixture implements AutoCloseable {
    final Store store;
    final FqlEngine engine;

    EngineFixture(Path dir) {
        store = Store.open(StoreConfig.defaults(dir));
        engine = new FqlEngine(store, new EngineConfig(new byte[32], Clock.systemUTC()));
    }

    QueryOutcome run(String fql) {
        return run(fql, Map.of());
    }

    QueryOutcome run(String fql, Map<String, Value> args) {
        return engine.execute(new QueryRequest(TemplateNode.Fql.of(fql), args, QueryOptions.defaults()));
    }

    /** Runs a query that must succeed and returns its data. */
    Value ok(String fql) {
        QueryOutcome o = run(fql);
        if (o instanceof QueryOutcome.Failure f) {
            throw new AssertionError("query failed: " + f.code() + ": " + f.message() + "\n" + f.summary() + "\nquery: " + fql);
        }
        return ((QueryOutcome.Success) o).data();
    }

    /** Runs a query that must fail and returns the failure. */
    QueryOutcome.Failure fail(String fql) {
        QueryOutcome o = run(fql);
        if (o instanceof QueryOutcome.Success s) throw new AssertionError("expected failure but got " + s.data() + "\nquery: " + fql);
        return (QueryOutcome.Failure) o;
    }

    @Override
    public void close() {
        store.close();
    }
}
