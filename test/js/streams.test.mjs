// Event Streaming and Event Feeds through the official JS driver: every scenario of the seed spec
// (Fauna's "Event Feeds and Event Streaming" guide, Product collection) via client.stream(...) and
// client.feed(...), over the driver's default Node HTTP/2 client and over FetchClient (HTTP/1.1).
//
// Tests run in order and share one server and the Product collection. Every stream test creates
// its own token (a stream starts at its token's creation), so earlier writes do not leak into it.
//
// Consumers here only push events into an array inside `for await`. fauna 2.5.0's Node HTTP/2
// stream reader keeps one pending promise per received chunk, so a consumer that awaits I/O between
// events loses the chunks that arrive meanwhile (a driver bug, the same against Fauna); FetchClient
// does not have it. See Tap below.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  fql,
  AbortError,
  AuthenticationError,
  Document,
  InvalidRequestError,
  Page,
  QueryRuntimeError,
  StreamToken,
} from "fauna";
import { startEddy, rejectsWith, ROOT_SECRET } from "./harness.mjs";

let eddy;
let client;

before(async () => {
  eddy = await startEddy();
  client = eddy.client();
  await client.query(fql`
    Collection.create({
      name: "Product",
      indexes: {
        byType: {
          terms: [{ field: ".type" }],
          values: [{ field: ".name" }, { field: ".price" }]
        }
      }
    })`);
});

after(async () => {
  await eddy?.close();
});

/**
 * Consumes a StreamClient in the background, so that tests can write and then await the events
 * their writes cause. The loop body never awaits (see the file comment).
 */
class Tap {
  constructor(stream) {
    this.stream = stream;
    this.events = [];
    this.read = 0;
    this.error = null;
    this.ended = false;
    this.waiters = [];
    this.done = (async () => {
      try {
        for await (const event of stream) {
          this.events.push(event);
          this.#wake();
        }
      } catch (err) {
        this.error = err;
      } finally {
        this.ended = true;
        this.#wake();
      }
    })();
  }

  #wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  #changed(ms) {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** The next unread event; fails after `ms` without one. */
  async next(ms = 10_000) {
    const deadline = Date.now() + ms;
    while (this.read >= this.events.length) {
      if (this.ended) throw new Error(`stream ended (${this.error}) while waiting for an event`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${ms} ms; got ${JSON.stringify(this.events)}`);
      await this.#changed(left);
    }
    return this.events[this.read++];
  }

  /** The unread events once none has arrived for `ms`. */
  async quiet(ms = 500) {
    let seen = -1;
    while (seen !== this.events.length && !this.ended) {
      seen = this.events.length;
      await new Promise((r) => setTimeout(r, ms));
    }
    const rest = this.events.slice(this.read);
    this.read = this.events.length;
    return rest;
  }

  /** Waits for the stream to end; resolves with the error it ended with, if any. */
  async ended_(ms = 10_000) {
    const deadline = Date.now() + ms;
    while (!this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stream did not end within ${ms} ms`);
      await this.#changed(left);
    }
    return this.error;
  }

  close() {
    this.stream.close();
  }
}

/** Runs `fn` with streams that are closed afterwards, whatever happens. */
async function withTaps(fn) {
  const taps = [];
  const open = (stream) => {
    const t = new Tap(stream);
    taps.push(t);
    return t;
  };
  try {
    await fn(open);
  } finally {
    for (const t of taps) t.close();
  }
}

/**
 * Opens a stream from a query with status events on and waits for the first (status) event: a
 * stream given a query runs it on the first read, so without this a write issued right away could
 * commit before the token exists and fall outside the stream.
 */
async function live(open, client_, query) {
  const tap = open(client_.stream(query, { status_events: true }));
  const status = await tap.next();
  assert.equal(status.type, "status", "the first event is status");
  assertCursor(status);
  return tap;
}

/** The token of a stream query, made now. */
async function tokenOf(client_, query) {
  return (await client_.query(query)).data;
}

const MUSIC = { name: "Music as History", type: "book", price: 16_89, stock: 20 };

