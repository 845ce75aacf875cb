package io.eddy.bench.env;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Eddy server in a child JVM with a temporary data folder: the packaged {@code eddy-cli} run exactly as
 * {@code bin/eddy serve} runs it ({@code java --enable-native-access=ALL-UNNAMED $EDDY_JAVA_OPTS -cp
 * eddy-cli.jar:lib/* io.eddy.cli.Main serve}), but without the script, so that a run started from a Maven
 * test never triggers a nested build. The child's pid is the server's JVM, which {@link #liveHeapBytes}
 * inspects with {@code jcmd}.
 */
public final class EddyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EddyServer.class);
    private static final Pattern READY = Pattern.compile("Eddy serving at http://([^:]+):(\\d+)");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)", Pattern.MULTILINE);
    public static final String SECRET = "secret";
    private static final Pattern JFR_FILE = Pattern.compile("^-XX:StartFlightRecording=.*?filename=([^,]+)");

    private final Process process;
    private final Path dataDir;
    private final Path logFile;
    private final int port;
    /** Copies the server's output to {@link #logFile} until the server exits. */
    private final Thread outputPump;

    private EddyServer(Process process, Path dataDir, Path logFile, int port, Thread outputPump) {
        this.outputPump = outputPump;
        this.process = process;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.port = port;
    }

    /** Starts the server from {@code repoHome/eddy-cli/target} and waits until it prints its address. */
    public static EddyServer start(Path repoHome, List<String> extraJavaOpts) throws IOException, InterruptedException {
        Path target = repoHome.resolve("eddy-cli").resolve("target");
        Path jar = target.resolve("eddy-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (bin/eddy build)");
        }
        Path data = Files.createTempDirectory("eddy-bench-data-");
        Path logFile = data.resolveSibling(data.getFileName() + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        String envOpts = System.getenv("EDDY_JAVA_OPTS");
        if (envOpts != null && !envOpts.isBlank()) cmd.addAll(List.of(envOpts.trim().split("\\s+")));
        cmd.addAll(extraJavaOpts);
        for (String opt : extraJavaOpts) { // a JFR recording's folder must exist or the JVM will not start
            Matcher jfr = JFR_FILE.matcher(opt);
            if (jfr.find()) Files.createDirectories(Path.of(jfr.group(1)).toAbsolutePath().getParent());
        }
        cmd.addAll(List.of("-cp", jar + ":" + target.resolve("lib") + "/*", "io.eddy.cli.Main", "serve",
                "--host", "127.0.0.1", "--port", "0", "--data", data.toString(), "--root-secret", SECRET));
        log.info("starting Eddy: {}", String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(p, logFile, ready), "eddy-server-output");
        pump.setDaemon(true);
        pump.start();
        Integer port;
        try {
            port = ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("Eddy did not start; its output is in " + logFile, e);
        }
        log.info("Eddy pid {} listening on 127.0.0.1:{} (log {})", p.pid(), port, logFile);
        return new EddyServer(p, data, logFile, port, pump);
    }

    private static void pump(Process p, Path logFile, CompletableFuture<Integer> ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(logFile), true)) {
            String line;
            while ((line = r.readLine()) != null) {
                w.println(line);
                Matcher m = READY.matcher(line);
                if (!ready.isDone() && m.find()) ready.complete(Integer.parseInt(m.group(2)));
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("Eddy closed its output before it was ready"));
    }

    public int port() { return port; }

    public long pid() { return process.pid(); }

    public Path logFile() { return logFile; }

    public boolean isAlive() { return process.isAlive(); }

    /** CPU seconds the server has used so far. */
    public double cpuSeconds() { return Machine.cpuSeconds(process.pid(), false); }

    /**
     * Bytes of live objects on the server's heap: {@code jcmd <pid> GC.class_histogram} runs a full GC
     * first and then counts every reachable object, so the total is the heap after GC, to the byte.
     * Taken twice, keeping the smaller, so that garbage made while the first one ran does not count.
     */
    public long liveHeapBytes() throws IOException, InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            String out = jcmd("GC.class_histogram");
            Matcher m = TOTAL.matcher(out);
            if (!m.find()) throw new IllegalStateException("no Total line in jcmd GC.class_histogram output:\n" + out);
            best = Math.min(best, Long.parseLong(m.group(2)));
        }
        return best;
    }

    /**
     * Live bytes per class ({@code jcmd <pid> GC.class_histogram}, after a full GC), for explaining a heap
     * difference.
     */
    public java.util.Map<String, Long> liveBytesByClass() throws IOException, InterruptedException {
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        Matcher row = HISTO_ROW.matcher(jcmd("GC.class_histogram"));
        while (row.find()) m.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
        return m;
    }

    private static final Pattern HISTO_ROW = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    /** SIGTERM (the server drains and closes its store), then SIGKILL after 20 s; deletes the data folder. */
    @Override
    public void close() {
        // Through the handle: Process.destroy() also closes the pipe the server's output comes through,
        // and what the server logs while it stops (the store's commit counts) would be lost.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                log.warn("Eddy did not stop in 20 s; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            outputPump.join(5_000); // the log's last lines (the shutdown, the store's commit counts)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        Files2.deleteTree(dataDir);
    }
}
