package io.eddy.fql;

import io.eddy.core.storage.Store;
import io.eddy.core.txn.Transaction;
import io.eddy.core.txn.TransactionConflictException;
import io.eddy.core.value.Value;
import io.eddy.fql.api.QueryOptions;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.QueryService;
import io.eddy.fql.api.QueryStats;
import io.eddy.fql.ast.SourceText;
import io.eddy.fql.auth.KeyRegistry;
import io.eddy.fql.auth.KeySecrets;
import io.eddy.fql.ast.Span;
import io.eddy.fql.interp.Cursors;
import io.eddy.fql.interp.Interpreter;
import io.eddy.fql.interp.Materializer;
import io.eddy.fql.interp.QueryContext;
import io.eddy.fql.interp.StaticCheck;
import io.eddy.fql.parse.Diagnostics;
import io.eddy.fql.parse.FqlSyntaxException;
import io.eddy.fql.parse.ParsedQuery;
import io.eddy.fql.parse.ParseCache;
import io.eddy.fql.runtime.Env;
import io.eddy.fql.runtime.QueryException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs FQL queries against a {@link Store}: parse, check names, evaluate in one transaction, render the
 * result, commit. This is the {@link QueryService} the HTTP front end calls.
 *
 * <p>Invariants: a query's writes commit whole or not at all (any error discards the transaction); a
 * successful write is acknowledged only after its commit is durable; a transaction conflict is retried
 * up to {@code X-Max-Contention-Retries} times before {@code contended_transaction}; every user mistake
 * is a {@link QueryOutcome.Failure}, and only a bug produces {@code internal_error}.
 */
public final class FqlEngine implements QueryService {
    private static final Logger log = LoggerFactory.getLogger(FqlEngine.class);

    private final Store store;
    private final EngineConfig config;
    private final Cursors cursors;
    /** Query shapes seen before are not lexed and parsed again (see {@link ParseCache}). */
    private final ParseCache parses = new ParseCache();
    private final KeyRegistry keys;

    /** Opens the engine; creates the system {@code Key} collection on a new store. */
    public FqlEngine(Store store, EngineConfig config) {
        this.store = store;
        this.config = config;
        this.cursors = new Cursors(config.signingKey());
        this.keys = new KeyRegistry(store, new KeySecrets(config.signingKey()), config.clock());
    }

    @Override
    public KeyRegistry keys() { return keys; }

    /** Encodes and verifies cursors and event-source tokens with this server's key. */
    public Cursors cursors() { return cursors; }

    public Store store() { return store; }

    @Override
    public QueryOutcome execute(QueryRequest request) {
        long start = System.nanoTime();
        QueryOptions options = request.options();
        long deadline = start + options.timeout().toNanos();
        ParsedQuery parsed;
        try {
            parsed = parses.parse(request.query());
        } catch (FqlSyntaxException e) {
            return checkFailure(List.of(new StaticCheck.Problem(e.getMessage(), e.span())), e.source(), start, 0);
        }
        int retries = 0;
        while (true) {
            Transaction txn = store.begin();
            QueryContext ctx = new QueryContext(txn, deadline, null, config.clock().instant(), cursors,
                    request.principal(), keys.secrets());
            try {
                List<StaticCheck.Problem> problems = StaticCheck.check(parsed.expr(), request.arguments().keySet(),
                        name -> txn.collection(name) != null);
                if (!problems.isEmpty()) return checkFailure(problems, parsed.source(), start, txn.snapshotTs());
                Interpreter interp = new Interpreter(ctx);
                Env env = Env.EMPTY;
                for (var arg : request.arguments().entrySet()) env = env.bind(arg.getKey(), arg.getValue());
                Value result = Materializer.materialize(interp.eval(parsed.expr(), env), interp);
                long txnTs;
                if (txn.hasWrites()) {
                    long remaining = deadline - System.nanoTime();
                    txnTs = store.commit(txn).get(Math.max(remaining, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                } else {
                    txnTs = txn.snapshotTs();
                }
                Value data = Materializer.finish(result, txnTs, cursors);
                return new QueryOutcome.Success(data, null, ctx.logOutput(), txnTs, stats(ctx, start, retries), 0);
            } catch (QueryException e) {
                return failure(e, parsed.source(), ctx, start, retries, txn.snapshotTs());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TransactionConflictException && retries < options.maxContentionRetries()) {
                    retries++;
                    continue;
                }
                if (e.getCause() instanceof TransactionConflictException) {
                    return new QueryOutcome.Failure(409, "contended_transaction",
                            "Transaction was aborted due to detection of concurrent modifications.", "",
                            null, txn.snapshotTs(), stats(ctx, start, retries), 0);
                }
                return internalError(e.getCause(), ctx, start, retries, txn.snapshotTs());
            } catch (TimeoutException e) {
                // The commit may still land: the client is told it timed out, as with any lost response.
                return new QueryOutcome.Failure(440, "time_out", "Query timed out waiting for its commit.", "", null,
                        txn.snapshotTs(), stats(ctx, start, retries), 0);
            } catch (StackOverflowError e) {
                return failure(new QueryException("stack_overflow", "The query is nested or recurses too deeply.", null),
                        parsed.source(), ctx, start, retries, txn.snapshotTs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return internalError(e, ctx, start, retries, txn.snapshotTs());
            } catch (RuntimeException e) {
                return internalError(e, ctx, start, retries, txn.snapshotTs());
            } finally {
                txn.close();
            }
        }
    }

    private QueryOutcome checkFailure(List<StaticCheck.Problem> problems, SourceText source, long start, long ts) {
        StringBuilder summary = new StringBuilder();
        for (StaticCheck.Problem p : problems) {
            if (summary.length() > 0) summary.append("\n\n");
            summary.append(render(source, p.span(), p.message()));
        }
        int n = problems.size();
        return new QueryOutcome.Failure(400, "invalid_query", "The query failed " + n + " validation check" + (n == 1 ? "" : "s"),
                summary.toString(), null, ts, new QueryStats(0, 0, 0, elapsedMs(start), 0, 0, 0), 0);
    }

    private QueryOutcome failure(QueryException e, SourceText source, QueryContext ctx, long start, int retries, long ts) {
        Value abort = e.abortValue() == null ? null : Materializer.finish(e.abortValue(), ts, cursors);
        String summary = render(source, e.span(), e.getMessage());
        String logs = ctx.logOutput();
        return new QueryOutcome.Failure(e.httpStatus(), e.code(), e.getMessage(), logs.isEmpty() ? summary : logs + summary,
                abort, ts, stats(ctx, start, retries), 0);
    }

    private QueryOutcome internalError(Throwable t, QueryContext ctx, long start, int retries, long ts) {
        log.error("internal error while running a query", t);
        return new QueryOutcome.Failure(500, "internal_error", "An internal error occurred; it has been logged.", "",
                null, ts, stats(ctx, start, retries), 0);
    }

    private static String render(SourceText source, Span span, String message) {
        if (span == null || source == null || (span.start() == 0 && span.end() == 0 && span == Span.NONE)) {
            return "error: " + message;
        }
        return Diagnostics.render(source, span, message);
    }

    private static QueryStats stats(QueryContext ctx, long start, int retries) {
        return new QueryStats(ctx.computeOps(), ctx.readOps(), ctx.writeOps(), elapsedMs(start), retries, 0, 0);
    }

    private static long elapsedMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
