// Errors as the driver surfaces them: the right error class, code and httpStatus for check
// errors, runtime errors, aborts, authentication and timeouts; failed transactions leave no
// writes behind; the server keeps serving after all of it.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  fql,
  AbortError,
  AuthenticationError,
  ContendedTransactionError,
  QueryCheckError,
  QueryRuntimeError,
  QueryTimeoutError,
  ServiceError,
} from "fauna";
import { startEddy, rejectsWith } from "./harness.mjs";

let eddy;
let client;

before(async () => {
  eddy = await startEddy();
  client = eddy.client();
  await client.query(fql`Collection.create({ name: "Product" })`);
  await client.query(fql`Collection.create({ name: "Ledger" })`);
  await client.query(fql`Collection.create({ name: "Counter" })`);
});

after(async () => {
  await eddy?.close();
});

/** message plus summary: where a server may put the details of an error. */
const details = (err) => `${err.message}\n${err.queryInfo?.summary ?? ""}`;

describe("check errors (invalid_query)", { timeout: 60_000 }, () => {
  it("a syntax error is a QueryCheckError with a located summary", async () => {
    const err = await rejectsWith(client.query(fql`1 + (2 * 3`), QueryCheckError);
    assert.equal(err.code, "invalid_query");
    assert.equal(err.httpStatus, 400);
    assert.match(err.message, /^The query failed \d+ validation checks?/);
    const summary = err.queryInfo?.summary;
    assert.equal(typeof summary, "string");
    assert.match(summary, /at \*query\*:1:\d+/);
    assert.match(summary, /^\s*\|?\s*\^+/m, "the summary has a caret line under the error");
  });

  it("the location counts lines", async () => {
    const err = await rejectsWith(client.query(fql`let x = 1\nlet y = )\nx`), QueryCheckError);
    assert.equal(err.code, "invalid_query");
    assert.match(err.queryInfo.summary, /at \*query\*:2:\d+/);
  });

  it("an unknown variable is invalid_query naming it", async () => {
    const err = await rejectsWith(client.query(fql`undefinedThing + 1`), QueryCheckError);
    assert.equal(err.code, "invalid_query");
    assert.match(details(err), /undefinedThing/);
  });

  it("an unknown collection is invalid_query naming it", async () => {
    const err = await rejectsWith(client.query(fql`NoSuchCollection.all()`), QueryCheckError);
    assert.equal(err.code, "invalid_query");
    assert.match(details(err), /NoSuchCollection/);
  });

  it("a JS-side fragment error is reported at the fragment's position", async () => {
    const err = await rejectsWith(client.query(fql`${1} +* ${2}`), QueryCheckError);
    assert.equal(err.code, "invalid_query");
    assert.match(err.queryInfo.summary, /at \*query\*:1:\d+/);
  });

  // Runaway nesting in the source: the server must answer with a check error from a nesting
  // limit rather than let a StackOverflowError escape (a 500, a dropped connection or a dead
  // event loop). Runaway evaluation is under "runtime errors" below.
  it("5000 nested brackets fail cleanly instead of crashing the parser", async () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const err = await rejectsWith(client.query(fql([deep])), QueryCheckError);
    assert.equal(err.code, "invalid_query");
    assert.equal(err.httpStatus, 400);
    const parens = "(".repeat(5000) + "1" + ")".repeat(5000);
    const err2 = await rejectsWith(client.query(fql([parens])), QueryCheckError);
    assert.equal(err2.code, "invalid_query");
  });
});

