// Raw HTTP checks of the wire protocol, without the driver: status codes and error codes of
// protocol errors, the simple and tagged formats, the response envelope the strict JVM driver
// accepts (see shared/reference/fauna-wire-protocol.md §§1, 2, 4, 5).

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startEddy, ROOT_SECRET } from "./harness.mjs";

let eddy;

before(async () => {
  eddy = await startEddy();
  const res = await query("Collection.create({ name: \"Thing\" })");
  assert.equal(res.status, 200, `creating the collection failed: ${res.text}`);
});

after(async () => {
  await eddy?.close();
});

const AUTH = { authorization: `Bearer ${ROOT_SECRET}` };

/**
 * One HTTP/1.1 request with node:http, so headers (Content-Length, Accept-Encoding, no
 * Content-Type) are exactly what we say. Resolves with {status, headers, text, json}. Write errors
 * after the server has answered (it may close early on a 413) are ignored.
 */
function raw({ method = "POST", path = "/query/1", headers = {}, body } = {}) {
  const url = new URL(eddy.url);
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method,
      path,
      agent: false,
      headers: {
        ...(payload !== undefined ? { "content-length": payload.length } : {}),
        ...headers,
      },
    });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
        req.destroy(); // never leave a kept-alive socket behind
      });
      res.on("error", reject);
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    req.setTimeout(60_000, () => req.destroy(new Error("request timed out")));
    if (payload !== undefined) req.write(payload, () => {});
    req.end();
  });
}

/** POST /query/1 with the root secret; `q` is a plain FQL string or a template object. */
function query(q, { format = "tagged", headers = {}, args } = {}) {
  const body = { query: q };
  if (args !== undefined) body.arguments = args;
  return raw({
    headers: { ...AUTH, ...(format ? { "x-format": format } : {}), ...headers },
    body: JSON.stringify(body),
  });
}

// Item 1.5 of the reference: the JVM driver rejects any other field.
const RESPONSE_KEYS = ["data", "static_type", "summary", "txn_ts", "stats", "schema_version", "query_tags", "error"];
const ERROR_KEYS = ["code", "message", "constraint_failures", "abort"];
const STATS_KEYS = [
  "compute_ops", "read_ops", "write_ops", "query_time_ms", "processing_time_ms",
  "contention_retries", "storage_bytes_read", "storage_bytes_write", "rate_limits_hit",
];

function assertSubset(keys, allowed, what) {
  const extra = keys.filter((k) => !allowed.includes(k));
  assert.deepEqual(extra, [], `${what} has fields the JVM driver rejects: ${extra.join(", ")}`);
}

function assertEnvelope(body) {
  assert.ok(body && typeof body === "object", "the body is a JSON object");
  assertSubset(Object.keys(body), RESPONSE_KEYS, "response");
  if ("stats" in body) {
    assert.ok(body.stats !== null && typeof body.stats === "object", "stats is an object, never null");
    assertSubset(Object.keys(body.stats), STATS_KEYS, "stats");
    for (const [k, v] of Object.entries(body.stats)) {
      if (k === "rate_limits_hit") assert.ok(Array.isArray(v), "rate_limits_hit is an array");
      else assert.ok(Number.isInteger(v), `stats.${k} is an integer`);
    }
  }
  if ("txn_ts" in body) assert.ok(Number.isInteger(body.txn_ts), "txn_ts is an integer");
  if ("summary" in body) assert.equal(typeof body.summary, "string");
  if ("error" in body) {
    assert.ok(!("data" in body), "an error body never has a data field (JS treats data as success)");
    assertSubset(Object.keys(body.error), ERROR_KEYS, "error");
    assert.equal(typeof body.error.code, "string");
    assert.equal(typeof body.error.message, "string");
  }
}

function assertProtocolError(res, status, code) {
  assert.equal(res.status, status, `status (body: ${res.text.slice(0, 300)})`);
  assert.ok(res.json, `the body is JSON: ${res.text.slice(0, 300)}`);
  assertEnvelope(res.json);
  assert.equal(res.json.error?.code, code);
}

/** Paths of raw JSON numbers inside a tagged value. */
function rawNumbers(value, path = "data") {
  if (typeof value === "number") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => rawNumbers(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => rawNumbers(v, `${path}.${k}`));
  }
  return [];
}

