// Set pagination as the driver does it: a Set result is one Page (16 by default) with an `after`
// cursor, and every further page is a new query `Set.paginate(<after>)`.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { fql, Document, Page, QueryRuntimeError } from "fauna";
import { startEddy, rejectsWith } from "./harness.mjs";

const N = 150;
const MAX_PAGES = 1000; // a server that hands out cursors forever must not hang the suite

let eddy;
let client;

before(async () => {
  eddy = await startEddy();
  client = eddy.client();
  await client.query(fql`Collection.create({ name: "Item" })`);
  // 150 documents in three transactions
  for (let start = 0; start < N; start += 50) {
    await client.query(fql`Set.sequence(${start}, ${start + 50}).forEach(i => Item.create({ n: i }))`);
  }
});

after(async () => {
  await eddy?.close();
});

/** Collects every page a SetIterator yields: returns the pages as arrays. */
async function collectPages(iterator) {
  const pages = [];
  for await (const page of iterator) {
    pages.push(page);
    if (pages.length > MAX_PAGES) assert.fail(`more than ${MAX_PAGES} pages: cursors never end`);
  }
  return pages;
}

/** Asserts the docs are exactly n = 0 … N-1, each once, and their ids are unique. */
function assertAllItemsOnce(docs) {
  assert.equal(docs.length, N);
  for (const d of docs) assert.ok(d instanceof Document, `expected Document, got ${d?.constructor?.name}`);
  assert.equal(new Set(docs.map((d) => d.id)).size, N, "no document appears twice");
  assert.deepEqual(
    docs.map((d) => d.n).sort((a, b) => a - b),
    Array.from({ length: N }, (_, i) => i),
  );
}

describe("pagination", { timeout: 120_000 }, () => {
  it("the documents were written", async () => {
    const res = await client.query(fql`Item.all().count()`);
    assert.equal(res.data, N);
  });

  it("a Set result is one page of 16 with an after cursor", async () => {
    const res = await client.query(fql`Item.all()`);
    assert.ok(res.data instanceof Page, `expected Page, got ${res.data?.constructor?.name}`);
    assert.equal(res.data.data.length, 16);
    assert.equal(typeof res.data.after, "string");
    assert.ok(res.data.after.length > 0);

    const next = await client.query(fql`Set.paginate(${res.data.after})`);
    assert.equal(next.data.data.length, 16);
    const firstIds = new Set(res.data.data.map((d) => d.id));
    for (const d of next.data.data) {
      assert.ok(d instanceof Document);
      assert.ok(!firstIds.has(d.id), `page 2 repeats document ${d.id}`);
    }
    assert.equal(typeof next.data.after, "string");
  });

  it("client.paginate(fql`Item.all()`) walks all pages of 16", async () => {
    const pages = await collectPages(client.paginate(fql`Item.all()`));
    assert.deepEqual(
      pages.map((p) => p.length),
      [16, 16, 16, 16, 16, 16, 16, 16, 16, 6],
    );
    assertAllItemsOnce(pages.flat());
  });

  it("flatten() yields every document once", async () => {
    const docs = [];
    for await (const d of client.paginate(fql`Item.all()`).flatten()) docs.push(d);
    assertAllItemsOnce(docs);
  });

  it(".pageSize(50) gives 3 pages and the cursor keeps the page size", async () => {
    const pages = await collectPages(client.paginate(fql`Item.all().pageSize(50)`));
    assert.deepEqual(pages.map((p) => p.length), [50, 50, 50]);
    assertAllItemsOnce(pages.flat());
  });

  it("ordered, filtered sets paginate in order", async () => {
    const pages = await collectPages(client.paginate(fql`Item.where(.n >= 100).order(.n)`));
    assert.deepEqual(pages.map((p) => p.length), [16, 16, 16, 2]);
    assert.deepEqual(
      pages.flat().map((d) => d.n),
      Array.from({ length: 50 }, (_, i) => 100 + i),
    );
    const desc = await collectPages(client.paginate(fql`Item.all().order(desc(.n)).map(.n).pageSize(60)`));
    assert.deepEqual(desc.map((p) => p.length), [60, 60, 30]);
    assert.deepEqual(desc.flat(), Array.from({ length: N }, (_, i) => N - 1 - i));
  });

  it("set.paginate(40) returns a plain {data, after} object and Set.paginate(after) continues", async () => {
    const first = await client.query(fql`Item.all().paginate(40)`);
    assert.ok(!(first.data instanceof Page), "paginate() returns a plain object, not a Set");
    assert.deepEqual(Object.keys(first.data).sort(), ["after", "data"]);
    assert.ok(Array.isArray(first.data.data));
    assert.equal(first.data.data.length, 40);

    const sizes = [first.data.data.length];
    const docs = [...first.data.data];
    let after = first.data.after;
    while (after) {
      const res = await client.query(fql`Set.paginate(${after})`);
      assert.ok(!(res.data instanceof Page), "Set.paginate() returns a plain object");
      sizes.push(res.data.data.length);
      docs.push(...res.data.data);
      after = res.data.after;
      if (sizes.length > MAX_PAGES) assert.fail("cursors never end");
    }
    assert.deepEqual(sizes, [40, 40, 40, 30]);
    assertAllItemsOnce(docs);
  });

  it("a page object from paginate() can be handed to client.paginate()", async () => {
    const first = await client.query(fql`Item.all().paginate(100)`);
    const pages = await collectPages(client.paginate(new Page(first.data)));
    assert.deepEqual(pages.map((p) => p.length), [100, 50]);
    assertAllItemsOnce(pages.flat());
  });

  it("a Set nested in an object is materialised and paginable", async () => {
    const res = await client.query(fql`{ total: Item.all().count(), items: Item.all().pageSize(70) }`);
    assert.equal(res.data.total, N);
    assert.ok(res.data.items instanceof Page);
    assert.equal(res.data.items.data.length, 70);
    const pages = await collectPages(client.paginate(res.data.items));
    assert.deepEqual(pages.map((p) => p.length), [70, 70, 10]);
    assertAllItemsOnce(pages.flat());
  });

  it("an empty set is one empty page without a cursor", async () => {
    const res = await client.query(fql`Item.where(.n < 0)`);
    assert.ok(res.data instanceof Page);
    assert.deepEqual(res.data.data, []);
    assert.equal(res.data.after, undefined);
    const pages = await collectPages(client.paginate(fql`Item.where(.n < 0)`));
    assert.deepEqual(pages, [[]]);
  });

  it("writes between pages do not duplicate documents already returned", async () => {
    const first = await client.query(fql`Item.all().order(.n).pageSize(20)`);
    const seen = first.data.data.map((d) => d.n);
    // modify a document that was already returned and one that was not
    await client.query(fql`Item.where(.n == 0).first()!.update({ touched: true })`);
    await client.query(fql`Item.where(.n == 149).first()!.update({ touched: true })`);
    let after = first.data.after;
    while (after) {
      const res = await client.query(fql`Set.paginate(${after})`);
      seen.push(...res.data.data.map((d) => d.n));
      after = res.data.after;
      if (seen.length > 10 * N) assert.fail("cursors never end");
    }
    assert.deepEqual(seen, Array.from({ length: N }, (_, i) => i));
  });

  it("a bad cursor is invalid_cursor", async () => {
    const err = await rejectsWith(client.query(fql`Set.paginate("garbage")`), QueryRuntimeError);
    assert.equal(err.code, "invalid_cursor");
    assert.equal(err.httpStatus, 400);
  });
});
