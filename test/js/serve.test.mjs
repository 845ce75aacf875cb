// `bin/eddy serve` as a process: the root secret from EDDY_ROOT_SECRET, and a graceful shutdown
// (SIGTERM) in the middle of concurrent writes: exit status 0, the store's clean-close log line,
// and after a restart every acknowledged write there, each transaction whole.

import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { fql, AuthenticationError, Document, NetworkError } from "fauna";
import { startEddy, rejectsWith } from "./harness.mjs";

const servers = [];

after(async () => {
  for (const s of servers) await s.close();
});

describe("the root secret from the environment", { timeout: 180_000 }, () => {
  it("without --root-secret, EDDY_ROOT_SECRET is the root secret and `secret` is refused", async () => {
    const envSecret = "from-the-environment-7f3a";
    const eddy = await startEddy({
      rootSecret: envSecret,
      rootSecretFlag: null,
      env: { EDDY_ROOT_SECRET: envSecret },
    });
    servers.push(eddy);
    const res = await eddy.client().query(fql`1 + 1`);
    assert.equal(res.data, 2);
    const admin = await eddy.client({ secret: `${envSecret}:admin` }).query(fql`Collection.all().count()`);
    assert.equal(admin.data, 0, "the :admin form of the environment's secret works too");

    const err = await rejectsWith(eddy.client({ secret: "secret" }).query(fql`1`), AuthenticationError);
    assert.equal(err.code, "unauthorized");
    assert.equal(err.httpStatus, 401);
    assert.ok(!eddy.output().includes(envSecret), "the server does not print the secret");
  });
});

describe("graceful shutdown with writes in flight", { timeout: 300_000 }, () => {
  const WRITERS = 6;
  const ACKED_BEFORE_STOP = 20; // each writer's acknowledged writes before SIGTERM is sent

  it("SIGTERM: exit 0, the store closed cleanly, every acknowledged transaction survives whole", async () => {
    const eddy = await startEddy();
    servers.push(eddy);
    const setup = eddy.client();
    await setup.query(fql`Collection.create({ name: "Entry" })`);
    await setup.query(fql`Collection.create({ name: "Tally" })`);
    // one counter per writer (writer w's has id w + 1), so the writers do not contend with each other
    await setup.query(fql`Set.sequence(0, ${WRITERS}).toArray().map(w => Tally.create({ id: (w + 1).toString(), n: 0 }))`);
    setup.close();

    // Each write is one transaction: an Entry plus its writer's Tally incremented. acked[w] counts
    // writer w's acknowledged writes; writer w writes i = 0, 1, 2, ... one after the other, so its
    // entries must be exactly 0..n-1 with n its tally, and n is acked[w] or (one unacknowledged
    // write that landed) acked[w] + 1.
    const acked = new Array(WRITERS).fill(0);
    const failures = [];
    let reachedTarget;
    const allReachedTarget = new Promise((resolve) => (reachedTarget = resolve));
    const writers = Array.from({ length: WRITERS }, (_, w) => {
      // half over the default HTTP/2 client, half over HTTP/1.1; each writer its own connection
      const client = w % 2 === 0 ? eddy.client() : eddy.fetchClient();
      return (async () => {
        for (let i = 0; ; i++) {
          try {
            const res = await client.query(fql`
              let t = Tally.byId(${String(w + 1)})!
              Entry.create({ w: ${w}, i: ${i} })
              t.update({ n: t.n + 1 }).n`);
            assert.equal(res.data, i + 1, `writer ${w}'s tally follows its acknowledged writes`);
            acked[w] = i + 1;
            if (acked.every((n) => n >= ACKED_BEFORE_STOP)) reachedTarget();
          } catch (err) {
            if (err instanceof assert.AssertionError) throw err;
            failures.push({ w, i, err });
            return;
          }
        }
      })();
    });

    await allReachedTarget;
    const exit = await eddy.stop();
    // every writer ends at its first failure; a request cut by the shutdown could in principle
    // never settle in the driver, so the wait is bounded (its write then counts as unknown)
    let timer;
    await Promise.race([Promise.all(writers), new Promise((r) => (timer = setTimeout(r, 20_000)))]);
    clearTimeout(timer);

    assert.deepEqual(exit, { code: 0, signal: null }, "a SIGTERM'd server exits 0");
    const log = eddy.output();
    const shuttingDown = log.indexOf("shutting down: no new connections");
    const closed = log.indexOf("store closed cleanly");
    assert.ok(shuttingDown >= 0, `the log says it is shutting down:\n${log}`);
    assert.ok(closed > shuttingDown, `the log says the store closed cleanly, after that:\n${log}`);
    for (const { w, i, err } of failures) {
      // the connection went away under the request: the driver's network error, nothing else
      assert.ok(err instanceof NetworkError, `writer ${w}, write ${i}: ${err?.constructor?.name} ${err?.message}`);
    }

    await eddy.restart();
    const reader = eddy.client();
    const entries = Array.from({ length: WRITERS }, () => []);
    for await (const e of reader.paginate(fql`Entry.all().pageSize(1000)`).flatten()) {
      assert.ok(e instanceof Document);
      entries[e.w].push(e.i);
    }
    for (let w = 0; w < WRITERS; w++) {
      const n = (await reader.query(fql`Tally.byId(${String(w + 1)})!.n`)).data;
      const is = entries[w].sort((a, b) => a - b);
      assert.ok(
        n === acked[w] || n === acked[w] + 1,
        `writer ${w}: tally ${n}, acknowledged ${acked[w]} (at most one unacknowledged write may have landed)`,
      );
      assert.deepEqual(is, [...Array(n).keys()], `writer ${w}: entries 0..${n - 1}, each once, as its tally says`);
    }
  });
});
