package io.eddy.fql;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.Value;
import io.eddy.fql.api.Principal;
import io.eddy.fql.api.QueryOptions;
import io.eddy.fql.api.QueryOutcome;
import io.eddy.fql.api.QueryRequest;
import io.eddy.fql.api.TemplateNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FqlEngine#executeAsync}: no thread waits for a commit, and the outcome lands where it should. */
class AsyncExecutionTest {
    @TempDir Path dir;
    EngineFixture f;
    final ExecutorService lightThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "light"));
    final AtomicInteger lightTasks = new AtomicInteger();
    final AtomicInteger heavyTasks = new AtomicInteger();
    final Executor light = task -> {
        lightTasks.incrementAndGet();
        lightThread.execute(task);
    };
    final Executor heavy = task -> {
        heavyTasks.incrementAndGet();
        Thread.ofVirtual().name("heavy").start(task);
    };

    @BeforeEach
    void open() {
        f = new EngineFixture(dir);
        f.ok("Collection.create({ name: 'Product' })");
    }

    @AfterEach
    void close() {
        lightThread.shutdownNow();
        f.close();
    }

    private CompletableFuture<QueryOutcome> run(String fql) {
        return f.engine.executeAsync(new QueryRequest(TemplateNode.Fql.of(fql), Map.of(), QueryOptions.defaults(),
                Principal.ROOT), light, heavy).toCompletableFuture();
    }

    private QueryOutcome completed(String fql) throws Exception {
        return run(fql).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aQueryThatDoesNotCommitIsCompleteOnReturn() {
        CompletableFuture<QueryOutcome> read = run("Product.all().count()");
        CompletableFuture<QueryOutcome> failed = run("Product.create({ a: 1 }); abort('no')");
        assertThat(read).isDone();
        assertThat(((QueryOutcome.Success) read.join()).data()).isEqualTo(new IntValue(0));
        assertThat(failed).isDone();
        assertThat(((QueryOutcome.Failure) failed.join()).code()).isEqualTo("abort");
        assertThat(lightTasks.get() + heavyTasks.get()).isZero();
    }

    @Test
    void aSmallResultIsFinishedOnTheLightExecutorWithTheCommitTime() throws Exception {
        QueryOutcome.Success s = (QueryOutcome.Success) completed("Product.create({ name: 'cup' })");
        assertThat(lightTasks.get()).isEqualTo(1);
        DocumentValue doc = (DocumentValue) s.data();
        assertThat(doc.ts()).as("the document carries its commit's ts").isEqualTo(s.txnTs());
        assertThat(heavyTasks.get()).isZero();
        assertThat(f.ok("Product.all().count()")).isEqualTo(new IntValue(1));
    }

    @Test
    void aLargeResultIsFinishedOnTheHeavyExecutor() throws Exception {
        QueryOutcome c = completed("Set.sequence(0, 100).toArray().map(i => Product.create({ i: i }))");
        assertThat(heavyTasks.get()).isEqualTo(1);
        ArrayValue docs = (ArrayValue) ((QueryOutcome.Success) c).data();
        assertThat(docs.size()).isEqualTo(100);
        assertThat(lightTasks.get()).isZero();
    }

    @Test
    void concurrentConflictingWritesAreRetriedAndNoneCompletesOnTheCommitThread() throws Exception {
        f.ok("Product.create({ id: '1', n: 0 })");
        int writers = 32;
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<QueryOutcome>> all = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<CompletableFuture<QueryOutcome>>> started = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                started.add(CompletableFuture.supplyAsync(
                        () -> run("let d = Product.byId('1')!; d.update({ n: d.n + 1 }).n"), callers));
            }
            for (var s : started) {
                all.add(s.get(10, TimeUnit.SECONDS).whenComplete((o, t) -> threads.add(Thread.currentThread().getName())));
            }
        }
        int succeeded = 0;
        for (CompletableFuture<QueryOutcome> o : all) {
            if (o.get(10, TimeUnit.SECONDS) instanceof QueryOutcome.Success) succeeded++;
        }
        Value n = f.ok("Product.byId('1')!.n");
        assertThat(n).as("every acknowledged increment is there, none twice").isIn(new IntValue(succeeded), new LongValue(succeeded));
        assertThat(threads).doesNotContain("eddy-committer");
        assertThat(lightTasks.get() + heavyTasks.get()).as("each commit's outcome went through an executor")
                .isGreaterThanOrEqualTo(writers);
    }

    private CompletableFuture<QueryOutcome> inline(String fql) {
        var stage = f.engine.tryExecuteInline(new QueryRequest(TemplateNode.Fql.of(fql), Map.of(), QueryOptions.defaults(),
                Principal.ROOT), light, heavy);
        return stage == null ? null : stage.toCompletableFuture();
    }

    @Test
    void smallQueriesRunInlineAndLargerOnesAreAbandonedWithNothingWritten() throws Exception {
        CompletableFuture<QueryOutcome> create = inline("Product.create({ name: 'cup' })");
        assertThat(create).as("a single create fits the inline budget").isNotNull();
        assertThat(create.get(10, TimeUnit.SECONDS)).isInstanceOf(QueryOutcome.Success.class);
        assertThat(inline("Product.all().count()").join()).isInstanceOf(QueryOutcome.Success.class);
        assertThat(inline("Product.create({ a: 1 }); abort('no')").join()).isInstanceOf(QueryOutcome.Failure.class);
        for (int i = 0; i < 20; i++) f.ok("Product.create({ i: " + i + " })");

        // Each needs more than the budget: abandoned, and nothing of them is written.
        assertThat(inline("Product.create({ tag: 'lost' }); Product.all().toArray()")).as("reads").isNull();
        assertThat(inline("Product.create({ tag: 'lost' }); Set.sequence(0, 5000).toArray().map(x => x * 2).length"))
                .as("steps").isNull();
        assertThat(inline("Product.create({ tag: 'lost' }); Collection.create({ name: 'Other' })")).as("schema").isNull();
        assertThat(f.ok("Product.where(.tag == 'lost').count()")).isEqualTo(new IntValue(0));
        assertThat(f.ok("Collection.byName('Other') == null")).isEqualTo(io.eddy.core.value.BoolValue.TRUE);

        // The same queries run in full where blocking is allowed.
        assertThat(run("Product.create({ tag: 'kept' }); Product.all().toArray().length").get(10, TimeUnit.SECONDS))
                .isInstanceOf(QueryOutcome.Success.class);
        assertThat(f.ok("Product.where(.tag == 'kept').count()")).isEqualTo(new IntValue(1));
    }

    @Test
    void theWatchdogFailsACommitStillPendingAtItsDeadline() {
        CompletableFuture<Long> stuck = new CompletableFuture<>();
        CompletableFuture<Long> done = CompletableFuture.completedFuture(7L);
        CommitWatchdog.watch(stuck, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1));
        CommitWatchdog.watch(done, System.nanoTime());
        try {
            stuck.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the stuck commit was not timed out");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the stuck commit was not timed out", e);
        }
        assertThat(done.join()).isEqualTo(7L);
    }
}
