// Test harness for the JS driver integration suite.
//
// Starts the real Eddy server (`bin/eddy serve`) on a fresh temporary data folder and hands out
// clients of the official `fauna` driver that point at it.
//
//   import { startEddy } from "./harness.mjs";
//   let eddy;
//   before(async () => { eddy = await startEddy(); });
//   after(async () => { await eddy?.close(); });
//   ... const client = eddy.client(); await client.query(fql`1 + 1`);
//
// The returned object:
//   url                 current base URL, e.g. "http://127.0.0.1:41234" (a getter: changes if the
//                       server is restarted on another port)
//   dataDir             the temp data folder (kept across restart(), removed by close())
//   client(opts)        new fauna Client over the driver's default Node HTTP/2 (h2c) transport
//   fetchClient(opts)   new fauna Client over FetchClient (HTTP/1.1 via fetch)
//   stop()              SIGTERM, resolves with {code, signal} once the process has exited
//   kill9()             SIGKILL, resolves once the process has exited
//   restart(opts)       start a new server on the same data folder (same port unless
//                       {samePort:false}); resolves once it printed its ready line
//   output()            everything the server(s) printed so far (stdout and stderr interleaved)
//   close()             close every client handed out, stop the server, delete the data folder
//
// Environment: EDDY_TEST_VERBOSE=1 echoes the server's output to stderr;
// EDDY_TEST_KEEP_DATA=1 keeps the data folder; EDDY_TEST_BIN replaces bin/eddy (same arguments); EDDY_TEST_START_TIMEOUT_MS overrides the 120 s
// wait for the ready line; EDDY_TEST_BUILD_TIMEOUT_MS the 20 min budget for the one-off build.

import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client, FetchClient } from "fauna";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The server launcher; EDDY_TEST_BIN may point at another executable with the same interface. */
export const EDDY_BIN = process.env.EDDY_TEST_BIN || path.join(REPO_ROOT, "bin", "eddy");
export const ROOT_SECRET = "secret";

const READY_RE = /^Eddy serving at (http:\/\/\S+?)\/?\s*$/;
const START_TIMEOUT_MS = Number(process.env.EDDY_TEST_START_TIMEOUT_MS ?? 120_000);
const BUILD_TIMEOUT_MS = Number(process.env.EDDY_TEST_BUILD_TIMEOUT_MS ?? 20 * 60_000);
const STOP_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_CHARS = 200_000;
const VERBOSE = process.env.EDDY_TEST_VERBOSE === "1";

let buildPromise = null;

/**
 * Runs `bin/eddy build` once per test process, so a stale build happens before the 120 s start
 * timeout begins (bin/eddy serialises concurrent builds with flock).
 */
export function ensureBuilt() {
  if (!buildPromise) {
    buildPromise = new Promise((resolve, reject) => {
      let out = "";
      const child = spawn(EDDY_BIN, ["build"], {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const collect = (chunk) => {
        out += chunk;
        if (VERBOSE) process.stderr.write(chunk);
      };
      child.stdout.setEncoding("utf8").on("data", collect);
      child.stderr.setEncoding("utf8").on("data", collect);
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`bin/eddy build took more than ${BUILD_TIMEOUT_MS} ms:\n${out}`));
      }, BUILD_TIMEOUT_MS);
      child.on("error", (err) => {
        clearTimeout(timer);
        reject(new Error(`could not run ${EDDY_BIN}: ${err.message}`));
      });
      child.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`bin/eddy build failed (code ${code}, signal ${signal}):\n${out}`));
      });
    });
  }
  return buildPromise;
}

/** One running server process. */
class ServerProcess {
  constructor(child, log) {
    this.child = child;
    this.log = log;
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exitStatus = { code, signal };
        resolve(this.exitStatus);
      });
    });
    this.exitStatus = null;
  }

  get running() {
    return this.exitStatus === null;
  }

  async signal(sig) {
    if (this.running) {
      try {
        this.child.kill(sig);
      } catch {
        // already gone
      }
    }
    const timeout = new Promise((resolve) => {
      const t = setTimeout(() => resolve("timeout"), STOP_TIMEOUT_MS);
      t.unref();
    });
    const res = await Promise.race([this.exited, timeout]);
    if (res === "timeout") {
      this.child.kill("SIGKILL");
      await this.exited;
      throw new Error(
        `server pid ${this.child.pid} did not exit within ${STOP_TIMEOUT_MS} ms of ${sig}; killed it`,
      );
    }
    return res;
  }
}