describe("runtime errors", { timeout: 60_000 }, () => {
  it("Collection.al() names the missing function", async () => {
    const err = await rejectsWith(client.query(fql`Collection.al()`), ServiceError);
    assert.ok(
      err instanceof QueryRuntimeError || err instanceof QueryCheckError,
      `expected a runtime or check error, got ${err.constructor.name}`,
    );
    assert.ok(
      ["invalid_function_invocation", "invalid_query"].includes(err.code),
      `unexpected code ${err.code}`,
    );
    assert.equal(err.httpStatus, 400);
    assert.match(details(err), /\bal\b/);
  });

  it("abort({a: 1}) is an AbortError carrying the value", async () => {
    const err = await rejectsWith(client.query(fql`abort({a: 1})`), AbortError);
    assert.equal(err.code, "abort");
    assert.equal(err.httpStatus, 400);
    assert.deepEqual(err.abort, { a: 1 });
  });

  it("abort carries any value: strings, numbers, nested data", async () => {
    assert.equal((await rejectsWith(client.query(fql`abort("stop")`), AbortError)).abort, "stop");
    assert.equal((await rejectsWith(client.query(fql`abort(42)`), AbortError)).abort, 42);
    const nested = await rejectsWith(
      client.query(fql`abort({ list: [1, 2.5, "x", null, true], when: Time("2024-10-09T14:49:17.620Z") })`),
      AbortError,
    );
    assert.deepEqual(nested.abort.list, [1, 2.5, "x", null, true]);
    assert.equal(Date.parse(nested.abort.when.isoString), Date.parse("2024-10-09T14:49:17.620Z"));
  });

  it("1 / 0 is divide_by_zero", async () => {
    const err = await rejectsWith(client.query(fql`1 / 0`), QueryRuntimeError);
    assert.equal(err.code, "divide_by_zero");
    assert.equal(err.httpStatus, 400);
  });

  it("a wrong argument type names the function", async () => {
    const err = await rejectsWith(client.query(fql`Math.abs("x")`), ServiceError);
    assert.ok(
      ["invalid_argument", "invalid_function_invocation"].includes(err.code),
      `unexpected code ${err.code}: ${err.message}`,
    );
    assert.equal(err.httpStatus, 400);
    assert.match(details(err), /abs/);
  });

  it("a wrong argument count names the function", async () => {
    const err = await rejectsWith(client.query(fql`Math.abs(1, 2)`), ServiceError);
    assert.ok(
      ["invalid_argument", "invalid_function_invocation"].includes(err.code),
      `unexpected code ${err.code}: ${err.message}`,
    );
    assert.match(details(err), /abs/);
    const err2 = await rejectsWith(client.query(fql`Product.create()`), ServiceError);
    assert.ok(
      ["invalid_argument", "invalid_function_invocation"].includes(err2.code),
      `unexpected code ${err2.code}: ${err2.message}`,
    );
    assert.match(details(err2), /create/);
  });

  it("Product.byId(\"999\")! is document_not_found", async () => {
    const err = await rejectsWith(client.query(fql`Product.byId("999")!`), QueryRuntimeError);
    assert.equal(err.code, "document_not_found");
    assert.equal(err.httpStatus, 400);
    assert.match(err.message, /999/);
  });

  it(".first()! on an empty set is null_value", async () => {
    const err = await rejectsWith(
      client.query(fql`Product.where(.name == "nobody").first()!`),
      QueryRuntimeError,
    );
    assert.equal(err.code, "null_value");
  });

  it("field access on null is invalid_null_access", async () => {
    const err = await rejectsWith(client.query(fql`let x = null\nx.foo`), QueryRuntimeError);
    assert.equal(err.code, "invalid_null_access");
    assert.match(err.message, /foo/);
  });

  // A let binding can't see itself, but a lambda handed itself recurses without end.
  it("runaway recursion is stack_overflow, and the server serves the next query", async () => {
    const queries = [
      fql`let f = (g, x) => g(g, x + 1); f(f, 0)`,
      fql`let f = (g, x) => 1 + g(g, x + 1); f(f, 0)`, // not a tail call
      fql`let f = (g, x) => [x].map(y => g(g, y + 1)); f(f, 0)`, // through a native function
      fql`let f = (g, x) => { next: g(g, x + 1) }; f(f, 0)`, // building a value
    ];
    for (const q of queries) {
      const err = await rejectsWith(client.query(q), QueryRuntimeError);
      assert.equal(err.code, "stack_overflow", `${err.code}: ${err.message}`);
      assert.equal(err.httpStatus, 400);
      assert.match(err.queryInfo.summary, /at \*query\*:1:\d+/);
      assert.equal((await client.query(fql`1 + 1`)).data, 2, "the next query is served");
    }
    const bounded = await client.query(fql`let f = (g, x) => if (x == 0) 0 else 1 + g(g, x - 1); f(f, 100)`);
    assert.equal(bounded.data, 100, "recursion that ends is fine");
    assert.ok(eddy.running, "the server process is still running");
  });

  // JSON readers and writers recurse: a value nested past Eddy's limit (256 levels) is refused before
  // commit with a 400, never a 500 while its response is written.
  it("a result or a document nested too deep is a 400 naming the limit, and nothing is written", async () => {
    for (const q of [
      fql`Set.sequence(0, 1000).fold([], (acc, x) => [acc])`,
      fql`Set.sequence(0, 2000).fold({}, (acc, x) => { a: acc })`,
    ]) {
      const err = await rejectsWith(client.query(q), ServiceError);
      assert.equal(err.httpStatus, 400, `${err.code}: ${err.message}`);
      assert.equal(err.code, "invalid_request");
      assert.match(err.message, /more than 256 levels deep/);
    }
    const before = (await client.query(fql`Ledger.all().count()`)).data;
    const err = await rejectsWith(
      client.query(fql`Ledger.create({ n: Set.sequence(0, 300).fold(1, (acc, x) => [acc]) })`), QueryRuntimeError);
    assert.equal(err.code, "invalid_argument");
    assert.equal((await client.query(fql`Ledger.all().count()`)).data, before, "the create was not committed");
    assert.equal((await client.query(fql`Set.sequence(0, 200).fold([], (acc, x) => [acc]) != null`)).data, true);
  });

  it("runtime errors carry stats and a txn_ts", async () => {
    const err = await rejectsWith(client.query(fql`1 / 0`), QueryRuntimeError);
    assert.equal(typeof err.queryInfo.txn_ts, "number");
    assert.equal(typeof err.queryInfo.stats?.compute_ops, "number");
  });
});

