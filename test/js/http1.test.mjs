// The same driver over plain HTTP/1.1: fauna's FetchClient (the transport browsers use), which
// sends Content-Type: application/json and reads the whole body as text.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  fql,
  AbortError,
  Document,
  Page,
  QueryCheckError,
  QueryRuntimeError,
  AuthenticationError,
} from "fauna";
import { startEddy, rejectsWith } from "./harness.mjs";

let eddy;
let client;

before(async () => {
  eddy = await startEddy();
  client = eddy.fetchClient();
});

after(async () => {
  await eddy?.close();
});

describe("FetchClient (HTTP/1.1)", { timeout: 120_000 }, () => {
  it("simple queries", async () => {
    assert.equal((await client.query(fql`1 + 1`)).data, 2);
    assert.equal((await client.query(fql`"a" + "b"`)).data, "ab");
    assert.deepEqual((await client.query(fql`[1,2,3].map(x => x * 2)`)).data, [2, 4, 6]);
    assert.equal((await client.query(fql`x * 2`, { arguments: { x: 21 } })).data, 42);
  });

  it("create a collection and documents, read them back", async () => {
    await client.query(fql`Collection.create({
      name: "Product",
      indexes: { byType: { terms: [{ field: ".type" }], values: [{ field: ".name" }, { field: ".price" }] } }
    })`);
    const created = await client.query(fql`Product.create({ name: "Music as History", type: "book", price: 16_89, stock: 20 })`);
    assert.ok(created.data instanceof Document);
    assert.equal(created.data.price, 1689);
    const read = await client.query(fql`Product.byId(${created.data.id})!`);
    assert.equal(read.data.id, created.data.id);
    assert.equal(read.data.name, "Music as History");
    const projected = await client.query(fql`Product.byType('book') { name, price }`);
    assert.ok(projected.data instanceof Page);
    assert.deepEqual(projected.data.data, [{ name: "Music as History", price: 1689 }]);
  });

  it("pagination over HTTP/1.1", async () => {
    await client.query(fql`Collection.create({ name: "Item" })`);
    await client.query(fql`Set.sequence(0, 40).forEach(i => Item.create({ n: i }))`);
    const sizes = [];
    const ns = [];
    for await (const page of client.paginate(fql`Item.all().order(.n)`)) {
      sizes.push(page.length);
      ns.push(...page.map((d) => d.n));
      if (sizes.length > 100) assert.fail("cursors never end");
    }
    assert.deepEqual(sizes, [16, 16, 8]);
    assert.deepEqual(ns, Array.from({ length: 40 }, (_, i) => i));
  });

  it("errors map to the same classes as over HTTP/2", async () => {
    const abort = await rejectsWith(client.query(fql`abort({a: 1})`), AbortError);
    assert.equal(abort.httpStatus, 400);
    assert.deepEqual(abort.abort, { a: 1 });
    const check = await rejectsWith(client.query(fql`1 +`), QueryCheckError);
    assert.equal(check.code, "invalid_query");
    const runtime = await rejectsWith(client.query(fql`Product.byId("999")!`), QueryRuntimeError);
    assert.equal(runtime.code, "document_not_found");
    const bad = eddy.fetchClient({ secret: "wrong" });
    const auth = await rejectsWith(bad.query(fql`1`), AuthenticationError);
    assert.equal(auth.httpStatus, 401);
  });

  it("query tags are echoed and parsed back by the driver", async () => {
    const res = await client.query(fql`1`, { query_tags: { team: "eddy", run: "ci" } });
    assert.deepEqual(res.query_tags, { team: "eddy", run: "ci" });
  });

  it("many concurrent requests over HTTP/1.1", async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => client.query(fql`${i} * 2`)),
    );
    assert.deepEqual(
      results.map((r) => r.data),
      Array.from({ length: 30 }, (_, i) => i * 2),
    );
  });

  it("HTTP/1.1 and HTTP/2 clients see the same data", async () => {
    const h2 = eddy.client();
    const viaH2 = await h2.query(fql`Item.all().count()`);
    const viaH1 = await client.query(fql`Item.all().count()`);
    assert.equal(viaH2.data, 40);
    assert.equal(viaH1.data, 40);
    const created = await h2.query(fql`Item.create({ n: 40 })`);
    const seen = await client.query(fql`Item.byId(${created.data.id})!.n`);
    assert.equal(seen.data, 40);
  });
});
