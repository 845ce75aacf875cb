package io.eddy.bench.env;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis 7 server ({@code redis-server}, apt-installed if missing) on 127.0.0.1 and a free port, with
 * persistence off: pub/sub stores nothing, so there is nothing to sync; Redis is the fan-out ceiling, not a
 * durable peer. The client limits are raised so 10,000 subscribers fit and a slow subscriber is not
 * disconnected by the default pub/sub output-buffer limit.
 */
public final class RedisServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisServer.class);
    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Process process;
    private final Path dir;
    private final int port;

    private RedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static RedisServer start(int maxClients) throws IOException, InterruptedException {
        Packages.ensure(BINARY, "redis-server");
        Path dir = Files.createTempDirectory("eddy-bench-redis-");
        int port = Machine.freePort();
        Process p = new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--maxclients", Integer.toString(maxClients), "--client-output-buffer-limit", "pubsub 1gb 1gb 0",
                "--loglevel", "warning", "--logfile", dir.resolve("redis.log").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] b = new byte[7];
                if (s.getInputStream().read(b) > 0) break;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("redis-server did not start; see " + dir, e);
                }
                Thread.sleep(50);
            }
        }
        log.info("Redis pid {} on 127.0.0.1:{}", p.pid(), port);
        return new RedisServer(p, dir, port);
    }

    /**
     * The version {@code redis-server --version} prints (e.g. {@code 7.0.15}), or its whole line if it
     * has no {@code v=} field.
     */
    public static String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(BINARY.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("redis-server --version failed: " + out);
        return versionOf(out);
    }

    /** The {@code v=} field of {@code redis-server --version}'s line, or the trimmed line when it has none. */
    static String versionOf(String line) {
        for (String field : line.trim().split("\\s+")) {
            if (field.startsWith("v=") && field.length() > 2) return field.substring(2);
        }
        return line.trim();
    }

        public int port() { return port; }

    public double cpuSeconds() { return Machine.cpuSeconds(process.pid(), false); }

    /** {@code used_memory} from {@code INFO memory}: bytes Redis has allocated. */
    public long usedMemory() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("INFO memory\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[65536];
            int n = 0;
            String text;
            do {
                int r = s.getInputStream().read(buf, n, buf.length - n);
                if (r < 0) break;
                n += r;
                text = new String(buf, 0, n, StandardCharsets.US_ASCII);
            } while (!text.contains("\r\n\r\n") && !text.contains("mem_allocator"));
            text = new String(buf, 0, n, StandardCharsets.US_ASCII);
            for (String line : text.split("\r\n")) {
                if (line.startsWith("used_memory:")) return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
            throw new IOException("no used_memory in INFO memory");
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files2.deleteTree(dir);
    }
}