describe("transactions are all-or-nothing", { timeout: 60_000 }, () => {
  const count = async () => (await client.query(fql`Ledger.all().count()`)).data;

  it("writes before an abort are discarded", async () => {
    const before = await count();
    await rejectsWith(
      client.query(fql`
        Ledger.create({ n: 1 })
        Ledger.create({ n: 2 })
        abort("undo")`),
      AbortError,
    );
    assert.equal(await count(), before);
  });

  it("writes before a runtime error are discarded, updates too", async () => {
    const doc = (await client.query(fql`Ledger.create({ n: 10 })`)).data;
    const before = await count();
    await rejectsWith(
      client.query(fql`
        Ledger.create({ n: 3 })
        Ledger.byId(${doc.id})!.update({ n: 11 })
        1 / 0`),
      QueryRuntimeError,
    );
    assert.equal(await count(), before);
    const again = await client.query(fql`Ledger.byId(${doc.id})!.n`);
    assert.equal(again.data, 10);
  });

  it("a successful transaction commits all its writes", async () => {
    const before = await count();
    await client.query(fql`[Ledger.create({ n: 4 }), Ledger.create({ n: 5 })]`);
    assert.equal(await count(), before + 2);
  });
});

// Conflicts can't be scheduled from outside, so each test sends bursts of concurrent
// read-modify-write increments of one document until the outcome it checks shows up (in practice
// the first burst; the Java engine test ContentionTest forces one deterministically).
describe("contended_transaction (409)", { timeout: 120_000 }, () => {
  const BURST = 16;
  const MAX_BURSTS = 50;
  const increment = fql`let d = Counter.byId("1")!; d.update({ n: d.n + 1 }).n`;
  let acknowledged = 0;

  before(async () => {
    await client.query(fql`Counter.create({ id: "1", n: 0 })`);
  });

  /** BURST concurrent increments; counts the acknowledged ones, returns the settled results. */
  async function burst(options) {
    const results = await Promise.allSettled(Array.from({ length: BURST }, () => client.query(increment, options)));
    acknowledged += results.filter((r) => r.status === "fulfilled").length;
    return results;
  }

  it("a conflict with no retries left is a ContendedTransactionError that wrote nothing", async () => {
    let contended = null;
    for (let b = 0; b < MAX_BURSTS && !contended; b++) {
      for (const r of await burst({ max_contention_retries: 0 })) {
        if (r.status === "fulfilled") continue;
        assert.ok(r.reason instanceof ContendedTransactionError, `${r.reason?.constructor?.name}: ${r.reason?.message}`);
        contended ??= r.reason;
      }
    }
    assert.ok(contended, `${MAX_BURSTS} bursts of ${BURST} concurrent increments never conflicted`);
    assert.equal(contended.code, "contended_transaction");
    assert.equal(contended.httpStatus, 409);
    assert.match(contended.message, /^Transaction was aborted due to detection of concurrent modifications/);
    assert.equal(contended.queryInfo?.stats?.contention_retries, 0, "X-Max-Contention-Retries: 0 allowed none");
    const n = (await client.query(fql`Counter.byId("1")!.n`)).data;
    assert.equal(n, acknowledged, "the counter holds exactly the acknowledged increments");
  });

  it("with retries allowed the server retries a conflict itself and reports it in stats", async () => {
    let retried = null;
    for (let b = 0; b < MAX_BURSTS && !retried; b++) {
      for (const r of await burst({ max_contention_retries: 7 })) {
        if (r.status === "rejected") {
          assert.ok(r.reason instanceof ContendedTransactionError, `${r.reason?.constructor?.name}: ${r.reason?.message}`);
          assert.equal(r.reason.queryInfo?.stats?.contention_retries, 7, "it failed only after all 7 retries");
        } else if (r.value.stats.contention_retries > 0) {
          retried ??= r.value;
        }
      }
    }
    assert.ok(retried, `no increment of ${MAX_BURSTS} bursts of ${BURST} needed a retry`);
    assert.ok(retried.stats.contention_retries <= 7);
    const n = (await client.query(fql`Counter.byId("1")!.n`)).data;
    assert.equal(n, acknowledged, "the counter holds exactly the acknowledged increments");
  });
});

