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
import io.eddy.fql.runtime.InlineBudgetExceeded;
import io.eddy.fql.runtime.QueryException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
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
    /** A commit is waited for at least this long, even when the query's own deadline is closer. */
    private static final long MIN_COMMIT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Results of at most this many values are finished and rendered on the event loop after a commit. */
    static final int SMALL_RESULT_VALUES = 64;

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
        int retries = 0;
        while (true) {
            Attempt a = attempt(request, start, retries, false);
            if (a instanceof Attempt.Done d) return d.outcome();
            Attempt.Committing c = (Attempt.Committing) a;
            long remaining = c.deadline() - System.nanoTime();
            try {
                long txnTs = c.commit().get(Math.max(remaining, MIN_COMMIT_WAIT_NANOS), TimeUnit.NANOSECONDS);
                return committed(c, txnTs);
            } catch (ExecutionException e) {
                if (retryable(e.getCause(), c)) {
                    retries++;
                    continue;
                }
                return commitFailed(e.getCause(), c);
            } catch (TimeoutException e) {
                return commitFailed(e, c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return internalError(e, c.ctx(), c.start(), c.retries(), c.snapshotTs());
            }
        }
    }

    /**
     * Runs the query up to its commit on the calling thread and does not wait for the commit: no thread
     * is parked while the commit is made durable. A query that does not commit (it reads only, or
     * fails) returns a completed stage. Otherwise the stage completes once the commit is durable: on
     * {@code light} when the result is small (a few values, so finishing and rendering it there is
     * cheap), on {@code heavy} when it is large; a conflict runs the query again on {@code heavy}.
     * Never on the committing thread, which serves every transaction.
     *
     * @param light must not block (the connection's event loop)
     * @param heavy may block (virtual threads)
     */
    @Override
    public CompletionStage<QueryOutcome> executeAsync(QueryRequest request, Executor light, Executor heavy) {
        return executeAsync(request, light, heavy, System.nanoTime(), 0);
    }

    /**
     * Runs the query under the inline budget ({@link QueryContext#INLINE_MAX_STEPS} steps,
     * {@link QueryContext#INLINE_MAX_READS} reads, no schema change): as {@link #executeAsync}, or null
     * once the query needs more, having done nothing visible (the transaction is discarded).
     */
    @Override
    public CompletionStage<QueryOutcome> tryExecuteInline(QueryRequest request, Executor light, Executor heavy) {
        long start = System.nanoTime();
        Attempt a = attempt(request, start, 0, true);
        return a == null ? null : afterAttempt(a, request, light, heavy);
    }

    private CompletionStage<QueryOutcome> executeAsync(QueryRequest request, Executor light, Executor heavy,
                                                       long start, int retries) {
        return afterAttempt(attempt(request, start, retries, false), request, light, heavy);
    }

    private CompletionStage<QueryOutcome> afterAttempt(Attempt a, QueryRequest request, Executor light, Executor heavy) {
        if (a instanceof Attempt.Done d) return CompletableFuture.completedFuture(d.outcome());
        Attempt.Committing c = (Attempt.Committing) a;
        long remaining = Math.max(c.deadline() - System.nanoTime(), MIN_COMMIT_WAIT_NANOS);
        Executor after = Materializer.isSmall(c.result(), SMALL_RESULT_VALUES) ? light : heavy;
        CommitWatchdog.watch(c.commit(), System.nanoTime() + remaining);
        return c.commit().handleAsync((txnTs, error) -> {
            if (error == null) return CompletableFuture.completedFuture(committed(c, txnTs));
            Throwable cause = error instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : error;
            if (retryable(cause, c)) {
                return CompletableFuture.supplyAsync(() -> executeAsync(request, light, heavy, c.start(), c.retries() + 1), heavy)
                        .thenCompose(Function.identity());
            }
            return CompletableFuture.completedFuture(commitFailed(cause, c));
        }, after).thenCompose(Function.identity());
    }

    /** How a query's run up to its commit ended: with its outcome, or with a commit under way. */
    private sealed interface Attempt {
        record Done(QueryOutcome outcome) implements Attempt {}

        record Committing(CompletableFuture<Long> commit, QueryContext ctx, Value result, long start, long deadline,
                          int retries, int maxRetries, long snapshotTs) implements Attempt {}
    }

    /**
     * Parses, checks and evaluates the query in a new transaction, and submits its writes if it has any.
     * {@code inline}: under the inline budget, and null if that is not enough.
     */
    private Attempt attempt(QueryRequest request, long start, int retries, boolean inline) {
        QueryOptions options = request.options();
        long deadline = start + options.timeout().toNanos();
        ParsedQuery parsed;
        try {
            parsed = parses.parse(request.query());
        } catch (FqlSyntaxException e) {
            return new Attempt.Done(checkFailure(List.of(new StaticCheck.Problem(e.getMessage(), e.span())), e.source(), start, 0));
        }
        // The transaction is closed once its writes are handed to the committer: its snapshot is no
        // longer needed (the commit's conflict check keeps its own pin).
        try (Transaction txn = store.begin()) {
            QueryContext ctx = new QueryContext(txn, deadline, null, config.clock().instant(), cursors,
                    request.principal(), keys.secrets(), inline);
            try {
                List<StaticCheck.Problem> problems = StaticCheck.check(parsed.expr(), request.arguments().keySet(),
                        name -> txn.collection(name) != null);
                if (!problems.isEmpty()) return new Attempt.Done(checkFailure(problems, parsed.source(), start, txn.snapshotTs()));
                Interpreter interp = new Interpreter(ctx);
                Env env = Env.EMPTY;
                for (var arg : request.arguments().entrySet()) env = env.bind(arg.getKey(), arg.getValue());
                Value result = Materializer.materialize(interp.eval(parsed.expr(), env), interp);
                if (txn.hasWrites()) {
                    return new Attempt.Committing(store.commit(txn), ctx, result, start, deadline, retries,
                            options.maxContentionRetries(), txn.snapshotTs());
                }
                long txnTs = txn.snapshotTs();
                Value data = Materializer.finish(result, txnTs, cursors);
                return new Attempt.Done(new QueryOutcome.Success(data, null, ctx.logOutput(), txnTs,
                        stats(ctx, start, retries), 0));
            } catch (QueryException e) {
                return new Attempt.Done(failure(e, parsed.source(), ctx, start, retries, txn.snapshotTs()));
            } catch (StackOverflowError e) {
                return new Attempt.Done(failure(new QueryException("stack_overflow",
                        "The query is nested or recurses too deeply.", null), parsed.source(), ctx, start, retries,
                        txn.snapshotTs()));
            } catch (InlineBudgetExceeded e) {
                return null;
            } catch (RuntimeException e) {
                return new Attempt.Done(internalError(e, ctx, start, retries, txn.snapshotTs()));
            }
        }
    }

    private QueryOutcome committed(Attempt.Committing c, long txnTs) {
        Value data = Materializer.finish(c.result(), txnTs, cursors);
        return new QueryOutcome.Success(data, null, c.ctx().logOutput(), txnTs, stats(c.ctx(), c.start(), c.retries()), 0);
    }

    private static boolean retryable(Throwable cause, Attempt.Committing c) {
        return cause instanceof TransactionConflictException && c.retries() < c.maxRetries();
    }

    private QueryOutcome commitFailed(Throwable cause, Attempt.Committing c) {
        if (cause instanceof TransactionConflictException) {
            return new QueryOutcome.Failure(409, "contended_transaction",
                    "Transaction was aborted due to detection of concurrent modifications.", "",
                    null, c.snapshotTs(), stats(c.ctx(), c.start(), c.retries()), 0);
        }
        if (cause instanceof TimeoutException) {
            // The commit may still land: the client is told it timed out, as with any lost response.
            return new QueryOutcome.Failure(440, "time_out", "Query timed out waiting for its commit.", "", null,
                    c.snapshotTs(), stats(c.ctx(), c.start(), c.retries()), 0);
        }
        return internalError(cause, c.ctx(), c.start(), c.retries(), c.snapshotTs());
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
