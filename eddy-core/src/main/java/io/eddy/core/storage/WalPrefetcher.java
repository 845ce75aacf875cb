package io.eddy.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pages of the write-ahead log just ahead of RocksDB's writer, so that a synced write never
 * waits for a read of the page it starts.
 *
 * <p>Why: the store recycles obsolete WAL files ({@code recycle_log_file_num}, see {@link RocksStore}), so
 * the writer overwrites a file's old blocks instead of appending, and {@code fdatasync} need not also write
 * the file's size. The price is that every write inside the file's old size that starts or ends mid-page
 * needs the rest of that page: if the kernel has dropped it from the page cache (its last use was one log
 * file ago, minutes; a machine that reclaims cold page cache, such as one running a DAMON {@code pageout}
 * scheme, drops it even with memory free), {@code write} first reads it from the disk, one more disk round
 * trip inside the commit path for every new page. This class takes those reads off the commit path: every
 * {@link #PERIOD_MS} ms it finds the writer's position and reads up to {@code aheadBytes} past it, so the
 * pages are cached when the writer arrives. It reads each page once per file and never writes.
 *
 * <p>How it finds the writer: the current log is the highest-numbered {@code *.log} file in the database
 * folder; the writer's descriptor is the one of this process's {@code /proc/self/fd} links that points at it,
 * and its offset is the {@code pos} line of {@code /proc/self/fdinfo/<fd>} (RocksDB writes the log with
 * {@code write(2)} at the descriptor's offset). The folder is listed at most every {@link #RESCAN_MS} ms, so a
 * new log file is found within that time. Without {@code /proc} (not Linux) it does nothing. Any error
 * makes it start over at the next tick: it is an optimization, and the commit path never depends on it.
 *
 * <p>Thread: one daemon thread at minimum priority; {@link #close()} stops it.
 */
final class WalPrefetcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalPrefetcher.class);
    static final long PERIOD_MS = 10;
    static final long RESCAN_MS = 100;
    private static final Path PROC_FD = Path.of("/proc/self/fd");
    private static final Path PROC_FDINFO = Path.of("/proc/self/fdinfo");

    private final Path dbDir;
    private final int aheadBytes;
    private final ByteBuffer buffer;
    private final ScheduledExecutorService executor;

    // Touched only by the prefetch thread (or a test calling tick).
    private Path currentLog;        // the newest log file, null when not yet found
    private String writerFd;        // the writer's descriptor number in /proc/self/fd, null when not found
    private FileChannel reader;     // our own read-only channel on currentLog
    private long prefetchedTo;      // pages of currentLog below this offset have been read
    private long lastScanNanos = Long.MIN_VALUE / 2;
    private long bytesRead;

    private WalPrefetcher(Path dbDir, int aheadBytes, boolean start) {
        this.dbDir = realPath(dbDir); // /proc/self/fd links name real paths
        this.aheadBytes = aheadBytes;
        this.buffer = ByteBuffer.allocateDirect(aheadBytes);
        if (start) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "eddy-wal-prefetch");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
            });
            executor.scheduleWithFixedDelay(this::tickSafely, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        } else {
            executor = null;
        }
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    /** Starts prefetching the log in {@code dbDir}; null when disabled ({@code aheadBytes == 0}) or without /proc. */
    static WalPrefetcher start(Path dbDir, int aheadBytes) {
        if (aheadBytes == 0) return null;
        if (!Files.isDirectory(PROC_FDINFO)) {
            log.info("no /proc/self/fdinfo: the write-ahead log is not prefetched");
            return null;
        }
        return new WalPrefetcher(dbDir, aheadBytes, true);
    }

    /** A prefetcher without its thread, driven by {@link #tick(long)} (tests). */
    static WalPrefetcher manual(Path dbDir, int aheadBytes) {
        return new WalPrefetcher(dbDir, aheadBytes, false);
    }

    private void tickSafely() {
        try {
            tick(System.nanoTime());
        } catch (IOException | RuntimeException e) {
            // The log switched or was deleted between two steps, or /proc said something unexpected:
            // start over at the next tick.
            log.debug("WAL prefetch starts over: {}", e.toString());
            forget();
        }
    }

    /**
     * One step at {@code now} (nanoseconds, {@link System#nanoTime()}'s scale): find the writer if the log
     * may have changed, then read the pages ahead of it.
     */
    void tick(long now) throws IOException {
        // Listing the folder (and, on a change, every descriptor) is bounded to once per RESCAN_MS, also
        // while no writer is known: a newest log that nobody writes must not cost a scan every tick.
        if (now - lastScanNanos >= TimeUnit.MILLISECONDS.toNanos(RESCAN_MS)) {
            lastScanNanos = now;
            Path newest = newestLog();
            if (newest != null && (!newest.equals(currentLog) || writerFd == null)) follow(newest);
        }
        if (writerFd == null) return;
        long position = writerPosition();
        if (position < 0) {
            forget();
            return;
        }
        long from = Math.max(position, prefetchedTo);
        long to = Math.min(position + aheadBytes, reader.size());
        if (to <= from) return;
        buffer.clear().limit((int) (to - from));
        int n = reader.read(buffer, from);
        if (n > 0) {
            prefetchedTo = from + n;
            bytesRead += n;
        }
    }

    /** The log file the writer writes (tests). */
    Path currentLog() {
        return currentLog;
    }

    /** The offset below which the current log's pages have been read (tests). */
    long prefetchedTo() {
        return prefetchedTo;
    }

    private Path newestLog() throws IOException {
        Path newest = null;
        long newestNumber = -1;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dbDir, "*.log")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                long number = parseNumber(name.substring(0, name.length() - ".log".length()));
                if (number > newestNumber) {
                    newestNumber = number;
                    newest = f;
                }
            }
        }
        return newest;
    }

    private static long parseNumber(String digits) {
        if (digits.isEmpty() || digits.length() > 18) return -1;
        for (int i = 0; i < digits.length(); i++) if (digits.charAt(i) < '0' || digits.charAt(i) > '9') return -1;
        return Long.parseLong(digits);
    }

    private void follow(Path logFile) throws IOException {
        forget();
        String fd = null;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC_FD)) {
            for (Path link : fds) {
                if (logFile.equals(target(link))) {
                    String candidate = link.getFileName().toString();
                    long flags = fdinfoField(candidate, "flags:", 8);
                    if (flags >= 0 && (flags & 3) != 0) { // O_WRONLY or O_RDWR: the writer, not a reader
                        fd = candidate;
                        break;
                    }
                }
            }
        }
        if (fd == null) return;
        reader = FileChannel.open(logFile, StandardOpenOption.READ);
        currentLog = logFile;
        writerFd = fd;
        prefetchedTo = 0;
    }

    private static Path target(Path link) {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException | UnsupportedOperationException e) {
            return null; // closed in the meantime, or not a link
        }
    }

    /** The writer's offset, or -1 when its descriptor no longer points at the current log. */
    private long writerPosition() throws IOException {
        if (!currentLog.equals(target(PROC_FD.resolve(writerFd)))) return -1;
        return fdinfoField(writerFd, "pos:", 10);
    }

    /** A numeric field of {@code /proc/self/fdinfo/<fd>} ("pos:\t123", "flags:\t0100001"), -1 if absent. */
    private static long fdinfoField(String fd, String field, int radix) throws IOException {
        String info;
        try {
            info = Files.readString(PROC_FDINFO.resolve(fd), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return -1;
        }
        int start = 0;
        if (!info.startsWith(field)) {
            int line = info.indexOf("\n" + field);
            if (line < 0) return -1;
            start = line + 1;
        }
        int i = start + field.length();
        while (i < info.length() && (info.charAt(i) == ' ' || info.charAt(i) == '\t')) i++;
        int end = i;
        while (end < info.length() && end - i < 18 && Character.digit(info.charAt(end), radix) >= 0) end++;
        return end == i ? -1 : Long.parseLong(info, i, end, radix);
    }

    private void forget() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // a read-only channel: nothing to lose
            }
        }
        reader = null;
        currentLog = null;
        writerFd = null;
        prefetchedTo = 0;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) log.warn("WAL prefetch did not stop");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        forget();
        log.debug("WAL prefetch read {} bytes", bytesRead);
    }
}
