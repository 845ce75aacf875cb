// bin/eddy's JDK selection, with fake JDK folders: JAVA_HOME if it is 21 or newer, else the newest
// JDK >= 21 under EDDY_JVM_DIR, else a clear refusal. A fake JDK is a folder with bin/java, which
// prints a `java -version` banner (all bin/eddy reads), and bin/javac (bin/eddy wants a JDK, not a
// JRE). `bin/eddy java-home` only prints the choice: nothing is built or run.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { EDDY_BIN, REPO_ROOT } from "./harness.mjs";

let root;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), "eddy-fake-jdks-"));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/**
 * Makes a fake JDK at `dir` whose `java -version` prints `banner` (on stderr, as java does).
 * `javac: false` makes it a JRE; `runnable: false` leaves bin/java not executable.
 */
async function fakeJdk(dir, banner, { javac = true, runnable = true } = {}) {
  await mkdir(path.join(dir, "bin"), { recursive: true });
  const java = path.join(dir, "bin", "java");
  await writeFile(java, `#!/bin/sh\necho '${banner}' >&2\necho 'OpenJDK Runtime Environment (fake)' >&2\n`);
  await chmod(java, runnable ? 0o755 : 0o644);
  if (javac) {
    const javacPath = path.join(dir, "bin", "javac");
    await writeFile(javacPath, "#!/bin/sh\nexit 0\n");
    await chmod(javacPath, 0o755);
  }
  return dir;
}

/** A folder of fake JDKs: name -> banner or [banner, options]. */
async function jvmDir(name, jdks) {
  const dir = path.join(root, name);
  for (const [jdk, spec] of Object.entries(jdks)) {
    const [banner, options] = Array.isArray(spec) ? spec : [spec, {}];
    await fakeJdk(path.join(dir, jdk), banner, options);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Runs `bin/eddy java-home` from outside the repository, with exactly the given JDK settings. */
function javaHome({ JAVA_HOME, EDDY_JVM_DIR }) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, EDDY_NO_BUILD: "1", EDDY_JVM_DIR };
  if (JAVA_HOME !== undefined) env.JAVA_HOME = JAVA_HOME;
  const res = spawnSync(EDDY_BIN, ["java-home"], { cwd: root, env, encoding: "utf8", timeout: 60_000 });
  assert.equal(res.error, undefined, `could not run ${EDDY_BIN}: ${res.error}`);
  return { code: res.status, stdout: res.stdout.trim(), stderr: res.stderr.trim() };
}

const banner = (version) => `openjdk version "${version}" 2025-01-21`;

describe("bin/eddy picks a JDK", { timeout: 120_000 }, () => {
  it("JAVA_HOME at 21 or newer wins, even over newer JDKs in EDDY_JVM_DIR", async () => {
    const jvms = await jvmDir("prefer-java-home", { "jdk-23": banner("23.0.1"), "jdk-25": banner("25") });
    const home = await fakeJdk(path.join(root, "home-21"), banner("21.0.5"));
    const res = javaHome({ JAVA_HOME: home, EDDY_JVM_DIR: jvms });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, home);
  });

  it("otherwise the newest JDK >= 21 in EDDY_JVM_DIR: not older ones, JREs or broken installs", async () => {
    const jvms = await jvmDir("newest", {
      "java-1.8.0-openjdk": 'java version "1.8.0_402"',
      "jdk-17": banner("17.0.10"),
      "jdk-21": 'openjdk version "21" 2023-09-19',
      "jdk-22-ea": 'openjdk version "22-ea" 2024-03-19',
      "temurin-24": banner("24.0.2"),
      "jre-26": [banner("26"), { javac: false }],
      "broken-27": [banner("27"), { runnable: false }],
    });
    const old = await fakeJdk(path.join(root, "home-17"), banner("17.0.10"));
    for (const JAVA_HOME of [undefined, old, path.join(root, "no-such-jdk")]) {
      const res = javaHome({ JAVA_HOME, EDDY_JVM_DIR: jvms });
      assert.equal(res.code, 0, `JAVA_HOME=${JAVA_HOME}: ${res.stderr}`);
      assert.equal(res.stdout, path.join(jvms, "temurin-24"), `JAVA_HOME=${JAVA_HOME}`);
    }
  });

  it("versions compare as numbers: 100 beats 99 beats 25", async () => {
    const jvms = await jvmDir("numeric", { a: banner("25.0.1"), b: banner("100"), c: banner("99.1") });
    const res = javaHome({ EDDY_JVM_DIR: jvms });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, path.join(jvms, "b"));
  });

  it("with no JDK >= 21 it stops with the clear message, naming what it found", async () => {
    const jvms = await jvmDir("none", { "jdk-17": banner("17.0.10"), "jdk-8": 'java version "1.8.0_402"' });
    const plain = javaHome({ EDDY_JVM_DIR: jvms });
    assert.notEqual(plain.code, 0);
    assert.equal(plain.stdout, "", "nothing on stdout");
    assert.match(plain.stderr, /^eddy: Eddy needs a JDK 21 or newer; set JAVA_HOME to one \(/);
    assert.ok(plain.stderr.includes(`no JDK >= 21 found in ${jvms}`), plain.stderr);

    const old = await fakeJdk(path.join(root, "home-11"), banner("11.0.22"));
    const withOld = javaHome({ JAVA_HOME: old, EDDY_JVM_DIR: jvms });
    assert.notEqual(withOld.code, 0);
    assert.ok(withOld.stderr.includes("Eddy needs a JDK 21 or newer"), withOld.stderr);
    assert.ok(withOld.stderr.includes(`JAVA_HOME=${old} is Java 11`), withOld.stderr);

    const missing = javaHome({ JAVA_HOME: path.join(root, "nowhere"), EDDY_JVM_DIR: path.join(root, "no-dir") });
    assert.notEqual(missing.code, 0);
    assert.ok(missing.stderr.includes(`JAVA_HOME=${path.join(root, "nowhere")} has no bin/java`), missing.stderr);
  });

  it("the real setup still resolves (this suite's own JDK)", () => {
    // what the rest of the suite runs on; guards against the fakes above hiding a broken default
    const env = { ...process.env, EDDY_NO_BUILD: "1" };
    const res = spawnSync(EDDY_BIN, ["java-home"], { cwd: REPO_ROOT, env, encoding: "utf8", timeout: 60_000 });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout.trim(), /^\//);
  });
});