describe("authentication and limits", { timeout: 120_000 }, () => {
  it("a wrong secret is an AuthenticationError (401)", async () => {
    const bad = eddy.client({ secret: "not-the-secret" });
    const err = await rejectsWith(bad.query(fql`1`), AuthenticationError);
    assert.equal(err.code, "unauthorized");
    assert.equal(err.httpStatus, 401);
  });

  it("an empty secret is an AuthenticationError (401)", async () => {
    const bad = eddy.client({ secret: "" });
    const err = await rejectsWith(bad.query(fql`1`), AuthenticationError);
    assert.equal(err.httpStatus, 401);
  });

  it("a key's role limits it: permission_denied (403) for a read-only key's write and a server key's Key access", async () => {
    const readonly = await client.query(fql`Key.create({ role: "server-readonly" })`);
    const roClient = eddy.client({ secret: readonly.data.secret });
    const before = (await roClient.query(fql`Ledger.all().count()`)).data;
    assert.equal(typeof before, "number", "a read-only key reads");
    const denied = await rejectsWith(roClient.query(fql`Ledger.create({ entry: 1 })`), QueryRuntimeError);
    assert.equal(denied.code, "permission_denied");
    assert.equal(denied.httpStatus, 403);
    const server = await client.query(fql`Key.create({ role: "server" })`);
    const keys = await rejectsWith(eddy.client({ secret: server.data.secret }).query(fql`Key.all()`), QueryRuntimeError);
    assert.equal(keys.code, "permission_denied");
    assert.equal((await client.query(fql`Ledger.all().count()`)).data, before, "the denied write left nothing");
    await client.query(fql`Key.byId(${readonly.data.id})!.delete()`);
    await rejectsWith(roClient.query(fql`1`), AuthenticationError);
  });

  it("query_timeout_ms: 1 on a heavy query is a QueryTimeoutError", async () => {
    const started = Date.now();
    const err = await rejectsWith(
      client.query(fql`Set.sequence(0, 100000000).where(x => x % 3 == 1).count()`, {
        query_timeout_ms: 1,
      }),
      QueryTimeoutError,
    );
    assert.equal(err.code, "time_out");
    assert.ok([440, 503].includes(err.httpStatus), `httpStatus ${err.httpStatus}`);
    // the driver gives up client-side after query_timeout_ms + 5000 ms: the server answered first
    assert.ok(Date.now() - started < 5000, "the server enforced the timeout itself");
  });

  it("the server keeps serving after all of the above", async () => {
    const res = await client.query(fql`1 + 1`);
    assert.equal(res.data, 2);
    const count = await client.query(fql`Product.all().count()`);
    assert.equal(count.data, 0);
    assert.ok(eddy.running, "the server process is still running");
  });
});
