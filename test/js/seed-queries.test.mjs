// Every query of the seed spec (the Product collection of Fauna's "Event Feeds and Event
// Streaming" guide) run as a plain query through the official driver, plus the FQL basics the
// drivers rely on. Streams and feeds are covered elsewhere.
//
// Tests in this file run in order and share one server: later tests rely on earlier writes.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  fql,
  Document,
  DocumentReference,
  Module,
  NamedDocument,
  NullDocument,
  Page,
  TimeStub,
  QueryCheckError,
  QueryRuntimeError,
} from "fauna";
import { startEddy, rejectsWith } from "./harness.mjs";

let eddy;
let client;

before(async () => {
  eddy = await startEddy();
  client = eddy.client();
});

after(async () => {
  await eddy?.close();
});

/** Names and prices of a page of documents (or projected objects), in order. */
const namePrice = (items) => items.map((d) => ({ name: d.name, price: d.price }));

/** Asserts that `t` is a TimeStub within `slackMs` of the local clock. */
function assertRecentTime(t, slackMs = 10 * 60_000) {
  assert.ok(t instanceof TimeStub, `expected a TimeStub, got ${t?.constructor?.name}`);
  assert.match(t.isoString, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  const ms = Date.parse(t.isoString);
  assert.ok(Math.abs(ms - Date.now()) < slackMs, `time ${t.isoString} is not close to now`);
}

const MUSIC = { name: "Music as History", type: "book", price: 16_89, stock: 20 };

describe("seed spec: Product collection", { timeout: 120_000 }, () => {
  let musicId;

  it("Collection.create with the byType index returns the collection definition", async () => {
    const res = await client.query(fql`
      Collection.create({
        name: "Product",
        indexes: {
          byType: {
            terms: [{ field: ".type" }],
            values: [{ field: ".name" }, { field: ".price" }]
          }
        }
      })`);
    const def = res.data;
    assert.ok(def instanceof NamedDocument, `expected NamedDocument, got ${def?.constructor?.name}`);
    assert.equal(def.name, "Product");
    assert.ok(def.coll instanceof Module);
    assert.equal(def.coll.name, "Collection");
    assertRecentTime(def.ts);
    assert.deepEqual(
      def.indexes.byType.terms.map((t) => t.field),
      [".type"],
    );
    assert.deepEqual(
      def.indexes.byType.values.map((v) => v.field),
      [".name", ".price"],
    );
    assert.equal(typeof res.txn_ts, "number");
    assert.ok(res.txn_ts > 1_600_000_000_000_000, "txn_ts is in microseconds");
  });

  it("Product.create returns the new Document", async () => {
    const res = await client.query(fql`
      Product.create({
        name: "Music as History",
        type: "book",
        price: 16_89,
        stock: 20
      })`);
    const doc = res.data;
    assert.ok(doc instanceof Document, `expected Document, got ${doc?.constructor?.name}`);
    assert.equal(typeof doc.id, "string");
    assert.match(doc.id, /^\d+$/);
    assert.ok(doc.coll instanceof Module);
    assert.equal(doc.coll.name, "Product");
    assertRecentTime(doc.ts);
    assert.equal(doc.name, MUSIC.name);
    assert.equal(doc.type, "book");
    assert.equal(doc.price, 1689);
    assert.equal(typeof doc.price, "number");
    assert.equal(doc.stock, 20);
    musicId = doc.id;
  });

  it("more products for the set queries", async () => {
    const res = await client.query(fql`[
      Product.create({ name: "Clean Code", type: "book", price: 30_00, stock: 5 }),
      Product.create({ name: "Clean Code", type: "book", price: 25_00, stock: 2 }),
      Product.create({ name: "Expensive Tome", type: "book", price: 200_00, stock: 1 }),
      Product.create({ name: "Laptop", type: "electronics", price: 999_00, stock: 3 })
    ]`);
    assert.equal(res.data.length, 4);
    const ids = res.data.map((d) => d.id);
    assert.equal(new Set([musicId, ...ids]).size, 5, "ids are unique");
    for (const d of res.data) assert.ok(d instanceof Document);
  });

  it("Product.where( .type == 'book' && .price < 100_00) returns a Page of matching docs", async () => {
    const res = await client.query(fql`Product.where( .type == 'book' && .price < 100_00)`);
    assert.ok(res.data instanceof Page, `expected Page, got ${res.data?.constructor?.name}`);
    assert.equal(res.data.after, undefined, "a small set fits in one page");
    const got = namePrice(res.data.data).sort((a, b) => a.price - b.price);
    assert.deepEqual(got, [
      { name: "Music as History", price: 1689 },
      { name: "Clean Code", price: 2500 },
      { name: "Clean Code", price: 3000 },
    ]);
    for (const d of res.data.data) assert.ok(d instanceof Document);
  });

  it("Product.byType('book') is ordered by the index values (name, then price)", async () => {
    const res = await client.query(fql`Product.byType('book')`);
    assert.ok(res.data instanceof Page);
    assert.deepEqual(namePrice(res.data.data), [
      { name: "Clean Code", price: 2500 },
      { name: "Clean Code", price: 3000 },
      { name: "Expensive Tome", price: 20000 },
      { name: "Music as History", price: 1689 },
    ]);
    // full documents come back, not just the index values
    assert.ok(res.data.data.every((d) => d instanceof Document && d.type === "book"));
    assert.equal(res.data.data[3].stock, 20);
  });

  it("Product.byType('electronics') uses the term", async () => {
    const res = await client.query(fql`Product.byType('electronics')`);
    assert.deepEqual(namePrice(res.data.data), [{ name: "Laptop", price: 99900 }]);
    const none = await client.query(fql`Product.byType('food')`);
    assert.ok(none.data instanceof Page);
    assert.deepEqual(none.data.data, []);
  });

  it("Product.byType('book').where(.name == \"Music as History\" ).first()!", async () => {
    const res = await client.query(fql`
      Product.byType('book')
       .where(.name == "Music as History" ).first()!`);
    assert.ok(res.data instanceof Document);
    assert.equal(res.data.id, musicId);
    assert.equal(res.data.stock, 20);
  });

  it("let p = …first()!; p.update({ stock: p.stock + 10 })", async () => {
    const res = await client.query(fql`
      let p = Product.byType('book')
       .where(.name == "Music as History" ).first()!
      p.update({ stock: p.stock + 10 })`);
    const doc = res.data;
    assert.ok(doc instanceof Document);
    assert.equal(doc.id, musicId);
    assert.equal(doc.stock, 30);
    assert.equal(doc.price, 1689, "update keeps the other fields");
    assert.equal(doc.name, MUSIC.name);
    assert.equal(doc.type, "book");
  });

  it("…first()!.update({ price: 110_00 }) moves the book out of the cheap set", async () => {
    const res = await client.query(fql`
      Product.byType('book')
       .where(.name == "Music as History" ).first()!
       .update({ price: 110_00 })`);
    assert.equal(res.data.id, musicId);
    assert.equal(res.data.price, 11000);
    assert.equal(res.data.stock, 30);

    const cheap = await client.query(fql`Product.where( .type == 'book' && .price < 100_00)`);
    assert.deepEqual(
      cheap.data.data.map((d) => d.name).sort(),
      ["Clean Code", "Clean Code"],
    );
    const read = await client.query(fql`Product.byId(${musicId})!`);
    assert.equal(read.data.price, 11000);
    assert.equal(read.data.stock, 30);
  });

  it("Set.single(Product.byId(id)) is a one-element set", async () => {
    const res = await client.query(fql`Set.single(Product.byId(${musicId}))`);
    assert.ok(res.data instanceof Page, `expected Page, got ${res.data?.constructor?.name}`);
    assert.equal(res.data.data.length, 1);
    assert.ok(res.data.data[0] instanceof Document);
    assert.equal(res.data.data[0].id, musicId);
    assert.equal(res.data.data[0].name, MUSIC.name);
  });

  it("Product.byId(id) { name, price } projects to a plain object", async () => {
    const res = await client.query(fql`Product.byId(${musicId}) { name, price }`);
    assert.ok(!(res.data instanceof Document));
    assert.deepEqual(res.data, { name: "Music as History", price: 11000 });
  });

  it("Product.byType('book').where( .price < 100_00) { name, price } projects each element", async () => {
    const res = await client.query(fql`Product.byType('book').where( .price < 100_00) { name, price }`);
    assert.ok(res.data instanceof Page);
    assert.deepEqual(res.data.data, [
      { name: "Clean Code", price: 2500 },
      { name: "Clean Code", price: 3000 },
    ]);
  });

  it("Product.all().count()", async () => {
    const res = await client.query(fql`Product.all().count()`);
    assert.equal(res.data, 5);
  });

  it("snapshot query: let products = …; { products: products } returns a paginable Set", async () => {
    const res = await client.query(fql`
      let products = Product.where( .type == 'book' && .price < 100_00)
      { products: products }`);
    assert.deepEqual(Object.keys(res.data), ["products"]);
    const { products } = res.data;
    assert.ok(products instanceof Page, `expected Page, got ${products?.constructor?.name}`);
    const names = [];
    for await (const product of client.paginate(products).flatten()) {
      assert.ok(product instanceof Document);
      names.push(product.name);
    }
    assert.deepEqual(names.sort(), ["Clean Code", "Clean Code"]);
  });

  it("Product.byId(\"999\") is a NullDocument", async () => {
    const res = await client.query(fql`Product.byId("999")`);
    const nd = res.data;
    assert.ok(nd instanceof NullDocument, `expected NullDocument, got ${nd?.constructor?.name}`);
    assert.ok(nd.ref instanceof DocumentReference);
    assert.equal(nd.ref.id, "999");
    assert.equal(nd.ref.coll.name, "Product");
    assert.equal(nd.cause, "not found");
  });

  it("Product.byId(\"999\")! fails with document_not_found", async () => {
    const err = await rejectsWith(client.query(fql`Product.byId("999")!`), QueryRuntimeError);
    assert.equal(err.code, "document_not_found");
    assert.equal(err.httpStatus, 400);
    assert.match(err.message, /999/);
    assert.match(err.message, /Product/);
  });

  it("Product.all().order(desc(.price)).take(2)", async () => {
    const res = await client.query(fql`Product.all().order(desc(.price)).take(2)`);
    assert.ok(res.data instanceof Page);
    assert.deepEqual(namePrice(res.data.data), [
      { name: "Laptop", price: 99900 },
      { name: "Expensive Tome", price: 20000 },
    ]);
    const asc = await client.query(fql`Product.all().order(.price).map(.price)`);
    assert.deepEqual(asc.data.data, [2500, 3000, 11000, 20000, 99900]);
  });
});

describe("interpolation and arguments", { timeout: 120_000 }, () => {
  it("fql`Product.create({name: ${name}, price: ${price}})` sends values, not source", async () => {
    const name = 'Robert"); Product.all().forEach(.delete()); ("';
    const price = 12_34;
    const res = await client.query(fql`Product.create({name: ${name}, price: ${price}})`);
    assert.ok(res.data instanceof Document);
    assert.equal(res.data.name, name);
    assert.equal(res.data.price, 1234);
    const count = await client.query(fql`Product.all().count()`);
    assert.equal(count.data, 6, "the string was data, not code");
  });

  it("nested fql fragments compose", async () => {
    const byName = (n) => fql`Product.where(.name == ${n})`;
    const cheapest = (set) => fql`${set}.order(.price).first()!`;
    const res = await client.query(fql`${cheapest(byName("Clean Code"))} { name, price }`);
    assert.deepEqual(res.data, { name: "Clean Code", price: 2500 });

    const inner = fql`${2} * ${3}`;
    const nested = await client.query(fql`${1} + ${inner} + ${fql`(${4} - ${fql`${1}`})`}`);
    assert.equal(nested.data, 10);
  });

  it("JS arrays and objects holding fragments become array/object nodes", async () => {
    const res = await client.query(fql`${[1, fql`1 + 1`, 3]}`);
    assert.deepEqual(res.data, [1, 2, 3]);
    const obj = await client.query(fql`${{ a: fql`"x" + "y"`, b: [fql`2 * 21`] }}`);
    assert.deepEqual(obj.data, { a: "xy", b: [42] });
  });

  it("interpolated values round-trip with their types", async () => {
    const value = {
      int: 7,
      negative: -2147483648,
      long: 2 ** 40,
      double: 1.5,
      string: "héllo \u{1F600} \"quoted\" \\ back",
      yes: true,
      nothing: null,
      array: [1, "two", [3]],
      nested: { deeper: { x: 1 } },
      "@weird": "key starting with @",
    };
    const res = await client.query(fql`${value}`);
    assert.deepEqual(res.data, value);
    const when = new Date("2024-10-09T14:49:17.620Z");
    const t = await client.query(fql`${when}`);
    assert.ok(t.data instanceof TimeStub);
    assert.equal(Date.parse(t.data.isoString), when.getTime());
  });

  it("an interpolated Document is sent as a reference and resolved", async () => {
    const doc = (await client.query(fql`Product.byType('electronics').first()!`)).data;
    const res = await client.query(fql`${doc}.name`);
    assert.equal(res.data, "Laptop");
    const same = await client.query(fql`${doc} == Product.byId(${doc.id})`);
    assert.equal(same.data, true);
  });

  it("the arguments option binds top-level variables", async () => {
    const res = await client.query(fql`x + 1`, { arguments: { x: 41 } });
    assert.equal(res.data, 42);
    const two = await client.query(fql`"#{greeting}, #{who}!"`, {
      arguments: { greeting: "Hello", who: "Eddy" },
    });
    assert.equal(two.data, "Hello, Eddy!");
  });
});

describe("schema documents", { timeout: 120_000 }, () => {
  it("Collection.byName(\"Product\") and Product.definition are the named document", async () => {
    const byName = await client.query(fql`Collection.byName("Product")`);
    assert.ok(byName.data instanceof NamedDocument);
    assert.equal(byName.data.name, "Product");
    assert.equal(byName.data.coll.name, "Collection");

    const def = await client.query(fql`Product.definition`);
    assert.ok(def.data instanceof NamedDocument);
    assert.equal(def.data.name, "Product");
    assert.equal(def.data.coll.name, "Collection");
    assert.ok(def.data.indexes.byType, "the definition lists the byType index");

    const missing = await client.query(fql`Collection.byName("NoSuchCollection")`);
    assert.ok(missing.data instanceof NullDocument);
  });

  it("adding an index to a non-empty collection indexes the existing documents", async () => {
    const res = await client.query(fql`
      Product.definition.update({
        indexes: {
          byName: {
            terms: [{ field: ".name" }],
            values: [{ field: ".price", order: "desc" }]
          }
        }
      })`);
    assert.ok(res.data instanceof NamedDocument);
    assert.ok(res.data.indexes.byName, "the new index is in the definition");
    assert.ok(res.data.indexes.byType, "update merges: the old index is still there");

    const viaNew = await client.query(fql`Product.byName("Clean Code") { name, price }`);
    assert.deepEqual(viaNew.data.data, [
      { name: "Clean Code", price: 3000 },
      { name: "Clean Code", price: 2500 },
    ]);
    // books: Music as History, Clean Code x2, Expensive Tome (the interpolated product has no type)
    const viaOld = await client.query(fql`Product.byType('book').count()`);
    assert.equal(viaOld.data, 4);

    // writes after the index was added are indexed too
    await client.query(fql`Product.create({ name: "Clean Code", type: "book", price: 10_00 })`);
    const again = await client.query(fql`Product.byName("Clean Code").map(.price)`);
    assert.deepEqual(again.data.data, [3000, 2500, 1000]);
  });
});

describe("FQL basics", { timeout: 60_000 }, () => {
  it("Time.now() returns a TimeStub", async () => {
    const res = await client.query(fql`Time.now()`);
    assertRecentTime(res.data);
  });

  it("newId() returns a fresh ID rendered as a string of digits", async () => {
    const res = await client.query(fql`[newId(), newId()]`);
    const [a, b] = res.data;
    assert.equal(typeof a, "string");
    assert.match(a, /^\d+$/);
    assert.match(b, /^\d+$/);
    assert.notEqual(a, b);
  });

  it("Math.abs", async () => {
    assert.equal((await client.query(fql`Math.abs(-5)`)).data, 5);
    assert.equal((await client.query(fql`Math.abs(-2.5)`)).data, 2.5);
  });

  it("strings: concatenation and #{} interpolation", async () => {
    assert.equal((await client.query(fql`"a" + "b"`)).data, "ab");
    assert.equal((await client.query(fql`"#{1+1}"`)).data, "2");
  });

  it("arrays: map with a short lambda", async () => {
    const res = await client.query(fql`[1,2,3].map(x => x * 2)`);
    assert.deepEqual(res.data, [2, 4, 6]);
  });

  it("numbers keep their kind: int, long, double", async () => {
    const res = await client.query(fql`[2147483647, 2147483648, 9007199254740991, 0.1 + 0.2, 6 / 2, 7.0 / 2]`);
    assert.deepEqual(res.data, [2147483647, 2147483648, 9007199254740991, 0.1 + 0.2, 3, 3.5]);
  });
});

describe("deleting the collection", { timeout: 60_000 }, () => {
  it("Collection.byName(\"Product\")!.delete() removes it", async () => {
    const res = await client.query(fql`Collection.byName("Product")!.delete()`);
    assert.ok(res.data instanceof NullDocument, `expected NullDocument, got ${res.data?.constructor?.name}`);
    assert.equal(res.data.ref.name, "Product");

    const gone = await client.query(fql`Collection.byName("Product")`);
    assert.ok(gone.data instanceof NullDocument);

    const err = await rejectsWith(client.query(fql`Product.all().count()`), QueryCheckError);
    assert.equal(err.code, "invalid_query");
    assert.match(`${err.message}\n${err.queryInfo?.summary ?? ""}`, /Product/);
  });
});