function assertCursor(event) {
  assert.equal(typeof event.cursor, "string");
  assert.ok(event.cursor.length > 0);
  assert.equal(typeof event.txn_ts, "number");
}

describe("event streams (Node HTTP/2 client)", { timeout: 120_000 }, () => {
  it("Product.all().toStream() yields add, update and remove", async () => {
    await withTaps(async (open) => {
      const tap = await live(open, client, fql`Product.all().toStream()`);
      const created = await client.query(fql`Product.create({ name: "Lamp", type: "home", price: 20_00, stock: 3 })`);
      const id = created.data.id;
      const add = await tap.next();
      assert.equal(add.type, "add");
      assert.ok(add.data instanceof Document, `expected a Document, got ${add.data?.constructor?.name}`);
      assert.equal(add.data.id, id);
      assert.equal(add.data.name, "Lamp");
      assert.equal(add.data.price, 20_00);
      assert.equal(add.txn_ts, created.txn_ts, "an event's txn_ts is its write's");
      assertCursor(add);

      await client.query(fql`Product.byId(${id})!.update({ stock: 2 })`);
      const update = await tap.next();
      assert.equal(update.type, "update");
      assert.equal(update.data.stock, 2);

      await client.query(fql`Product.byId(${id})!.delete()`);
      const remove = await tap.next();
      assert.equal(remove.type, "remove");
      assert.equal(remove.data.stock, 2, "remove carries the version before the delete");
      assert.ok(add.txn_ts < update.txn_ts && update.txn_ts < remove.txn_ts);
      assert.deepEqual(await tap.quiet(), []);
    });
  });

  it("the filtered where stream follows the seed's three writes, then goes quiet", async () => {
    await withTaps(async (open) => {
      const tap = open(client.stream(await tokenOf(client, fql`Product.where( .type == 'book' && .price < 100_00).toStream()`)));
      await client.query(fql`Product.create(${MUSIC})`);
      const add = await tap.next();
      assert.equal(add.type, "add");
      assert.equal(add.data.name, "Music as History");
      assert.equal(add.data.stock, 20);

      await client.query(fql`
        let p = Product.byType('book')
         .where(.name == "Music as History" ).first()!
        p.update({ stock: p.stock + 10 })`);
      const update = await tap.next();
      assert.equal(update.type, "update");
      assert.equal(update.data.stock, 30);

      await client.query(fql`
        Product.byType('book')
         .where(.name == "Music as History" ).first()!
         .update({ price: 110_00 })`);
      const remove = await tap.next();
      assert.equal(remove.type, "remove", "leaving the set emits remove");
      assert.equal(remove.data.price, 16_89, "with the version that was in the set");

      // no longer in the set: further changes emit nothing
      await client.query(fql`
        let p = Product.byType('book').where(.name == "Music as History" ).first()!
        p.update({ stock: p.stock - 1 })`);
      assert.deepEqual(await tap.quiet(), []);
    });
  });

  it("the index stream ignores changes to fields the index does not cover", async () => {
    await withTaps(async (open) => {
      const tap = await live(open, client, fql`Product.byType('book').where( .price < 100_00).toStream()`);
      const fraud = await client.query(fql`Product.create({ type: 'book', name: 'The Fraud', stock: 55, price: 23_00 })`);
      const add = await tap.next();
      assert.equal(add.type, "add");
      assert.equal(add.data.name, "The Fraud");
      // stock is neither a term nor a value of byType: no event
      await client.query(fql`
        let p = Product.byType('book').where(.name == "The Fraud" ).first()!
        p.update({ stock: p.stock - 1 })`);
      assert.deepEqual(await tap.quiet(), []);
      await client.query(fql`Product.byId(${fraud.data.id})!.update({ price: 24_00 })`);
      const update = await tap.next();
      assert.equal(update.type, "update");
      assert.equal(update.data.price, 24_00);
      assert.equal(update.data.stock, 54, "events carry the whole document");
    });
  });

  it("changesOn(.price) emits only when the price changes", async () => {
    const tv = await client.query(fql`Product.create({ name: 'TV', type: 'electronics', price: 500_00, stock: 4 })`);
    await withTaps(async (open) => {
      const tap = open(client.stream(await tokenOf(client, fql`Product.byType('electronics').changesOn(.price)`)));
      await client.query(fql`Product.byId(${tv.data.id})!.update({ name: 'Big TV' })`);
      await client.query(fql`Product.byId(${tv.data.id})!.update({ stock: 3 })`);
      await client.query(fql`Product.byId(${tv.data.id})!.update({ price: 450_00 })`);
      const update = await tap.next();
      assert.equal(update.type, "update");
      assert.equal(update.data.price, 450_00);
      assert.equal(update.data.name, "Big TV");
      assert.deepEqual(await tap.quiet(), []);
    });
  });

  it("the seed's changesOn(.stock) on byType is refused: stock is not covered by the index", async () => {
    const seed = fql`Product.byType('book').where(.price < 100_00).changesOn(.stock)`;
    const message = "invalid argument `fields`: `stock` not covered by the `byType` index.";
    const err = await rejectsWith(client.query(seed), QueryRuntimeError);
    assert.equal(err.code, "invalid_argument");
    assert.equal(err.httpStatus, 400);
    assert.equal(err.message, message);
    // the drivers' stream and feed helpers run the query first and surface the same error
    await assert.rejects(
      (async () => {
        for await (const e of client.stream(seed)) assert.fail(`unexpected event ${e.type}`);
      })(),
      (e) => e instanceof QueryRuntimeError && e.code === "invalid_argument" && e.message === message,
    );
    await assert.rejects(
      client.feed(seed).nextPage(),
      (e) => e instanceof QueryRuntimeError && e.code === "invalid_argument" && e.message === message,
    );
    // every uncovered field is named, in order; covered ones (terms, values, id) are fine
    const two = await rejectsWith(
      client.query(fql`Product.byType('book').changesOn(.price, .stock, .color)`),
      QueryRuntimeError,
    );
    assert.equal(two.message, "invalid argument `fields`: `stock`, `color` not covered by the `byType` index.");
    const covered = await client.query(fql`Product.byType('book').changesOn(.type, .name, .price, .id)`);
    assert.ok(covered.data instanceof StreamToken);
    // on a collection (not an index) any field may be watched
    const all = await client.query(fql`Product.where(.price < 100_00).changesOn(.stock)`);
    assert.ok(all.data instanceof StreamToken);
  });

  it("Set.single(...).toStream() follows one document", async () => {
    const cart = await client.query(fql`Product.create({ name: 'Kettle', type: 'home', price: 30_00, stock: 9 })`);
    const other = await client.query(fql`Product.create({ name: 'Toaster', type: 'home', price: 25_00, stock: 9 })`);
    const id = cart.data.id;
    await withTaps(async (open) => {
      const tap = open(client.stream(await tokenOf(client, fql`Set.single(Product.byId(${id})).toStream()`)));
      await client.query(fql`Product.byId(${other.data.id})!.update({ stock: 8 })`);
      await client.query(fql`Product.byId(${id})!.update({ stock: 8 })`);
      const update = await tap.next();
      assert.equal(update.type, "update");
      assert.equal(update.data.id, id);
      assert.equal(update.data.stock, 8);
      await client.query(fql`Product.byId(${id})!.delete()`);
      const remove = await tap.next();
      assert.equal(remove.type, "remove");
      assert.equal(remove.data.id, id);
      assert.deepEqual(await tap.quiet(), []);
    });
  });

  it("a projection shapes event data: { name, price } and nothing else", async () => {
    await withTaps(async (open) => {
      const tap = await live(open, client, fql`Product.byType('book').where( .price < 100_00).toStream() { name, price }`);
      await client.query(fql`Product.create({ type: 'book', name: 'Projected', stock: 5, price: 80_00 })`);
      const add = await tap.next();
      assert.equal(add.type, "add");
      assert.deepEqual(add.data, { name: "Projected", price: 80_00 });
      assert.deepEqual(Object.keys(add.data), ["name", "price"]);
    });
  });

  it("snapshot + stream: paginate the set, then the stream yields every later change once", async () => {
    const response = await client.query(fql`
      let products = Product.where( .type == 'book' && .price < 100_00)
      {
        products: products,
        streamToken: products.toStream()
      }`);
    const { products, streamToken } = response.data;
    assert.ok(products instanceof Page, `expected a Page, got ${products?.constructor?.name}`);
    assert.ok(streamToken instanceof StreamToken, `expected a StreamToken, got ${streamToken?.constructor?.name}`);
    const snapshot = [];
    for await (const product of client.paginate(products).flatten()) snapshot.push(product.name);
    assert.deepEqual(snapshot.sort(), ["Projected", "The Fraud"]);

    // written after the snapshot but before the stream opens: must come from replay
    const early = await client.query(fql`Product.create({ type: 'book', name: 'Early', stock: 1, price: 10_00 })`);
    await withTaps(async (open) => {
      const tap = open(client.stream(streamToken));
      const first = await tap.next();
      assert.equal(first.type, "add");
      assert.equal(first.data.name, "Early");
      assert.equal(first.txn_ts, early.txn_ts);
      // live changes
      await client.query(fql`Product.create({ type: 'book', name: 'Late', stock: 1, price: 12_00 })`);
      await client.query(fql`Product.byId(${early.data.id})!.update({ price: 11_00 })`);
      await client.query(fql`Product.create({ type: 'book', name: 'Pricey', stock: 1, price: 200_00 })`);
      const late = await tap.next();
      const changed = await tap.next();
      assert.deepEqual([late.type, late.data.name], ["add", "Late"]);
      assert.deepEqual([changed.type, changed.data.name, changed.data.price], ["update", "Early", 11_00]);
      assert.deepEqual(await tap.quiet(), [], "each change exactly once, and nothing outside the set");
    });
  });

  it("status_events: true yields the status event first", async () => {
    const token = (await client.query(fql`Product.all().toStream()`)).data;
    const created = await client.query(fql`Product.create({ name: 'Status', type: 'misc', price: 1, stock: 1 })`);
    await withTaps(async (open) => {
      const tap = open(client.stream(token, { status_events: true }));
      const status = await tap.next();
      assert.equal(status.type, "status");
      assertCursor(status);
      const add = await tap.next();
      assert.equal(add.type, "add");
      assert.equal(add.txn_ts, created.txn_ts);
      assert.ok(status.txn_ts < add.txn_ts);
    });
  });

  it("resuming with a cursor yields exactly the events after it", async () => {
    const token = (await client.query(fql`Product.where(.type == 'resume').toStream()`)).data;
    await client.query(fql`Set.sequence(0, 6).forEach(i => Product.create({ name: 'R', seq: i, type: 'resume', price: i, stock: 0 }))`);
    let cursor;
    await withTaps(async (open) => {
      const tap = open(client.stream(token));
      const seqs = [];
      for (let i = 0; i < 6; i++) {
        const e = await tap.next();
        seqs.push(e.data.seq);
        if (i === 2) cursor = e.cursor;
      }
      assert.deepEqual(seqs, [0, 1, 2, 3, 4, 5]);
    });
    await withTaps(async (open) => {
      const tap = open(client.stream(token, { cursor }));
      const rest = [];
      for (let i = 0; i < 3; i++) rest.push((await tap.next()).data.seq);
      assert.deepEqual(rest, [3, 4, 5]);
      assert.deepEqual(await tap.quiet(), []);
    });
  });

  it("an error event surfaces as a thrown AbortError or QueryRuntimeError and ends the stream", async () => {
    await client.query(fql`Collection.create({ name: "Gauge" })`);
    await withTaps(async (open) => {
      const tap = await live(open, client, fql`Gauge.all().map(g => if (g.level > 10) abort('overheated') else g.level).toStream()`);
      await client.query(fql`Gauge.create({ level: 3 })`);
      const add = await tap.next();
      assert.equal(add.data, 3);
      await client.query(fql`Gauge.create({ level: 30 })`);
      const err = await tap.ended_();
      assert.ok(err instanceof AbortError, `expected AbortError, got ${err?.constructor?.name}: ${err?.message}`);
      assert.equal(err.abort, "overheated");
      assert.equal(err.httpStatus, undefined, "stream errors carry no HTTP status");
    });
    await withTaps(async (open) => {
      const tap = open(client.stream(await tokenOf(client, fql`Gauge.all().map(g => 1 / g.level).toStream()`)));
      await client.query(fql`Gauge.create({ level: 0 })`);
      const err = await tap.ended_();
      assert.ok(err instanceof QueryRuntimeError, `expected QueryRuntimeError, got ${err?.constructor?.name}`);
      assert.equal(err.code, "divide_by_zero");
    });
  });

  it("deleting the key whose secret opened a stream ends it with permission_loss", async () => {
    await client.query(fql`Collection.create({ name: "Vault" })`);
    const key = await client.query(fql`Key.create({ role: "server", data: { purpose: "stream test" } })`);
    assert.equal(typeof key.data.secret, "string");
    const keyClient = eddy.client({ secret: key.data.secret });
    await withTaps(async (open) => {
      const tap = await live(open, keyClient, fql`Vault.all().toStream()`);
      await client.query(fql`Vault.create({ item: "gold" })`);
      const add = await tap.next();
      assert.equal(add.type, "add");
      assert.equal(add.data.item, "gold");
      await client.query(fql`Key.byId(${key.data.id})!.delete()`);
      const err = await tap.ended_();
      assert.ok(err instanceof QueryRuntimeError, `expected QueryRuntimeError, got ${err?.constructor?.name}: ${err?.message}`);
      assert.equal(err.code, "permission_loss");
      assert.equal(err.message, "Stream authentication is no longer valid.");
    });
    await assert.rejects(keyClient.query(fql`1`), (err) => err instanceof AuthenticationError);
  });

  it("a bad token is refused with InvalidRequestError", async () => {
    await withTaps(async (open) => {
      const tap = open(client.stream(new StreamToken("not-a-token")));
      const err = await tap.ended_();
      assert.ok(err instanceof InvalidRequestError, `expected InvalidRequestError, got ${err?.constructor?.name}`);
      assert.equal(err.message, "Invalid request body: invalid event source provided");
    });
  });
});