function spawnServer({ dataDir, port, rootSecretFlag, extraArgs, env, log }) {
  const args = [
    "serve",
    "--host", "127.0.0.1",
    "--port", String(port),
    "--data", dataDir,
    ...(rootSecretFlag === null ? [] : ["--root-secret", rootSecretFlag]),
    ...extraArgs,
  ];
  log.append(`\n[harness] $ bin/eddy ${args.join(" ")}\n`);
  const child = spawn(EDDY_BIN, args, {
    cwd: REPO_ROOT,
    // bin/eddy execs java, so child.pid is the JVM itself and signals reach it directly.
    // EDDY_NO_BUILD: the build already ran in ensureBuilt(); never rebuild under a running test.
    env: { ...process.env, ...env, EDDY_NO_BUILD: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const proc = new ServerProcess(child, log);

  const ready = new Promise((resolve, reject) => {
    let settled = false;
    let pending = "";
    const finish = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(value);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(
        reject,
        new Error(
          `Eddy did not print "Eddy serving at http://…" within ${START_TIMEOUT_MS} ms.\n` +
            `--- server output ---\n${log.text()}`,
        ),
      );
    }, START_TIMEOUT_MS);

    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      log.append(chunk);
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, "");
        pending = pending.slice(nl + 1);
        const m = READY_RE.exec(line.trim());
        if (m) finish(resolve, m[1]);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => log.append(chunk));
    child.once("error", (err) =>
      finish(reject, new Error(`could not start ${EDDY_BIN}: ${err.message}\n${log.text()}`)),
    );
    // "close" rather than "exit": the process's last output has been read by then
    child.once("close", (code, signal) =>
      finish(
        reject,
        new Error(
          `Eddy exited (code ${code}, signal ${signal}) before it was ready.\n` +
            `--- server output ---\n${log.text()}`,
        ),
      ),
    );
  });
  return { proc, ready };
}

class OutputLog {
  #text = "";
  append(chunk) {
    if (VERBOSE) process.stderr.write(chunk);
    this.#text += chunk;
    if (this.#text.length > MAX_OUTPUT_CHARS) {
      this.#text = "…" + this.#text.slice(this.#text.length - MAX_OUTPUT_CHARS);
    }
  }
  text() {
    return this.#text;
  }
}

/**
 * Starts an Eddy server on a fresh temp data folder.
 * @param {object} [options]
 * @param {string} [options.rootSecret="secret"] the secret clients use
 * @param {string|null} [options.rootSecretFlag] the `--root-secret` argument (default: rootSecret);
 *     null passes none, so the server takes its secret from the environment (see options.env)
 * @param {string[]} [options.args] extra arguments for `bin/eddy serve`
 * @param {object} [options.env] extra environment variables for the server
 */
export async function startEddy({ rootSecret = ROOT_SECRET, rootSecretFlag = rootSecret, args = [], env = {} } = {}) {
  await ensureBuilt();
  const dataDir = await mkdtemp(path.join(tmpdir(), "eddy-js-test-"));
  const log = new OutputLog();
  const clients = new Set();
  let proc = null;
  let url = null;

  async function launch(port) {
    const started = spawnServer({ dataDir, port, rootSecretFlag, extraArgs: args, env, log });
    proc = started.proc;
    try {
      url = await started.ready;
    } catch (err) {
      await proc.exited;
      throw err;
    }
    return url;
  }

  function track(client) {
    clients.add(client);
    return client;
  }

  const eddy = {
    get url() {
      return url;
    },
    get endpoint() {
      return new URL(url);
    },
    get pid() {
      return proc?.child.pid;
    },
    get running() {
      return proc?.running ?? false;
    },
    dataDir,
    rootSecret,

    /** A fauna Client over the default Node HTTP/2 transport (h2c with prior knowledge). */
    client(opts = {}) {
      return track(new Client({ endpoint: new URL(url), secret: rootSecret, ...opts }));
    },

    /** A fauna Client over FetchClient: plain HTTP/1.1 through the global fetch. */
    fetchClient(opts = {}) {
      const http = new FetchClient({
        url: new URL(url).toString(),
        fetch_keepalive: false,
        http2_session_idle_ms: 5000,
        http2_max_streams: 100,
      });
      return track(new Client({ endpoint: new URL(url), secret: rootSecret, ...opts }, http));
    },

    /** SIGTERM; resolves with {code, signal}. */
    async stop() {
      if (!proc) return null;
      return proc.signal("SIGTERM");
    },

    /** SIGKILL; resolves with {code, signal}. */
    async kill9() {
      if (!proc) return null;
      return proc.signal("SIGKILL");
    },

    /** Starts a new server on the same data folder (stopping the old one with SIGTERM if needed). */
    async restart({ samePort = true } = {}) {
      if (proc?.running) await proc.signal("SIGTERM");
      const port = samePort && url ? new URL(url).port : 0;
      return launch(port);
    },

    output() {
      return log.text();
    },

    /** Closes all clients, stops the server and deletes the data folder. */
    async close() {
      for (const c of clients) {
        try {
          c.close();
        } catch {
          // ClientClosedError: closed by the test already
        }
      }
      clients.clear();
      if (proc?.running) {
        try {
          await proc.signal("SIGTERM");
        } catch {
          // it was SIGKILLed after the timeout; nothing more to do
        }
      }
      if (process.env.EDDY_TEST_KEEP_DATA !== "1") {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };

  try {
    await launch(0);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return eddy;
}

/**
 * Asserts that `promise` rejects with an error of class `ErrorClass`, and returns the error so the
 * caller can check `code`, `httpStatus`, `message`, `queryInfo.summary`, ….
 */
export async function rejectsWith(promise, ErrorClass) {
  try {
    await promise;
  } catch (err) {
    if (!(err instanceof ErrorClass)) {
      const detail = err?.code ? ` (code ${err.code}, httpStatus ${err.httpStatus})` : "";
      const e = new Error(
        `expected ${ErrorClass.name}, got ${err?.constructor?.name}${detail}: ${err?.message}`,
      );
      e.cause = err;
      throw e;
    }
    return err;
  }
  throw new Error(`expected the query to fail with ${ErrorClass.name}, but it succeeded`);
}