describe("endpoints and protocol errors", { timeout: 120_000 }, () => {
  it("GET /ping is 200 without auth", async () => {
    const res = await raw({ method: "GET", path: "/ping" });
    assert.equal(res.status, 200);
  });

  it("POST /query/1 without auth is 401 unauthorized", async () => {
    const res = await raw({ headers: { "x-format": "tagged" }, body: JSON.stringify({ query: "1" }) });
    assertProtocolError(res, 401, "unauthorized");
  });

  it("a wrong secret is 401 unauthorized", async () => {
    const res = await raw({
      headers: { authorization: "Bearer wrong", "x-format": "tagged" },
      body: JSON.stringify({ query: "1" }),
    });
    assertProtocolError(res, 401, "unauthorized");
  });

  it("malformed JSON is 400 invalid_request", async () => {
    const res = await raw({ headers: AUTH, body: '{"query": ' });
    assertProtocolError(res, 400, "invalid_request");
  });

  it("a missing body is 400 invalid_request", async () => {
    const none = await raw({ headers: { ...AUTH, "content-length": "0" } });
    assertProtocolError(none, 400, "invalid_request");
    const noQuery = await raw({ headers: AUTH, body: "{}" });
    assertProtocolError(noQuery, 400, "invalid_request");
    const notObject = await raw({ headers: AUTH, body: "[1, 2]" });
    assertProtocolError(notObject, 400, "invalid_request");
  });

  it("a body over 16 MiB is 413 request_size_exceeded", async () => {
    const big = JSON.stringify({ query: `"${"x".repeat(17 * 1024 * 1024)}"` });
    // keep-alive: the server answers early and discards the rest of the body instead of closing the
    // connection under a client that is still sending (which could reset it before the 413 is read)
    const res = await raw({ headers: { ...AUTH, connection: "keep-alive" }, body: big });
    assertProtocolError(res, 413, "request_size_exceeded");
  });

  it("a 1 MiB query is fine", async () => {
    const res = await query(`"${"a".repeat(1 << 20)}".length`, { format: "simple" });
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.equal(res.json.data, 1 << 20);
  });

  it("an unknown path is 404", async () => {
    assert.equal((await raw({ method: "GET", path: "/nope", headers: AUTH })).status, 404);
    const post = await raw({ path: "/query/2", headers: AUTH, body: JSON.stringify({ query: "1" }) });
    assert.equal(post.status, 404);
  });

  it("a bad X-Format is 400 invalid_request", async () => {
    const res = await query("1", { format: "xml" });
    assertProtocolError(res, 400, "invalid_request");
  });

  it("a doubled slash in the path still reaches /query/1", async () => {
    const res = await raw({
      path: "//query/1",
      headers: { ...AUTH, "x-format": "simple" },
      body: JSON.stringify({ query: "1 + 1" }),
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data, 2);
  });

  it("X-Last-Txn-Ts: -1 is accepted (the JVM driver sends it)", async () => {
    const res = await query("1", { headers: { "x-last-txn-ts": "-1" } });
    assert.equal(res.status, 200, res.text);
  });

  it("responses are never compressed, even when gzip is accepted", async () => {
    const res = await query("\"" + "z".repeat(10_000) + "\"", { headers: { "accept-encoding": "gzip, deflate" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-encoding"], undefined);
    assert.equal(res.json.data, "z".repeat(10_000));
  });

  it("deeply nested JSON in arguments is rejected cleanly, and the server survives", async () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const res = await raw({
      headers: { ...AUTH, "x-format": "simple" },
      body: `{"query": "x", "arguments": {"x": ${deep}}}`,
    });
    assert.equal(res.status, 400, res.text.slice(0, 300));
    assert.equal(res.json?.error?.code, "invalid_request");
    const ok = await query("1 + 1", { format: "simple" });
    assert.equal(ok.json.data, 2);
  });
});

describe("formats", { timeout: 120_000 }, () => {
  it("X-Format: simple returns plain JSON numbers", async () => {
    const res = await query("{ a: 1 + 2, b: 2.5, c: [1, 2], d: 2147483648 }", { format: "simple" });
    assert.equal(res.status, 200, res.text);
    assertEnvelope(res.json);
    assert.deepEqual(res.json.data, { a: 3, b: 2.5, c: [1, 2], d: 2147483648 });
  });

  it("without X-Format the response is simple (core's default)", async () => {
    const res = await query("1 + 2", { format: null });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data, 3);
  });

  it("simple-format arguments are plain JSON", async () => {
    const res = await query("x + 1", { format: "simple", args: { x: 41 } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data, 42);
  });

  it("tagged responses use @int, @long and @double", async () => {
    const res = await query("[1, 2147483648, 1.5, -7]");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data, [
      { "@int": "1" },
      { "@long": "2147483648" },
      { "@double": "1.5" },
      { "@int": "-7" },
    ]);
  });

  it("a tagged response never holds a raw number inside data", async () => {
    const res = await query(`
      let created = Thing.create({ i: 1, l: 9007199254740991, d: 1.5, arr: [1, 2, [3]], obj: { x: { y: 2 } } })
      {
        doc: created,
        ints: [0, -1, 2147483647],
        doubles: [0.5, 123456789.125, -0.25],
        set: Thing.all(),
        page: Thing.all().paginate(1),
        count: Thing.all().count(),
        time: Time.now(),
        abs: Math.abs(-3),
        proj: created { i, l, d }
      }`);
    assert.equal(res.status, 200, res.text);
    assertEnvelope(res.json);
    assert.deepEqual(rawNumbers(res.json.data), []);
    const doc = res.json.data.doc["@doc"];
    assert.ok(doc, "documents are tagged @doc");
    assert.equal(typeof doc.id, "string", "document ids are plain strings");
    assert.deepEqual(doc.coll, { "@mod": "Thing" });
    assert.ok(doc.ts["@time"], "ts is tagged @time");
    assert.deepEqual(doc.i, { "@int": "1" });
    assert.deepEqual(doc.l, { "@long": "9007199254740991" });
    assert.deepEqual(res.json.data.count, { "@int": "1" });
    assert.ok(res.json.data.set["@set"], "a Set is tagged @set");
    assert.ok(!("@set" in res.json.data.page), "paginate() is a plain object");
    assert.match(res.json.data.time["@time"], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it("an error body also has no raw numbers in abort and keeps the envelope", async () => {
    const res = await query("abort({ n: 1, xs: [2, 3.5] })");
    assert.equal(res.status, 400);
    assertEnvelope(res.json);
    assert.equal(res.json.error.code, "abort");
    assert.deepEqual(rawNumbers(res.json.error.abort, "abort"), []);
    assert.deepEqual(res.json.error.abort, { n: { "@int": "1" }, xs: [{ "@int": "2" }, { "@double": "3.5" }] });
  });

  it("X-Query-Tags is echoed as a string", async () => {
    const res = await query("1", { headers: { "x-query-tags": "a=b" } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.query_tags, "a=b");
    const none = await query("1");
    assert.ok(!("query_tags" in none.json), "no query_tags without the header");
  });
});

describe("template values", { timeout: 60_000 }, () => {
  it("a template with tagged values is evaluated", async () => {
    const res = await query({ fql: ["1 + ", { value: { "@int": "41" } }] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data, { "@int": "42" });
  });

  it("an unknown tag in a value node is 400 invalid_request", async () => {
    const res = await query({ fql: ["1 + ", { value: { "@bogus": "1" } }] });
    assertProtocolError(res, 400, "invalid_request");
  });

  it("a raw number in a value node is 400 invalid_request (numbers must be tagged)", async () => {
    const res = await query({ fql: ["1 + ", { value: 1 }] });
    assertProtocolError(res, 400, "invalid_request");
  });

  it("a tagged value with two keys is 400 invalid_request", async () => {
    const res = await query({ fql: ["1 + ", { value: { "@int": "1", "@long": "2" } }] });
    assertProtocolError(res, 400, "invalid_request");
  });

  it("a node that is not fql/value/array/object is 400 invalid_request", async () => {
    const res = await query({ fql: ["1 + ", { nonsense: 1 }] });
    assertProtocolError(res, 400, "invalid_request");
  });
});