describe("event feeds", { timeout: 120_000 }, () => {
  let token;
  let createdTs;

  before(async () => {
    await client.query(fql`Collection.create({ name: "Reading" })`);
    const res = await client.query(fql`Reading.all().toStream()`);
    token = res.data;
    createdTs = res.txn_ts;
    await client.query(fql`Set.sequence(0, 50).forEach(i => Reading.create({ n: i }))`);
  });

  it("for await (const page of feed) pages at the default size: 16+16+16+2", async () => {
    const feed = client.feed(token);
    const sizes = [];
    const more = [];
    const ns = [];
    for await (const page of feed) {
      const events = [...page.events];
      sizes.push(events.length);
      more.push(page.hasNext);
      assert.equal(typeof page.cursor, "string");
      assert.ok(page.cursor.length > 0);
      for (const e of events) {
        assert.equal(e.type, "add");
        assertCursor(e);
        ns.push(e.data.n);
      }
    }
    assert.deepEqual(sizes, [16, 16, 16, 2]);
    assert.deepEqual(more, [true, true, true, false]);
    assert.deepEqual(ns, [...Array(50).keys()]);
  });

  it("page_size, flatten(), start_ts and cursor options", async () => {
    const sizes = [];
    for await (const page of client.feed(token, { page_size: 20 })) sizes.push([...page.events].length);
    assert.deepEqual(sizes, [20, 20, 10]);

    const flat = [];
    for await (const e of client.feed(fql`Reading.where(.n >= 45).toStream()`).flatten()) flat.push(e.data.n);
    assert.deepEqual(flat, [], "a fresh token starts now: nothing yet");

    const all = [];
    for await (const e of client.feed(token, { start_ts: createdTs, page_size: 7 }).flatten()) all.push(e.data.n);
    assert.deepEqual(all, [...Array(50).keys()]);

    const first = await client.feed(token, { page_size: 10 }).nextPage();
    const after = [];
    for await (const e of client.feed(token, { cursor: first.cursor }).flatten()) after.push(e.data.n);
    assert.deepEqual(after, [...Array(40).keys()].map((i) => i + 10));
  });

  // The seed's Python example: a feed of a query made now, from a start_ts ten minutes ago. Feeds
  // (unlike streams) may start before their token was created; only a start before the retained
  // history is refused, as an invalid_stream_start_time error event (eddy-stream's
  // RetentionHorizonTest: this server keeps 24 hours).
  it("the seed's feed from start_ts ten minutes ago includes what was written before the query", async () => {
    await client.query(fql`Collection.create({ name: "Catalog" })`);
    const before = await client.query(fql`[
      Catalog.create({ name: "Cheap book", type: "book", price: 10_00 }),
      Catalog.create({ name: "Dear book", type: "book", price: 500_00 }),
      Catalog.create({ name: "Lamp", type: "home", price: 20_00 })
    ]`);
    const cheap = before.data[0];
    const tenMinutesAgo = (Date.now() - 10 * 60_000) * 1000; // microseconds, as the example computes it
    const query = fql`Catalog.where(.type == "book" && .price < 100_00).toStream()`;
    const events = [];
    let cursor;
    for await (const page of client.feed(query, { start_ts: tenMinutesAgo })) {
      for (const e of page.events) events.push(e);
      cursor = page.cursor;
    }
    assert.deepEqual(events.map((e) => [e.type, e.data.name]), [["add", "Cheap book"]]);
    assert.equal(events[0].data.id, cheap.id);
    assert.ok(events[0].txn_ts <= before.txn_ts, "the event is the write made before the feed's query");

    // then, as the example does, polling on from the stored cursor yields only later events
    await client.query(fql`Catalog.byId(${cheap.id})!.update({ price: 12_00 })`);
    const later = [];
    for await (const e of client.feed(query, { cursor }).flatten()) later.push([e.type, e.data.price]);
    assert.deepEqual(later, [["update", 12_00]]);

    // a stream may not start before its token: core's 400 (the JS driver never sends start_ts on
    // streams, the JVM driver does, so this one goes over plain HTTP)
    const token = (await client.query(query)).data;
    const res = await fetch(new URL("/stream/1", eddy.url), {
      method: "POST",
      headers: { authorization: `Bearer ${ROOT_SECRET}`, "content-type": "application/json" },
      body: JSON.stringify({ token: token.token, start_ts: tenMinutesAgo }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual((await res.json()).error, {
      code: "invalid_request",
      message: "Invalid stream start time: Stream start time can not be before the stream create time.",
    });
  });

  it("an empty feed ends with a cursor that later yields only new events", async () => {
    const feed = client.feed(fql`Reading.where(.n > 1000).toStream()`);
    const page = await feed.nextPage();
    assert.deepEqual([...page.events], []);
    assert.equal(page.hasNext, false);
    assert.ok(page.cursor.length > 0);
    await client.query(fql`Reading.create({ n: 1001 })`);
    await client.query(fql`Reading.create({ n: 5 })`);
    const later = [];
    for await (const e of client.feed(fql`Reading.where(.n > 1000).toStream()`, { cursor: page.cursor }).flatten()) {
      later.push(e.data.n);
    }
    assert.deepEqual(later, [1001]);
  });

  it("an error event in a page throws when iterated", async () => {
    await client.query(fql`Collection.create({ name: "Probe" })`);
    const res = await client.query(fql`Probe.all().map(p => if (p.v == 2) abort('bad probe') else p.v).toStream()`);
    await client.query(fql`Probe.create({ v: 1 })`);
    await client.query(fql`Probe.create({ v: 2 })`);
    await client.query(fql`Probe.create({ v: 3 })`);
    const page = await client.feed(res.data).nextPage();
    const seen = [];
    assert.throws(
      () => {
        for (const e of page.events) seen.push(e.data);
      },
      (err) => err instanceof AbortError && err.abort === "bad probe",
    );
    assert.deepEqual(seen, [1]);
    // polling on from the page's cursor resumes after the bad event
    const rest = [];
    for await (const e of client.feed(res.data, { cursor: page.cursor }).flatten()) rest.push(e.data);
    assert.deepEqual(rest, [3]);
  });

  it("a bad page size is refused with InvalidRequestError", async () => {
    await assert.rejects(client.feed(token, { page_size: 16001 }).nextPage(), (err) => {
      assert.ok(err instanceof InvalidRequestError, `got ${err?.constructor?.name}`);
      assert.equal(err.message, "Invalid request body: page size can not be greater than 16000.");
      return true;
    });
  });
});

describe("streams and feeds over FetchClient (HTTP/1.1)", { timeout: 120_000 }, () => {
  let fetchClient;

  before(() => {
    fetchClient = eddy.fetchClient();
  });

  it("a stream yields status, add, update, remove, then resumes from a cursor", async () => {
    await fetchClient.query(fql`Collection.create({ name: "Ticket" })`);
    const token = (await fetchClient.query(fql`Ticket.all().toStream()`)).data;
    let cursor;
    await withTaps(async (open) => {
      const tap = open(fetchClient.stream(token, { status_events: true }));
      assert.equal((await tap.next()).type, "status");
      const created = await fetchClient.query(fql`Ticket.create({ seat: 'A1' })`);
      const id = created.data.id;
      const add = await tap.next();
      assert.deepEqual([add.type, add.data.seat, add.txn_ts], ["add", "A1", created.txn_ts]);
      cursor = add.cursor;
      await fetchClient.query(fql`Ticket.byId(${id})!.update({ seat: 'B2' })`);
      assert.deepEqual([(await tap.next()).type], ["update"]);
      await fetchClient.query(fql`Ticket.byId(${id})!.delete()`);
      const remove = await tap.next();
      assert.deepEqual([remove.type, remove.data.seat], ["remove", "B2"]);
    });
    await withTaps(async (open) => {
      const tap = open(fetchClient.stream(token, { cursor }));
      assert.deepEqual([(await tap.next()).type, (await tap.next()).type], ["update", "remove"]);
      assert.deepEqual(await tap.quiet(), []);
    });
  });

  it("an abort in the stream surfaces as AbortError", async () => {
    await withTaps(async (open) => {
      const tap = await live(open, fetchClient, fql`Ticket.all().map(t => abort(t.seat)).toStream()`);
      await fetchClient.query(fql`Ticket.create({ seat: 'C3' })`);
      const err = await tap.ended_();
      assert.ok(err instanceof AbortError, `expected AbortError, got ${err?.constructor?.name}: ${err?.message}`);
      assert.equal(err.abort, "C3");
    });
  });

  it("feeds page the same way", async () => {
    const token = (await fetchClient.query(fql`Ticket.where(.seat == 'bulk').toStream()`)).data;
    await fetchClient.query(fql`Set.sequence(0, 20).forEach(i => Ticket.create({ seat: 'bulk', i: i }))`);
    const sizes = [];
    const is = [];
    for await (const page of fetchClient.feed(token)) {
      const events = [...page.events];
      sizes.push(events.length);
      for (const e of events) is.push(e.data.i);
    }
    assert.deepEqual(sizes, [16, 4]);
    assert.deepEqual(is, [...Array(20).keys()]);
  });

  // Pages of more than 1,000 events leave the server while they are read (chunked over HTTP/1.1,
  // DATA frames over HTTP/2): the driver still gets whole pages, over both of its clients.
  it("large pages, sent while the server reads them, arrive whole over both clients", async () => {
    await fetchClient.query(fql`Collection.create({ name: "Bulk" })`);
    const token = (await fetchClient.query(fql`Bulk.all().toStream()`)).data;
    for (let from = 0; from < 2500; from += 1250) {
      await fetchClient.query(fql`Set.sequence(${from}, ${from + 1250}).forEach(i => Bulk.create({ i: i, pad: "p".concat(i.toString()) }))`);
    }
    for (const c of [fetchClient, client]) {
      const sizes = [];
      const is = [];
      for await (const page of c.feed(token, { page_size: 2000 })) {
        const events = [...page.events];
        sizes.push(events.length);
        for (const e of events) is.push(e.data.i);
      }
      assert.deepEqual(sizes, [2000, 500]);
      assert.deepEqual(is, [...Array(2500).keys()]);
    }
  });
});
